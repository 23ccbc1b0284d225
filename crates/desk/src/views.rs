//! What the shells show: serializable views with stable field names (the CLI's `--json` and the
//! app's IPC use them as they are).

use licdesk_core::{
    Entitlement, Extension, HardwareId, LicenseNumber, Role, StandbyMode, Timestamp, Variant,
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
    /// Whether the vendor certified an installation key, so usage journals can be verified.
    pub journal_verifiable: bool,
    /// When the administrator acknowledged the standby/test-only notice (R11).
    pub notice_acknowledged_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailoverView {
    pub license: LicenseNumber,
    pub article: String,
    pub demo: bool,
    /// The standby registered or activated for this FailoverSuite (R4: at most one).
    pub standby: Option<SystemView>,
    /// The five-day evaluation of the latest usage journal imported for it (R12).
    pub usage: Option<licdesk_store::UsageReport>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct LicensePage {
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<LicenseSummary>,
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
}

/// What happened to one imported file.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub file: String,
    pub kind: Option<&'static str>,
    pub status: ImportStatus,
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
