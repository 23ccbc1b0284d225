//! One hardware ID, one request, one response.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Result};
use licdesk_core::{seal, FileKind, Role, SigningKey, StandbyMode, Timestamp};
use licdesk_desk::{Desk, IfExists, ImportStatus, MachineChoice};

use crate::data::*;
use crate::report::*;

pub(crate) fn single_operations(dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    // A folder of its own: a file is written beside what the folder holds, and every durable
    // write lists its folder for the temporary files a crashed writer left (the bench's shared
    // folder holds the import part's 10,000 files: 5 ms a listing, the row's whole target).
    let dir = &dir.join("single");
    std::fs::create_dir_all(dir)?;
    // Hardware ID.
    let mut hw = Vec::new();
    let mut hw_floor = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        std::hint::black_box(licdesk_desk::this_machine()?);
        hw.push(ms(start.elapsed()));
        let start = Instant::now();
        std::hint::black_box(std::fs::read_to_string("/etc/machine-id").ok());
        hw_floor.push(ms(start.elapsed()));
    }
    rows.push(
        row(
            "hardware ID of this machine, p50",
            percentile(hw, 0.5),
            "ms",
            Some(5.0),
            Some(percentile(hw_floor, 0.5)),
            None,
        )
        .floor_is("read /etc/machine-id"),
    );

    // One request and one response.
    let mut desk = Desk::open(&dir.join("single.sqlite"))?;
    trust(&mut desk, dir)?;
    let key = vendor();
    let mut export = Vec::new();
    let mut import = Vec::new();
    let mut sign_floor = Vec::new();
    let mut verify_floor = Vec::new();
    for i in 0..30usize {
        let base = cert(1_000_000 + i);
        let fo = import_with_failover(&mut desk, &key, &base, [i as u8, 1, 2, 3, 4]);
        let id = bench_machine(&format!("bench {i}")).id;
        // The standby's hardware-ID file, signed by its installation's key.
        let installation = SigningKey::from_bytes(&[0x1d; 32]);
        let hwid_file = seal(
            FileKind::HardwareId,
            &licdesk_core::model::HardwareIdFile {
                hardware: licdesk_core::Hardware::from_code(id.clone()),
                created_at: Timestamp::from_unix(1_790_000_050),
            },
            &installation,
        );
        desk.register_standby(
            &fo.license,
            &MachineChoice::FileContent(hwid_file.into_bytes()),
            StandbyMode::Cold,
        )?;
        let out = dir.join(format!("req-{i}.actreq"));
        let start = Instant::now();
        let written =
            desk.write_request(&fo.license, Role::Standby, None, &out, IfExists::Refuse)?;
        export.push(ms(start.elapsed()));
        let response = licdesk_core::ActivationResponse {
            request_nonce: written.nonce,
            license: fo.license.clone(),
            role: Role::Standby,
            hardware: licdesk_core::Hardware::from_code(id),
            mirrors: base.license.clone(),
            base_revision: 1,
            mode: Some(StandbyMode::Cold),
            entitlements: licdesk_core::standby_entitlements(&base, &fo.license),
            entitlement_digest: base.entitlement_digest(),
            notice: Some(licdesk_core::STANDBY_NOTICE.into()),
            limits: Some(licdesk_core::LoadLimits::default()),
            installation_key: Some(licdesk_core::InstallationKey::of(
                &installation.verifying_key(),
            )),
            activated_at: Timestamp::from_unix(1_790_000_100),
            serial: None,
        };
        let text = seal(FileKind::ActivationResponse, &response, &key);
        let start = Instant::now();
        let o = desk.import_bytes("resp", text.as_bytes());
        import.push(ms(start.elapsed()));
        if o.status != ImportStatus::Activated {
            bail!("bench response refused: {}", o.message);
        }
        let start = Instant::now();
        let sig = licdesk_core::ed25519::Signer::sign(&key, text.as_bytes());
        std::fs::write(dir.join("floor.out"), text.as_bytes())?;
        sign_floor.push(ms(start.elapsed()));
        let start = Instant::now();
        key.verifying_key().verify_strict(text.as_bytes(), &sig)?;
        verify_floor.push(ms(start.elapsed()));
    }
    rows.push(
        row(
            "export one activation request, p50",
            percentile(export, 0.5),
            "ms",
            Some(5.0),
            Some(percentile(sign_floor, 0.5)),
            None,
        )
        .floor_is("sign + write"),
    );
    rows.push(
        row(
            "import one activation response, p50",
            percentile(import, 0.5),
            "ms",
            Some(5.0),
            Some(percentile(verify_floor, 0.5)),
            None,
        )
        .floor_is("verify one signature"),
    );
    Ok(())
}
