//! Why the vendor tool refused or failed: one variant per reason, each with the values it is
//! about, a sentence for people (`Display`), a stable code for scripts ([`IssuerError::code`]),
//! the broader code `--json` has always printed ([`IssuerError::category`]) and the exit status
//! ([`IssuerError::exit_code`]). The shell chooses what to print and how to exit from the variant,
//! never from the sentence.

use std::path::Path;

use licdesk_core::{FileError, HardwareId, IdError, KeyId, LicenseNumber, RuleViolation};
use licdesk_outfile::OutputError;
use licdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    /// A value given to the tool (a name, variant, extension, reason) that the core refused.
    #[error("{0}")]
    InvalidInput(String),
    #[error(transparent)]
    InvalidId(#[from] IdError),
    #[error("the revision starts at 1")]
    RevisionZero,
    #[error("{option} must be between 1 and {max} hours, not {hours}")]
    LimitOutOfRange {
        option: &'static str,
        hours: u32,
        max: u32,
    },
    #[error("the limits must rise: --warn-hours ({warning}) < --final-warn-hours ({final_warning}) < --limit-hours ({limit})")]
    LimitsNotRising {
        warning: u32,
        final_warning: u32,
        limit: u32,
    },
    #[error("{what} {path}: {reason}")]
    Io {
        what: &'static str,
        path: String,
        reason: String,
    },
    /// The key file can be read or changed by others: `who` says by whom (Unix: its mode;
    /// Windows: the accounts), `fix` the command that makes it private.
    #[error(
        "the key file {path} is readable by other users ({who}): make it private with '{fix}'"
    )]
    KeyNotPrivate {
        path: String,
        who: String,
        fix: String,
    },
    #[error("the key file {0} is not a License Desk vendor private key (or is damaged)")]
    BadKeyFile(String),
    #[error("{0}")]
    Output(#[from] OutputError),
    /// The ledger could not be opened; its own sentence says why.
    #[error(transparent)]
    LedgerOpen(StoreError),
    #[error("the ledger: {0}")]
    Store(#[from] StoreError),
    #[error("the ledger's installation key of {license} is damaged: {reason}")]
    LedgerKeyDamaged {
        license: LicenseNumber,
        reason: String,
    },

    // Requests refused: every sentence starts with "the request was refused".
    #[error("the request was refused: {0}")]
    File(#[from] FileError),
    #[error("the request was refused: {0}")]
    Rule(#[from] RuleViolation),
    #[error("the request was refused: {path} is {len} bytes, more than the {cap} bytes such a request may have")]
    RequestTooLarge { path: String, len: u64, cap: u64 },
    #[error("the request was refused: the request grew beyond its size cap while it was read")]
    RequestGrew { cap: u64 },
    /// A value in the request (its base certificate, its reason) that the core refused.
    #[error("the request was refused: {0}")]
    RequestInvalid(String),
    #[error("the request was refused: {0}")]
    BadNonce(String),
    #[error("the request was refused: its hardware description is invalid: {0}")]
    BadHardware(String),
    #[error("the request was refused: its installation key is invalid: {0}")]
    BadInstallationKey(String),
    #[error("the request was refused: the standby request for FailoverSuite {failover} carries no installation key: register the standby from a hardware-ID file made on that machine (licdesk hwid --out FILE, then --hwid-file FILE) or with --this-machine on the standby itself, not from a typed hardware ID, and write a new request")]
    NoInstallationKey { failover: LicenseNumber },
    #[error("the request was refused: it relies on a certificate signed by key {signer}, not by this vendor key {own}")]
    ForeignCertificate { signer: KeyId, own: KeyId },
    #[error("the request was refused: it carries a {kind} among its certificates")]
    NotACertificate { kind: &'static str },
    #[error("the request was refused: it does not carry the certificate of base license {base}")]
    NoBaseCertificate { base: LicenseNumber },
    #[error(
        "the request was refused: it does not carry the certificate of FailoverSuite {failover}"
    )]
    NoFailoverCertificate { failover: LicenseNumber },
    #[error("the request was refused: a main system mirrors no other license")]
    MainMirrorsOther {
        license: LicenseNumber,
        mirrors: LicenseNumber,
    },
    #[error("the request was refused: FailoverSuite {failover} belongs to base license {base}, not {asked}")]
    FailoverOfOtherBase {
        failover: LicenseNumber,
        base: LicenseNumber,
        asked: LicenseNumber,
    },
    #[error("the request was refused: its nonce {nonce_start}… was already used by another request, which the ledger answered: a nonce belongs to one request. License Desk makes a fresh nonce for every request: write a new request")]
    NonceReused { nonce_start: String },
    #[error("the request was refused: the standby {hardware_id} of FailoverSuite {failover} was activated with installation key {certified}, and this request carries {asked}: a re-activation keeps its installation key. If the License Desk on that machine was reinstalled or its key lost, the standby must be released first (by hand, after checking the customer's claim: licdesk-issuer release-by-hand --failover {failover})", asked = or_none(.asked))]
    OtherInstallationKey {
        failover: LicenseNumber,
        hardware_id: HardwareId,
        certified: KeyId,
        asked: Option<KeyId>,
    },
    /// The ledger holds no standby of `failover`: asked for by a release request, or by hand.
    #[error("{}the ledger holds no active standby of FailoverSuite {failover}: there is nothing to release", if *.by_hand { "" } else { "the request was refused: " })]
    NothingToRelease {
        failover: LicenseNumber,
        by_hand: bool,
    },
    #[error("the request was refused: the ledger holds the standby {held} for FailoverSuite {failover}, not {asked}")]
    OtherStandby {
        failover: LicenseNumber,
        held: HardwareId,
        asked: HardwareId,
    },
    #[error("the request was refused: the activation of FailoverSuite {failover} on {hardware_id} certified no installation key, so no release request can prove it comes from that standby; {}", lost(.failover))]
    NoCertifiedKey {
        failover: LicenseNumber,
        hardware_id: HardwareId,
    },
    #[error("the request was refused: the release request is signed by key {signer}, not by the installation key {certified} that the activation of FailoverSuite {failover} on {hardware_id} certified: only the License Desk on that standby machine can ask for its release (licdesk standby release-request there); {}", lost(.failover))]
    ReleaseNotByInstallation {
        failover: LicenseNumber,
        hardware_id: HardwareId,
        signer: KeyId,
        certified: KeyId,
    },
}

fn or_none(key: &Option<KeyId>) -> String {
    key.as_ref()
        .map(|k| k.to_string())
        .unwrap_or_else(|| "none".into())
}

/// What to do when a standby cannot sign its own release request.
fn lost(failover: &LicenseNumber) -> String {
    format!(
        "if the standby machine is lost or cannot start, release FailoverSuite {failover} by hand after checking the customer's claim (licdesk-issuer release-by-hand --failover {failover})"
    )
}

impl IssuerError {
    /// The stable code of this refusal or failure, one per variant (an output refusal has the
    /// code of its kind, a refused request file the code of FORMAT.md §8 the desk gives the same
    /// problem), for scripts that branch on it; `--json` prints it as `error`.
    pub fn code(&self) -> &'static str {
        use IssuerError::*;
        match self {
            InvalidInput(_) => "invalid_input",
            InvalidId(_) => "invalid_id",
            RevisionZero => "revision_zero",
            LimitOutOfRange { .. } => "limit_out_of_range",
            LimitsNotRising { .. } => "limits_not_rising",
            Io { .. } => "io",
            KeyNotPrivate { .. } => "key_not_private",
            BadKeyFile(_) => "bad_key_file",
            Output(e) => match e {
                OutputError::Protected { .. } => "output_protected",
                OutputError::Exists { .. } => "file_exists",
                OutputError::NotRegular { .. } => "output_not_regular",
                OutputError::DiskFull { .. } => "disk_full",
                OutputError::NoFileName { .. } => "output_no_file_name",
                OutputError::Io { .. } => "output_io",
                OutputError::NameNotAllowed { .. } => "output_name_not_allowed",
            },
            LedgerOpen(_) => "ledger_open",
            Store(_) => "ledger",
            LedgerKeyDamaged { .. } => "ledger_key_damaged",
            // The code the desk gives the same problem (FORMAT.md §8); `category` stays
            // `refused_file`.
            File(e) => e.code(),
            Rule(_) => "rule_violation",
            RequestTooLarge { .. } => "request_too_large",
            RequestGrew { .. } => "request_grew",
            RequestInvalid(_) => "request_invalid",
            BadNonce(_) => "bad_nonce",
            BadHardware(_) => "bad_hardware",
            BadInstallationKey(_) => "bad_installation_key",
            NoInstallationKey { .. } => "no_installation_key",
            ForeignCertificate { .. } => "foreign_certificate",
            NotACertificate { .. } => "not_a_certificate",
            NoBaseCertificate { .. } => "no_base_certificate",
            NoFailoverCertificate { .. } => "no_failover_certificate",
            MainMirrorsOther { .. } => "main_mirrors_other",
            FailoverOfOtherBase { .. } => "failover_of_other_base",
            NonceReused { .. } => "nonce_reused",
            OtherInstallationKey { .. } => "other_installation_key",
            NothingToRelease { .. } => "nothing_to_release",
            OtherStandby { .. } => "other_standby",
            NoCertifiedKey { .. } => "no_certified_key",
            ReleaseNotByInstallation { .. } => "release_not_by_installation",
        }
    }

    /// The broader code `--json` prints as `code`, as it always has: `refused` for a request
    /// refused, `invalid_input` for a value given to the tool, an output refusal's own code, …
    pub fn category(&self) -> &'static str {
        use IssuerError::*;
        match self {
            InvalidInput(_)
            | InvalidId(_)
            | RevisionZero
            | LimitOutOfRange { .. }
            | LimitsNotRising { .. }
            | LedgerKeyDamaged { .. }
            | NothingToRelease { by_hand: true, .. } => "invalid_input",
            Io { .. } => "io",
            KeyNotPrivate { .. } => "key_not_private",
            BadKeyFile(_) => "bad_key_file",
            Output(e) => e.code(),
            LedgerOpen(_) | Store(_) => "ledger",
            File(_) => "refused_file",
            Rule(_) => "rule_violation",
            RequestTooLarge { .. }
            | RequestGrew { .. }
            | RequestInvalid(_)
            | BadNonce(_)
            | BadHardware(_)
            | BadInstallationKey(_)
            | NoInstallationKey { .. }
            | ForeignCertificate { .. }
            | NotACertificate { .. }
            | NoBaseCertificate { .. }
            | NoFailoverCertificate { .. }
            | MainMirrorsOther { .. }
            | FailoverOfOtherBase { .. }
            | NonceReused { .. }
            | OtherInstallationKey { .. }
            | NothingToRelease { by_hand: false, .. }
            | OtherStandby { .. }
            | NoCertifiedKey { .. }
            | ReleaseNotByInstallation { .. } => "refused",
        }
    }

    /// The exit status of the tool that ends with this error: 1 for every refusal and failure,
    /// as scripts have always seen it (2 is a usage error and 141 a closed pipe, both decided
    /// before any of these).
    pub fn exit_code(&self) -> u8 {
        EXIT_FAILURE
    }
}

/// The exit status of a refused or failed command.
pub const EXIT_FAILURE: u8 = 1;

/// An I/O failure on `path` while doing `what` ("cannot read the key file").
pub(crate) fn io(what: &'static str, path: &Path, e: std::io::Error) -> IssuerError {
    IssuerError::Io {
        what,
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests;
