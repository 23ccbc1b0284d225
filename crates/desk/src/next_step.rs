//! What a person does next about a refusal or a problem, as a typed value: the desk names the
//! step, each shell words it (the CLI as a command line, the window as its own controls).

use licdesk_core::LicenseNumber;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum NextStep {
    /// Look into the journal, then dismiss it with a reason (`journal`: its SHA-256, or the
    /// first 12 characters of it).
    DismissJournal { journal: String },
    /// Look into the violations, then acknowledge them with a reason.
    AcknowledgeViolations { failover: LicenseNumber },
    /// Export the standby's latest usage journal there and import it here.
    ImportLatestJournal,
    /// Import the current activation response on the standby, export its journal again there,
    /// and import that.
    ReexportJournal,
    /// Say why (the audit log keeps the reason).
    GiveReason,
    /// Monitoring lists what is reported.
    SeeMonitoring,
    /// Leave the time out to record "now".
    LeaveOutTime,
    /// Activate this machine as a standby from this desk: register it, write the request,
    /// import the response.
    ActivateThisMachine,
    /// Make a hardware-ID file on the standby and register the standby from it (or write the
    /// request on the standby itself).
    RegisterFromHardwareIdFile,
    /// Use the hardware-ID file to register a standby or to write a request.
    UseHardwareIdFile,
    /// Trust the vendor key from the command line (the window cannot).
    TrustKey,
    /// Write the release request on the standby machine itself.
    ReleaseRequestOnStandby { failover: LicenseNumber },
    /// Register the standby first, or name the machine.
    NameMachine,
    /// A FailoverSuite is activated in the role of a standby.
    UseRoleStandby,
    /// Choose where the store is.
    ChooseStore,
    /// The file exists: replace it (or choose another name).
    ReplaceFile,
}
