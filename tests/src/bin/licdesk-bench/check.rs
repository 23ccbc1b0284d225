//! `licdesk check`: its cost, which must not grow with the licenses.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use licdesk_core::{seal, FileKind, Role, SigningKey, StandbyMode, Timestamp};
use licdesk_desk::{Desk, IfExists, ImportStatus, MachineChoice};
use licdesk_store::Store;

use crate::data::*;
use crate::report::*;

/// `licdesk check` on a store of `n` licenses and three active standbys, each with a trusted
/// usage journal: opening the store read-only and checking, as the command does, against the
/// floor of opening the store read-only and reading one license. Every base license carries a
/// real signed certificate (the same one: signing a million would only measure signing), so a
/// check that verified every certificate would pay for it here.
pub(crate) fn check_cost(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let path = dir.join(format!("check-{n}.sqlite"));
    let key = vendor();
    big_store_with(
        &path,
        n,
        &seal(FileKind::BaseCertificate, &cert(n + 100), &key),
    )?;
    let mut desk = Desk::open(&path)?;
    trust(&mut desk, dir)?;
    for i in 0..3usize {
        let base = cert(n + i);
        let fo = import_with_failover(&mut desk, &key, &base, [i as u8, 7, 7, 7, 7]);
        let hardware = bench_machine(&format!("check bench {i}"));
        let installation = SigningKey::from_bytes(&[0x2a + i as u8; 32]);
        let hwid_file = seal(
            FileKind::HardwareId,
            &licdesk_core::model::HardwareIdFile {
                hardware: licdesk_core::Hardware::from_code(hardware.id.clone()),
                created_at: Timestamp::from_unix(1_790_000_050),
            },
            &installation,
        );
        desk.register_standby(
            &fo.license,
            &MachineChoice::FileContent(hwid_file.into_bytes()),
            StandbyMode::Cold,
        )?;
        let out = dir.join(format!("check-req-{n}-{i}.actreq"));
        let written =
            desk.write_request(&fo.license, Role::Standby, None, &out, IfExists::Refuse)?;
        let activated_at = Timestamp::from_unix(1_790_000_100);
        let response = licdesk_core::ActivationResponse {
            request_nonce: written.nonce,
            license: fo.license.clone(),
            role: Role::Standby,
            hardware: licdesk_core::Hardware::from_code(hardware.id.clone()),
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
            activated_at,
            serial: None,
        };
        let activation = seal(FileKind::ActivationResponse, &response, &key);
        let o = desk.import_bytes("resp", activation.as_bytes());
        if o.status != ImportStatus::Activated {
            bail!("check bench response refused: {}", o.message);
        }
        // A day of journal: under load for an hour, then idle.
        use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
        let mut entries = Vec::new();
        let mut previous = GENESIS.to_string();
        for (seq, (hours, state)) in [(1, UsageState::Load), (2, UsageState::Idle)]
            .into_iter()
            .enumerate()
        {
            let at = activated_at.plus_seconds(hours * 3600);
            let hash = chain_hash(&previous, seq as u64, at, state);
            previous = hash.clone();
            entries.push(JournalEntry {
                seq: seq as u64,
                at,
                state,
                hash,
            });
        }
        let journal = UsageJournal {
            failover: fo.license.clone(),
            hardware_id: hardware.id.clone(),
            installation_key: licdesk_core::InstallationKey::of(&installation.verifying_key()),
            exported_at: activated_at.plus_seconds(24 * 3600),
            entries,
            activation,
        };
        let o = desk.import_bytes(
            "journal",
            seal(FileKind::UsageJournal, &journal, &installation).as_bytes(),
        );
        if o.status != ImportStatus::Evaluated {
            bail!("check bench journal refused: {}", o.message);
        }
    }
    drop(desk);
    let one = cert(n / 2).license;
    let mut check = Vec::new();
    let mut floor = Vec::new();
    let began = Instant::now();
    // 15 rounds, or as many as 30 s allow (at least 3).
    while check.len() < 15 && (check.len() < 3 || began.elapsed() < Duration::from_secs(30)) {
        let start = Instant::now();
        let report = Desk::open_read_only(&path)?.check()?;
        check.push(ms(start.elapsed()));
        if report.counts.standbys != 3 || report.counts.journals != 3 {
            bail!("check bench: the check saw {:?}", report.counts);
        }
        let start = Instant::now();
        let store = Store::open_read_only(&path)?;
        std::hint::black_box(licdesk_store::Queries::base(&store, &one)?);
        floor.push(ms(start.elapsed()));
    }
    rows.push(
        row(
            &format!("check (open read-only and check), p50, {n} licenses, 3 standbys"),
            percentile(check, 0.5),
            "ms",
            Some(50.0),
            Some(percentile(floor, 0.5)),
            None,
        )
        .floor_is("open + read one license"),
    );
    std::fs::remove_file(&path)?;
    Ok(())
}
