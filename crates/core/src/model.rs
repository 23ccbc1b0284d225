//! The licensing domain: base licenses (R1), the FailoverSuite extension (R2, R3), systems with a
//! role and a mode (R8, R9), and what a standby carries (R5, R10, R11).

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hwid::Hardware;
use crate::ids::{LicenseNumber, LicenseProduct};
use crate::key::InstallationKey;
use crate::time::Timestamp;
use crate::value::WordKind;

pub use crate::ids::{FAILOVER_ARTICLE, FAILOVER_NAME, SUITE_NAME};
pub use crate::nonce::{
    by_hand_nonce, check_nonce, request_nonce, short_nonce, BY_HAND_NONCE_PREFIX,
};
pub use crate::value::{validate_text, ValueError};

/// R11: the notice every FailoverSuite and standby view shows and the signed standby license carries.
pub const STANDBY_NOTICE: &str = "This OfficeMaster FailoverSuite is licensed for standby or test operation only. \
Any other use breaks the license. It may run under load for at most five consecutive days; idle time does not count.";

/// The R11 notice a standby's signed license carries: [`STANDBY_NOTICE`] with the data sheet's
/// five days, or naming the limits the vendor set for this activation.
pub fn standby_notice(limits: &LoadLimits) -> String {
    if *limits == LoadLimits::default() {
        return STANDBY_NOTICE.to_string();
    }
    format!(
        "This OfficeMaster FailoverSuite is licensed for standby or test operation only. \
Any other use breaks the license. It may run under load for at most {} hours at a stretch (an idle gap of {} hours ends a stretch); idle time does not count.",
        limits.max_load_hours, limits.episode_gap_hours
    )
}

/// R1: the four variants of a base license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Variant {
    #[serde(rename = "10")]
    Users10,
    #[serde(rename = "25")]
    Users25,
    #[serde(rename = "250")]
    Users250,
    #[serde(rename = "unlimited")]
    Unlimited,
}

impl Variant {
    pub const ALL: [Variant; 4] = [
        Variant::Users10,
        Variant::Users25,
        Variant::Users250,
        Variant::Unlimited,
    ];

    pub fn parse(text: &str) -> Result<Self, ValueError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "10" => Ok(Variant::Users10),
            "25" => Ok(Variant::Users25),
            "250" => Ok(Variant::Users250),
            "unlimited" => Ok(Variant::Unlimited),
            other => Err(ValueError::unknown_word(WordKind::Variant, other)),
        }
    }

    /// The stable short form used in files, the CLI and the UI: `10`, `25`, `250`, `unlimited`.
    pub fn code(self) -> &'static str {
        match self {
            Variant::Users10 => "10",
            Variant::Users25 => "25",
            Variant::Users250 => "250",
            Variant::Unlimited => "unlimited",
        }
    }

    /// The variant a suite entitlement names (the inverse of how a certificate names it), for
    /// the entitlements a signed activation granted.
    pub fn of_suite_entitlement(e: &Entitlement) -> Option<Variant> {
        (e.article == "OMS")
            .then(|| {
                Variant::ALL
                    .into_iter()
                    .find(|v| e.name == format!("{SUITE_NAME} ({})", v.describe()))
            })
            .flatten()
    }

    pub fn describe(self) -> &'static str {
        match self {
            Variant::Users10 => "10 users",
            Variant::Users25 => "25 users",
            Variant::Users250 => "250 users",
            Variant::Unlimited => "unlimited users",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// An extension license on a base license (R1): article number, name, quantity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Extension {
    pub article: String,
    pub name: String,
    pub quantity: u32,
}

impl Extension {
    /// Parses the issuer's `ARTICLE:NAME:QTY` form and validates it.
    pub fn parse_spec(spec: &str) -> Result<Self, ValueError> {
        let mut parts = spec.splitn(3, ':');
        let (Some(article), Some(name), Some(qty)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ValueError::ExtensionShape {
                spec: spec.to_string(),
            });
        };
        let quantity = qty
            .trim()
            .parse::<u32>()
            .map_err(|_| ValueError::QuantityNotNumber {
                quantity: qty.to_string(),
                spec: spec.to_string(),
            })?;
        let ext = Extension {
            article: article.trim().to_string(),
            name: name.trim().to_string(),
            quantity,
        };
        ext.validate()?;
        Ok(ext)
    }

    pub fn validate(&self) -> Result<(), ValueError> {
        let a = &self.article;
        if a.is_empty()
            || a.len() > 32
            || !a
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        {
            return Err(ValueError::BadArticle { article: a.clone() });
        }
        if a == FAILOVER_ARTICLE {
            return Err(ValueError::FailoverAsExtension);
        }
        validate_text("extension name", &self.name, 100)?;
        if self.quantity == 0 || self.quantity > 1_000_000 {
            return Err(ValueError::Quantity {
                article: a.clone(),
                quantity: self.quantity,
            });
        }
        Ok(())
    }
}

/// Payload of a base license certificate (R1). A later `revision` of the same number replaces
/// the earlier one (an extension added, a variant upgraded: R5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseCertificate {
    pub license: LicenseNumber,
    pub revision: u32,
    pub customer: String,
    pub variant: Variant,
    pub extensions: Vec<Extension>,
    pub issued_at: Timestamp,
}

impl BaseCertificate {
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.license.product() != LicenseProduct::Suite {
            return Err(ValueError::NotSuiteLicense {
                license: self.license.clone(),
            });
        }
        if self.revision == 0 {
            return Err(ValueError::RevisionZero {
                license: self.license.clone(),
            });
        }
        validate_text("customer name", &self.customer, 200)?;
        for e in &self.extensions {
            e.validate()?;
        }
        Ok(())
    }

    /// R5/R10: what a system licensed by this certificate is entitled to.
    pub fn entitlements(&self) -> Vec<Entitlement> {
        let mut all = vec![Entitlement {
            article: "OMS".to_string(),
            name: format!("{SUITE_NAME} ({})", self.variant.describe()),
            quantity: 1,
        }];
        all.extend(self.extensions.iter().map(|e| Entitlement {
            article: e.article.clone(),
            name: e.name.clone(),
            quantity: e.quantity,
        }));
        all
    }

    /// A digest of the entitlements: a standby activated under another digest is out of date (R5).
    pub fn entitlement_digest(&self) -> String {
        entitlement_digest(&self.license, &self.entitlements())
    }
}

/// Digest of a list of entitlements of a base license, in hex.
pub fn entitlement_digest(license: &LicenseNumber, entitlements: &[Entitlement]) -> String {
    let json = serde_json::to_vec(&(license, entitlements)).unwrap_or_default();
    crate::hex::encode(&Sha256::digest(json)[..16])
}

/// One line of what a system may run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entitlement {
    pub article: String,
    pub name: String,
    pub quantity: u32,
}

/// Payload of a FailoverSuite license certificate: XFM.47000 bound to one base license (R2, R3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailoverCertificate {
    pub license: LicenseNumber,
    pub article: String,
    pub base_license: LicenseNumber,
    pub issued_at: Timestamp,
}

impl FailoverCertificate {
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.license.product() != LicenseProduct::FailoverSuite {
            return Err(ValueError::NotFailoverLicense {
                license: self.license.clone(),
            });
        }
        if self.base_license.product() != LicenseProduct::Suite {
            return Err(ValueError::FailoverBaseNotSuite {
                base: self.base_license.clone(),
            });
        }
        if self.article != FAILOVER_ARTICLE {
            return Err(ValueError::FailoverArticle {
                article: self.article.clone(),
            });
        }
        Ok(())
    }
}

/// Whether a system runs the suite productively or stands by for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Main,
    Standby,
}

impl Role {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "main" => Ok(Role::Main),
            "standby" => Ok(Role::Standby),
            other => Err(ValueError::unknown_word(WordKind::Role, other)),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Role::Main => "main",
            Role::Standby => "standby",
        }
    }
}

/// How a standby is run (R8, R9). Recorded and shown; it changes nothing in the license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StandbyMode {
    Cold,
    Hot,
    Test,
}

impl StandbyMode {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cold" => Ok(StandbyMode::Cold),
            "hot" => Ok(StandbyMode::Hot),
            "test" => Ok(StandbyMode::Test),
            other => Err(ValueError::unknown_word(WordKind::StandbyMode, other)),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            StandbyMode::Cold => "cold",
            StandbyMode::Hot => "hot",
            StandbyMode::Test => "test",
        }
    }
    pub fn describe(self) -> &'static str {
        match self {
            StandbyMode::Cold => "cold standby",
            StandbyMode::Hot => "hot standby",
            StandbyMode::Test => "test and development system (R8)",
        }
    }
}

/// The R12 limits, carried in the signed standby license so the vendor can change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadLimits {
    pub max_load_hours: u32,
    pub episode_gap_hours: u32,
    pub warning_hours: u32,
    pub final_warning_hours: u32,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_load_hours: 120,
            episode_gap_hours: 24,
            warning_hours: 72,
            final_warning_hours: 96,
        }
    }
}

/// Payload of an activation request, written by the desk (the offline activation, step 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationRequest {
    /// 32 random bytes in hex; the response must echo it.
    pub nonce: String,
    pub created_at: Timestamp,
    /// The base license (role main) or the FailoverSuite license (role standby).
    pub license: LicenseNumber,
    pub role: Role,
    pub hardware: Hardware,
    /// The base license whose main system a standby mirrors (R5); the license itself for a main.
    pub mirrors: LicenseNumber,
    pub mode: Option<StandbyMode>,
    /// The armored certificates the request relies on: the base, and for a standby the FailoverSuite.
    pub certificates: Vec<String>,
    /// Base64 public key of the standby installation that will sign its usage journal (R12).
    pub installation_key: Option<InstallationKey>,
}

/// Payload of a signed activation response (the offline activation, step 5), bound to one request's nonce,
/// one license and one machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationResponse {
    pub request_nonce: String,
    pub license: LicenseNumber,
    pub role: Role,
    pub hardware: Hardware,
    pub mirrors: LicenseNumber,
    pub base_revision: u32,
    pub mode: Option<StandbyMode>,
    /// R5/R10: everything the activated system may run; for a standby the main system's
    /// entitlements plus the FailoverSuite.
    pub entitlements: Vec<Entitlement>,
    /// Digest of the main system's entitlements at activation (R5 out-of-date detection).
    pub entitlement_digest: String,
    /// R11 notice for a standby; absent for a main system.
    pub notice: Option<String>,
    /// R12 limits for a standby.
    pub limits: Option<LoadLimits>,
    /// The standby installation's public key, certified: its usage journals must be signed by it.
    pub installation_key: Option<InstallationKey>,
    pub activated_at: Timestamp,
    /// The vendor ledger's sequence number of this decision: what the vendor signed for one
    /// system moves forward only (a response or release with a lower number is superseded).
    /// Absent in files of vendor tools before it was introduced: their time orders them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<u64>,
}

impl ActivationResponse {
    /// Checks what the desk relies on before it uses or shows anything of a verified response
    /// (FORMAT.md §7.5): every reader of a response — its import, the activation a usage journal
    /// carries, monitoring — applies these same rules.
    pub fn validate(&self) -> Result<(), ValueError> {
        check_nonce(&self.request_nonce)?;
        self.hardware.validate()?;
        check_digest(&self.entitlement_digest)?;
        if let Some(notice) = &self.notice {
            validate_text("notice", notice, 2000)?;
        }
        for e in &self.entitlements {
            validate_text("entitlement name", &e.name, 200)?;
            validate_text("entitlement article", &e.article, 40)?;
        }
        if let Some(key) = &self.installation_key {
            key.decode_canonical()
                .map_err(|problem| ValueError::BadInstallationKey { problem })?;
        }
        Ok(())
    }
}

/// An entitlement digest as [`entitlement_digest`] writes it: 32 lowercase hex characters.
fn check_digest(digest: &str) -> Result<(), ValueError> {
    if digest.len() == 32 && crate::hex::is_lower_hex(digest) {
        Ok(())
    } else {
        Err(ValueError::BadEntitlementDigest {
            chars: digest.chars().count(),
        })
    }
}

/// Payload of a release request: the standby of `failover` on `hardware` is being replaced, and
/// the vendor is asked to release the FailoverSuite for a new standby machine (R4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    pub nonce: String,
    pub created_at: Timestamp,
    pub failover: LicenseNumber,
    pub hardware: Hardware,
    pub reason: String,
}

/// Payload of a vendor-signed standby release, bound to one release request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub request_nonce: String,
    pub failover: LicenseNumber,
    pub hardware_id: crate::ids::HardwareId,
    pub released_at: Timestamp,
    /// The vendor ledger's sequence number (see [`ActivationResponse::serial`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<u64>,
}

impl Release {
    pub fn validate(&self) -> Result<(), ValueError> {
        check_nonce(&self.request_nonce)?;
        if self.failover.product() != LicenseProduct::FailoverSuite {
            return Err(ValueError::NotFailoverLicense {
                license: self.failover.clone(),
            });
        }
        Ok(())
    }
}

/// Payload of a hardware-ID file (`licdesk hwid --out`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HardwareIdFile {
    pub hardware: Hardware,
    pub created_at: Timestamp,
}

/// Payload of a vendor public key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorPublicKey {
    pub key_id: crate::ids::KeyId,
    /// Base64 of the 32-byte Ed25519 public key.
    pub public_key: String,
    pub vendor: String,
    pub created_at: Timestamp,
}

/// A payload whose values the rules of FORMAT.md §6–§7 check beyond its canonical JSON: what
/// every reader of such a file applies ([`crate::Verified::checked_payload`]), wherever the file
/// comes from (imported, carried inside another file, read back for monitoring).
pub trait CheckedPayload: Serialize + serde::de::DeserializeOwned {
    fn check(&self) -> Result<(), ValueError>;
}

impl CheckedPayload for BaseCertificate {
    fn check(&self) -> Result<(), ValueError> {
        self.validate()
    }
}

impl CheckedPayload for FailoverCertificate {
    fn check(&self) -> Result<(), ValueError> {
        self.validate()
    }
}

impl CheckedPayload for ActivationResponse {
    fn check(&self) -> Result<(), ValueError> {
        self.validate()
    }
}

impl CheckedPayload for Release {
    fn check(&self) -> Result<(), ValueError> {
        self.validate()
    }
}

/// The standby's entitlements: all of the main system's plus the FailoverSuite (R5, R10).
pub fn standby_entitlements(base: &BaseCertificate, failover: &LicenseNumber) -> Vec<Entitlement> {
    let mut all = base.entitlements();
    all.push(Entitlement {
        article: FAILOVER_ARTICLE.to_string(),
        name: format!("{FAILOVER_NAME} {failover}"),
        quantity: 1,
    });
    all
}

#[cfg(test)]
mod tests;
