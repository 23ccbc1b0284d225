//! A desk for the unit tests of what the detail shows: a trusted vendor, one base license with
//! a FailoverSuite, a clock the test sets, and the vendor's answers signed here.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use licdesk_core::model::HardwareIdFile;
use licdesk_core::{
    seal, standby_entitlements, ActivationResponse, BaseCertificate, Extension,
    FailoverCertificate, FileKind, Hardware, InstallationKey, KeyId, LicenseNumber, LicenseProduct,
    LoadLimits, Role, SigningKey, StandbyMode, Timestamp, Variant, VendorPublicKey,
    FAILOVER_ARTICLE,
};

use crate::{Desk, FixedClock, IfExists, ImportStatus, MachineChoice};

/// The certificates' time; the clock starts a little later.
pub(crate) const ISSUED: i64 = 1_790_000_000;

pub(crate) struct World {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) desk: Desk,
    pub(crate) clock: Arc<FixedClock>,
    pub(crate) vendor: SigningKey,
    pub(crate) base: BaseCertificate,
    pub(crate) failover: LicenseNumber,
    /// The vendor's public key file and the two certificates, for another desk.
    files: Vec<String>,
}

pub(crate) fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(Timestamp::from_unix(ISSUED + 1000)));
    let vendor = SigningKey::from_bytes(&[21; 32]);
    let base = BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [3, 1, 4, 1, 5]),
        revision: 1,
        customer: "Müller GmbH".into(),
        variant: Variant::Users25,
        extensions: vec![],
        issued_at: Timestamp::from_unix(ISSUED),
    };
    let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [2, 7, 1, 8, 2]);
    let public = vendor.verifying_key();
    let key = VendorPublicKey {
        key_id: KeyId::of_public_key(&public),
        public_key: licdesk_core::trust::encode_public_key(&public),
        vendor: "Test Vendor".into(),
        created_at: Timestamp::from_unix(ISSUED),
    };
    let files = vec![
        seal(FileKind::VendorPublicKey, &key, &vendor),
        seal(FileKind::BaseCertificate, &base, &vendor),
        seal(
            FileKind::FailoverCertificate,
            &FailoverCertificate {
                license: failover.clone(),
                article: FAILOVER_ARTICLE.into(),
                base_license: base.license.clone(),
                issued_at: Timestamp::from_unix(ISSUED),
            },
            &vendor,
        ),
    ];
    let desk = desk_with(&dir, "store.sqlite", &clock, &files);
    World {
        dir,
        desk,
        clock,
        vendor,
        base,
        failover,
        files,
    }
}

/// The engine the desk tests run on: SQLite, or PostgreSQL when `LICDESK_TEST_ENGINE` is
/// `postgres` (`make test` runs them on both: the store's every use case on each engine).
fn postgres_engine() -> bool {
    match std::env::var("LICDESK_TEST_ENGINE").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("LICDESK_TEST_ENGINE={other}: use sqlite or postgres"),
    }
}

/// A desk named `name` for a test: an SQLite file in `dir`, or a new database of the test
/// cluster (its local files in `dir`).
pub(crate) fn open_desk(dir: &tempfile::TempDir, name: &str) -> Desk {
    if !postgres_engine() {
        return Desk::open(&dir.path().join(name)).unwrap();
    }
    let location = crate::StoreLocation::of(std::path::Path::new(
        &licdesk_pgtest::shared().database(name),
    ));
    let home = crate::DeskHome::in_folder(dir.path().join(format!("{name}.home")));
    Desk::open_at_with_home(&location, home).unwrap()
}

/// A desk at `name` in `dir` on `clock`, trusting the vendor, holding both certificates.
fn desk_with(
    dir: &tempfile::TempDir,
    name: &str,
    clock: &Arc<FixedClock>,
    files: &[String],
) -> Desk {
    let mut desk = open_desk(dir, name).with_clock(clock.clone());
    let vpub = dir.path().join(format!("{name}.vpub"));
    std::fs::write(&vpub, &files[0]).unwrap();
    desk.trust_add(&vpub).unwrap();
    for text in &files[1..] {
        let outcome = desk.import_bytes("certificate", text.as_bytes());
        assert_ne!(outcome.status, ImportStatus::Refused, "{}", outcome.message);
    }
    desk
}

impl World {
    /// Another desk (a reseller's) on the same clock, with the same vendor and certificates.
    pub(crate) fn other_desk(&self, name: &str) -> Desk {
        desk_with(&self.dir, name, &self.clock, &self.files)
    }

    /// Registers as the standby a machine whose own desk made its hardware-ID file (another
    /// installation than this desk's); its hardware and that installation's key.
    pub(crate) fn register_from_file(&mut self, seed: &[u8]) -> (Hardware, SigningKey) {
        let hardware = Hardware::from_code(licdesk_core::HardwareId::from_digest(seed));
        let installation = SigningKey::from_bytes(&[seed.len() as u8 + 40; 32]);
        let file = seal(
            FileKind::HardwareId,
            &HardwareIdFile {
                hardware: hardware.clone(),
                created_at: self.desk.now(),
            },
            &installation,
        );
        self.desk
            .register_standby(
                &self.failover,
                &MachineChoice::FileContent(file.into_bytes()),
                StandbyMode::Hot,
            )
            .unwrap();
        (hardware, installation)
    }

    /// Registers this machine (this desk's installation) as the standby.
    pub(crate) fn register_this_machine(&mut self) -> (Hardware, InstallationKey) {
        self.desk
            .register_standby(
                &self.failover,
                &MachineChoice::ThisMachine,
                StandbyMode::Cold,
            )
            .unwrap();
        let key = InstallationKey::of(&self.desk.installation_key().unwrap().verifying_key());
        (crate::this_machine().unwrap(), key)
    }

    /// Writes the registered standby's request and imports the vendor's response to it.
    pub(crate) fn activate_standby(&mut self, hardware: &Hardware, key: InstallationKey) {
        let request = self
            .desk
            .write_request(
                &self.failover,
                Role::Standby,
                None,
                &self.dir.path().join("standby.actreq"),
                IfExists::Replace,
            )
            .unwrap();
        let limits = LoadLimits::default();
        let response = ActivationResponse {
            request_nonce: request.nonce,
            license: self.failover.clone(),
            role: Role::Standby,
            hardware: hardware.clone(),
            mirrors: self.base.license.clone(),
            base_revision: self.base.revision,
            mode: Some(StandbyMode::Hot),
            entitlements: standby_entitlements(&self.base, &self.failover),
            entitlement_digest: self.base.entitlement_digest(),
            notice: Some(licdesk_core::standby_notice(&limits)),
            limits: Some(limits),
            installation_key: Some(key),
            activated_at: self.desk.now(),
            serial: None,
        };
        let text = seal(FileKind::ActivationResponse, &response, &self.vendor);
        let outcome = self.desk.import_bytes("response", text.as_bytes());
        assert_eq!(
            outcome.status,
            ImportStatus::Activated,
            "{}",
            outcome.message
        );
    }

    /// The vendor issues revision 2 of the base license with an extension: what was activated
    /// before is out of date (R5).
    pub(crate) fn upgrade_base(&mut self) {
        let mut upgraded = self.base.clone();
        upgraded.revision = 2;
        upgraded.extensions.push(Extension {
            article: "XOM.11000".into(),
            name: "Fax Gateway".into(),
            quantity: 2,
        });
        let text = seal(FileKind::BaseCertificate, &upgraded, &self.vendor);
        let outcome = self.desk.import_bytes("upgrade", text.as_bytes());
        assert_eq!(
            outcome.status,
            ImportStatus::Upgraded,
            "{}",
            outcome.message
        );
        self.base = upgraded;
    }

    /// Moves the clock `hours` on.
    pub(crate) fn hours_pass(&self, hours: i64) {
        self.clock.advance(hours * 3600);
    }
}
