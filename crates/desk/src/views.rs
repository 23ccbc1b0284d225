//! What the shells show: serializable views with stable field names (the CLI's `--json` and the
//! app's IPC use them as they are).

use licdesk_core::{
    Entitlement, Extension, HardwareId, LicenseNumber, LoadLimits, Role, StandbyMode, Timestamp,
    Variant,
};
use serde::Serialize;

/// The activation state of a system at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Registered, waiting for an activation response.
    Pending,
    /// Activated for the base license's current entitlements.
    Active,
    /// Activated, but the main system's licenses changed since: re-activate (R5).
    OutOfDate,
}

impl Status {
    pub fn describe(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Active => "active",
            Status::OutOfDate => {
                "out of date (re-activate: the main system's licenses changed, R5)"
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemView {
    pub role: Role,
    /// Base license (main) or FailoverSuite license (standby).
    pub license: LicenseNumber,
    pub hardware_id: HardwareId,
    pub label: Option<String>,
    pub mode: Option<StandbyMode>,
    pub status: Status,
    pub registered_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    /// What the activation granted (R5, R10); empty while pending.
    pub entitlements: Vec<Entitlement>,
    /// The suite variant the activation granted (an out-of-date system's may differ from the base
    /// license's current one).
    pub granted_variant: Option<licdesk_core::Variant>,
    /// Whether the vendor certified an installation key, so usage journals can be verified.
    pub journal_verifiable: bool,
    /// When the administrator acknowledged the standby/test-only notice (R11).
    pub notice_acknowledged_at: Option<Timestamp>,
    /// Whether an activation request can be written for it. A standby needs its installation
    /// key (from its hardware-ID file, or this desk's when registered as this machine); one
    /// known only by a typed hardware ID has none, so it cannot be activated until registered
    /// again from its hardware-ID file.
    pub activatable: bool,
    /// The R12 limits of the signed standby license (None until activated, and for a main system).
    pub limits: Option<LoadLimits>,
    /// When the latest activation request for it that no response has answered yet was written
    /// (None: none written since it was registered or last activated).
    pub request_written_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailoverView {
    pub license: LicenseNumber,
    pub article: String,
    pub demo: bool,
    /// The standby registered or activated for this FailoverSuite (R4: at most one).
    pub standby: Option<SystemView>,
    /// The five-day evaluation of the latest usage journal imported for it (R12) — or, when its
    /// standby is this desk's own installation, of the journal this desk keeps, as of now.
    pub usage: Option<licdesk_store::UsageReport>,
    /// Whether `usage` is this desk's own live journal (not one imported, as of its export).
    pub usage_live: bool,
}

/// One row of the licenses list.
#[derive(Debug, Clone, Serialize)]
pub struct LicenseSummary {
    pub license: LicenseNumber,
    pub customer: String,
    pub variant: Variant,
    pub revision: u32,
    pub demo: bool,
    pub extensions: Vec<Extension>,
    /// The FailoverSuite licenses attached to this base (R2: shown as extensions).
    pub failovers: Vec<FailoverView>,
    pub main_system: Option<SystemView>,
    /// What the license needs from its administrator, most urgent first (empty: nothing).
    pub attention: Vec<licdesk_core::Attention>,
    /// Its latest audited change, or its FailoverSuites'.
    pub changed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LicensePage {
    /// How many licenses the page is one of (those matching the filter, and needing attention
    /// when only those are asked for).
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<LicenseSummary>,
    /// How many licenses of the whole store need attention, whatever the filter.
    pub attention_total: u64,
}

/// What one page of the licenses list shows: the licenses matching `filter` (a customer by any
/// part of its name, a license number by its start), only those needing attention when asked,
/// in `order` (descending: reversed), `limit` of them (at most 500) from `offset`.
#[derive(Debug, Clone, Copy)]
pub struct ListRequest<'a> {
    pub filter: &'a str,
    pub needs_attention: bool,
    pub order: licdesk_store::ListOrder,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

/// One base license in full.
#[derive(Debug, Clone, Serialize)]
pub struct LicenseDetail {
    #[serde(flatten)]
    pub summary: LicenseSummary,
    pub issued_at: Timestamp,
    pub key_id: String,
    pub vendor: String,
    /// What the main system is entitled to now (R1, R5).
    pub entitlements: Vec<Entitlement>,
    /// Notices for people: the R11 standby notice where a FailoverSuite is present, R5 warnings.
    pub notices: Vec<String>,
    /// What the detail offers to do, each with whether it can succeed now and why not.
    pub actions: Vec<crate::action_view::ActionView>,
    /// The recent load phases of each FailoverSuite's standby, for a chart (R12), where its
    /// journal can be read again.
    pub timelines: Vec<crate::timeline::UsageTimeline>,
}

/// What happened to one imported file.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub file: String,
    pub kind: Option<&'static str>,
    pub status: ImportStatus,
    /// Accepted, already there, or refused: the class of `status`, for every shell to count
    /// alike (a usage journal recorded as tampered is refused, never accepted).
    pub result: ImportResult,
    pub license: Option<LicenseNumber>,
    pub message: String,
    pub error: Option<crate::DeskError>,
    /// What an imported activation response activated (only for `activated`).
    pub activation: Option<ActivatedSystem>,
}

/// What an activation response activated, for the shells to say in their own words.
#[derive(Debug, Clone, Serialize)]
pub struct ActivatedSystem {
    pub role: Role,
    pub hardware_id: HardwareId,
    /// Cold, hot or test, for a standby (R9).
    pub mode: Option<StandbyMode>,
    /// The base license whose main system this system is, or which the standby mirrors (R5).
    pub base_license: LicenseNumber,
    /// How many of the main system's entitlements the activation grants (for a standby:
    /// all of them, R5/R10; the FailoverSuite itself not counted).
    pub entitlements: usize,
}

impl ActivatedSystem {
    /// The system `license` (a base license: its main system; a FailoverSuite: its standby) as
    /// the store holds it after an import that `status` describes; `None` unless activated.
    pub(crate) fn after_import(
        store: &impl licdesk_store::Queries,
        status: ImportStatus,
        license: &LicenseNumber,
    ) -> Option<ActivatedSystem> {
        if status != ImportStatus::Activated {
            return None;
        }
        let role = match license.product() {
            licdesk_core::LicenseProduct::Suite => Role::Main,
            licdesk_core::LicenseProduct::FailoverSuite => Role::Standby,
        };
        let system = store.system(role, license).ok().flatten()?;
        let entitlements = system.activation.as_ref().map_or(0, |a| {
            a.entitlements
                .iter()
                .filter(|e| e.article != licdesk_core::FAILOVER_ARTICLE)
                .count()
        });
        Some(ActivatedSystem {
            role,
            hardware_id: system.hardware.id.clone(),
            mode: system.mode,
            base_license: system.base_license.clone(),
            entitlements,
        })
    }
}

/// The class of an import's outcome: whether the file changed the store, was there already, or
/// was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportResult {
    /// The file did what it carries: a certificate imported or upgraded, a system activated, a
    /// standby released, a usage journal's evaluation recorded.
    Accepted,
    /// The same signed content was imported before: nothing changed.
    Unchanged,
    /// Refused, or (a usage journal) recorded as tampered and never used.
    Refused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Imported,
    Upgraded,
    Activated,
    /// A standby release: the FailoverSuite takes a new standby machine.
    Released,
    /// A usage journal whose five-day evaluation was recorded.
    Evaluated,
    /// A usage journal that cannot be trusted: recorded as such, its content not used.
    Tampered,
    Unchanged,
    Refused,
}

impl ImportStatus {
    /// Whether the file was accepted, was there already, or was refused. A tampered usage
    /// journal is refused: it is recorded so that monitoring reports it, but nothing in it is
    /// used.
    pub fn result(self) -> ImportResult {
        match self {
            ImportStatus::Imported
            | ImportStatus::Upgraded
            | ImportStatus::Activated
            | ImportStatus::Released
            | ImportStatus::Evaluated => ImportResult::Accepted,
            ImportStatus::Unchanged => ImportResult::Unchanged,
            ImportStatus::Tampered | ImportStatus::Refused => ImportResult::Refused,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestWritten {
    pub file: String,
    pub license: LicenseNumber,
    pub role: Role,
    pub hardware_id: HardwareId,
    pub mirrors: LicenseNumber,
    pub nonce: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrustedKeyView {
    pub key_id: String,
    pub vendor: String,
    pub demo: bool,
    pub origin: String,
    pub public_key: String,
}

#[cfg(test)]
mod tests {
    //! What the detail view says about a standby on its way to activation: whether it can be
    //! activated at all, when its request was written, and the limits its activation carries.
    #![allow(clippy::unwrap_used)]

    use crate::{Desk, ErrorCode, IfExists, ImportStatus, MachineChoice};
    use licdesk_core::{
        seal, standby_entitlements, ActivationResponse, BaseCertificate, FailoverCertificate,
        FileKind, Hardware, HardwareId, KeyId, LicenseNumber, LicenseProduct, LoadLimits, Role,
        SigningKey, StandbyMode, Timestamp, Variant, VendorPublicKey, FAILOVER_ARTICLE,
    };

    struct World {
        dir: tempfile::TempDir,
        desk: Desk,
        vendor: SigningKey,
        base: BaseCertificate,
        failover: LicenseNumber,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(&dir.path().join("store.sqlite")).unwrap();
        let vendor = SigningKey::from_bytes(&[21; 32]);
        let public = vendor.verifying_key();
        let vpub = dir.path().join("vendor.vpub");
        let key = VendorPublicKey {
            key_id: KeyId::of_public_key(&public),
            public_key: licdesk_core::trust::encode_public_key(&public),
            vendor: "View Vendor".into(),
            created_at: Timestamp::from_unix(1_790_000_000),
        };
        std::fs::write(&vpub, seal(FileKind::VendorPublicKey, &key, &vendor)).unwrap();
        desk.trust_add(&vpub).unwrap();
        let base = BaseCertificate {
            license: LicenseNumber::from_random(LicenseProduct::Suite, [3, 1, 4, 1, 5]),
            revision: 1,
            customer: "View Tests AG".into(),
            variant: Variant::Users10,
            extensions: vec![],
            issued_at: Timestamp::from_unix(1_790_000_000),
        };
        let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [2, 7, 1, 8, 2]);
        let fo = FailoverCertificate {
            license: failover.clone(),
            article: FAILOVER_ARTICLE.into(),
            base_license: base.license.clone(),
            issued_at: Timestamp::from_unix(1_790_000_000),
        };
        for text in [
            seal(FileKind::BaseCertificate, &base, &vendor),
            seal(FileKind::FailoverCertificate, &fo, &vendor),
        ] {
            let outcome = desk.import_bytes("cert", text.as_bytes());
            assert_eq!(
                outcome.status,
                ImportStatus::Imported,
                "{}",
                outcome.message
            );
        }
        World {
            dir,
            desk,
            vendor,
            base,
            failover,
        }
    }

    fn standby(w: &World) -> super::SystemView {
        let detail = w.desk.show(&w.failover).unwrap();
        detail.summary.failovers[0].standby.clone().unwrap()
    }

    #[test]
    fn a_typed_standby_is_not_activatable_and_its_request_is_refused_with_its_own_code() {
        let mut w = world();
        let typed = Hardware::from_code(HardwareId::from_digest(b"typed view standby"));
        w.desk
            .register_standby_hardware(&w.failover, typed, StandbyMode::Hot)
            .unwrap();
        let s = standby(&w);
        assert!(!s.activatable);
        assert_eq!(s.request_written_at, None);
        let out = w.dir.path().join("typed.actreq");
        let e = w
            .desk
            .write_request(&w.failover, Role::Standby, None, &out, IfExists::Refuse)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NoInstallationKey, "{}", e.message);
        assert!(e.message.contains("typed hardware ID"), "{}", e.message);
        assert!(!out.exists());
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["activatable"], false);
        assert!(json["request_written_at"].is_null());
    }

    #[test]
    fn a_written_request_shows_until_its_response_is_imported_and_the_limits_then_show() {
        let mut w = world();
        let hardware = Hardware::from_code(HardwareId::from_digest(b"file view standby"));
        let installation = SigningKey::from_bytes(&[55; 32]);
        let file = seal(
            FileKind::HardwareId,
            &licdesk_core::model::HardwareIdFile {
                hardware: hardware.clone(),
                created_at: Timestamp::from_unix(1_790_000_050),
            },
            &installation,
        );
        w.desk
            .register_standby(
                &w.failover,
                &MachineChoice::FileContent(file.into_bytes()),
                StandbyMode::Cold,
            )
            .unwrap();
        let s = standby(&w);
        assert!(s.activatable);
        assert_eq!(s.request_written_at, None, "registered, not exported yet");
        assert_eq!(s.limits, None);

        let before = crate::now();
        let request = w
            .desk
            .write_request(
                &w.failover,
                Role::Standby,
                None,
                &w.dir.path().join("req.actreq"),
                IfExists::Refuse,
            )
            .unwrap();
        let written = standby(&w).request_written_at.expect("the request's time");
        assert!(written >= before && written <= crate::now(), "{written}");
        // The list says it too (an index lookup per system that is not active).
        let row = w.desk.list("", 0, 10).unwrap().rows.remove(0);
        assert_eq!(
            row.failovers[0]
                .standby
                .as_ref()
                .unwrap()
                .request_written_at,
            Some(written)
        );

        let limits = LoadLimits {
            max_load_hours: 48,
            episode_gap_hours: 12,
            warning_hours: 24,
            final_warning_hours: 36,
        };
        let response = ActivationResponse {
            request_nonce: request.nonce,
            license: w.failover.clone(),
            role: Role::Standby,
            hardware,
            mirrors: w.base.license.clone(),
            base_revision: 1,
            mode: Some(StandbyMode::Cold),
            entitlements: standby_entitlements(&w.base, &w.failover),
            entitlement_digest: w.base.entitlement_digest(),
            notice: Some(licdesk_core::standby_notice(&limits)),
            limits: Some(limits),
            installation_key: Some(licdesk_core::InstallationKey::of(
                &installation.verifying_key(),
            )),
            activated_at: Timestamp::from_unix(1_790_000_100),
            serial: None,
        };
        let text = seal(FileKind::ActivationResponse, &response, &w.vendor);
        let outcome = w.desk.import_bytes("resp", text.as_bytes());
        assert_eq!(
            outcome.status,
            ImportStatus::Activated,
            "{}",
            outcome.message
        );
        let s = standby(&w);
        assert_eq!(s.status, super::Status::Active);
        assert_eq!(s.request_written_at, None, "answered");
        assert_eq!(s.limits, Some(limits));
        assert!(s.activatable);
    }
}
