//! What the issuer tests share: the built binary, a vendor key and ledger, activation requests
//! from a desk key on a machine, a standby activated.

use licdesk_core::{
    seal, ActivationRequest, Component, ComponentKind, FileKind, Hardware, LicenseNumber, Role,
    SigningKey, StandbyMode, Timestamp, Variant,
};
use licdesk_issuer::{activate, issue_base, issue_failover, keygen, IfExists, VendorKey};
pub use licdesk_pgtest::{on_both_engines, Engine, LedgerPlace};
use licdesk_store::ledger::Ledger;
use std::process::Command;

pub fn issuer(args: &[&str]) -> (i32, String, String) {
    let out = spawned(|| {
        Command::new(env!("CARGO_BIN_EXE_licdesk-issuer"))
            .args(args)
            .output()
    });
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The output of a process `run` starts. Under Wine (these tests also run as the Windows build)
/// starting a process now and then fails with ERROR_INTERNAL_ERROR (1359) before the program runs
/// at all; such a start is tried again, twice at most. Anything the program itself does is not.
fn spawned(run: impl Fn() -> std::io::Result<std::process::Output>) -> std::process::Output {
    const WINE_COULD_NOT_START: i32 = 1359;
    let mut tries = 0;
    loop {
        match run() {
            Err(e)
                if cfg!(windows) && e.raw_os_error() == Some(WINE_COULD_NOT_START) && tries < 2 =>
            {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            result => return result.expect("start licdesk-issuer"),
        }
    }
}

pub fn machine(name: &str) -> Hardware {
    Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, name),
            Component::from_raw(ComponentKind::Nic, &format!("{name}-nic")),
        ],
        Some(name.into()),
    )
}

pub struct Vendor {
    pub _dir: tempfile::TempDir,
    pub key: VendorKey,
    pub ledger: Ledger,
    /// Where the ledger lives (kept for the test's length: an SQLite file's folder).
    pub _place: LedgerPlace,
}

/// A vendor with a new key and a new ledger on SQLite.
pub fn vendor() -> Vendor {
    vendor_on(Engine::Sqlite)
}

/// A vendor with a new key and a new ledger on `engine`.
pub fn vendor_on(engine: Engine) -> Vendor {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(&dir.path().join("v.key"), "Vendor", IfExists::Refuse).unwrap();
    let place = engine.ledger("issuer");
    let ledger = Ledger::open(&place.at).unwrap();
    Vendor {
        _dir: dir,
        key,
        ledger,
        _place: place,
    }
}

/// The installation key of the desks these tests play (a standby request carries it).
pub fn desk_key() -> SigningKey {
    SigningKey::from_bytes(&[5; 32])
}

pub fn request(
    certs: &[&str],
    license: &LicenseNumber,
    role: Role,
    mirrors: &LicenseNumber,
    hw: &Hardware,
) -> Vec<u8> {
    request_with_key(
        certs,
        license,
        role,
        mirrors,
        hw,
        (role == Role::Standby).then(desk_key),
    )
}

pub fn request_with_key(
    certs: &[&str],
    license: &LicenseNumber,
    role: Role,
    mirrors: &LicenseNumber,
    hw: &Hardware,
    installation: Option<SigningKey>,
) -> Vec<u8> {
    let req = ActivationRequest {
        nonce: format!("{:064x}", rand_nonce()),
        created_at: Timestamp::from_unix(1_790_000_000),
        license: license.clone(),
        role,
        hardware: hw.clone(),
        mirrors: mirrors.clone(),
        mode: (role == Role::Standby).then_some(StandbyMode::Cold),
        certificates: certs.iter().map(|c| c.to_string()).collect(),
        installation_key: installation
            .as_ref()
            .map(|k| licdesk_core::InstallationKey::of(&k.verifying_key())),
    };
    seal(
        FileKind::ActivationRequest,
        &req,
        installation.as_ref().unwrap_or(&desk_key()),
    )
    .into_bytes()
}

pub fn rand_nonce() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    u128::from(N.fetch_add(1, Ordering::SeqCst)) * 0x9e37_79b9_7f4a_7c15
}

/// A vendor with one base license, one FailoverSuite and its standby "s1" activated with the
/// installation key `desk_key()`.
pub fn activated_standby(engine: Engine) -> (Vendor, LicenseNumber, String, String) {
    let mut v = vendor_on(engine);
    let (base, bt) = issue_base(&v.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    let (fo, ft) = issue_failover(&v.key, &base.license).unwrap();
    activate(
        &v.key,
        &mut v.ledger,
        &request(
            &[&bt, &ft],
            &fo.license,
            Role::Standby,
            &base.license,
            &machine("s1"),
        ),
    )
    .unwrap();
    (v, fo.license, bt, ft)
}
