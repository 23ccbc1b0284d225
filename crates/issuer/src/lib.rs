//! The vendor's side of License Desk: key pairs, license certificates and activation responses.
//! It is a separate tool so that no private vendor key is ever part of the desktop app.

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::{
    rules, seal, standby_entitlements, ActivationRequest, ActivationResponse, BaseCertificate,
    Envelope, Extension, FailoverCertificate, FileError, FileKind, KeyId, LicenseNumber,
    LicenseProduct, LoadLimits, Role, RuleViolation, SigningKey, Timestamp, Variant,
    VendorPublicKey, FAILOVER_ARTICLE,
};
use licdesk_outfile::{Output, OutputError};
use licdesk_store::ledger::{Ledger, LedgerActivation};
use licdesk_store::StoreError;
use rand_core::{OsRng, RngCore};
use serde::Serialize;

pub use licdesk_outfile::IfExists;

#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    #[error("{0}")]
    Invalid(String),
    #[error("{what} {path}: {reason}")]
    Io {
        what: &'static str,
        path: String,
        reason: String,
    },
    #[error("the key file {0} is readable by other users: make it private with 'chmod 600 {0}'")]
    KeyNotPrivate(String),
    #[error("the key file {0} is not a License Desk vendor private key (or is damaged)")]
    BadKeyFile(String),
    #[error("{0}")]
    Output(#[from] OutputError),
    #[error("the request was refused: {0}")]
    File(#[from] FileError),
    #[error("the request was refused: {0}")]
    Rule(#[from] RuleViolation),
    #[error("the ledger: {0}")]
    Store(#[from] StoreError),
}

fn io(what: &'static str, path: &Path, e: std::io::Error) -> IssuerError {
    IssuerError::Io {
        what,
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

pub fn now() -> Timestamp {
    Timestamp::from_unix(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    )
}

// ---------------------------------------------------------------------------------------------
// Keys

const KEY_BEGIN: &str = "-----BEGIN LICDESK VENDOR PRIVATE KEY-----";
const KEY_END: &str = "-----END LICDESK VENDOR PRIVATE KEY-----";

/// A vendor's signing key and name.
#[derive(Debug)]
pub struct VendorKey {
    pub key: SigningKey,
    pub vendor: String,
}

impl VendorKey {
    pub fn key_id(&self) -> KeyId {
        KeyId::of_public_key(&self.key.verifying_key())
    }

    /// The self-signed public key file that desks trust with `licdesk trust add`.
    pub fn public_key_file(&self) -> String {
        let public = self.key.verifying_key();
        seal(
            FileKind::VendorPublicKey,
            &VendorPublicKey {
                key_id: self.key_id(),
                public_key: licdesk_core::trust::encode_public_key(&public),
                vendor: self.vendor.clone(),
                created_at: now(),
            },
            &self.key,
        )
    }

    pub fn to_file_text(&self) -> String {
        format!(
            "{KEY_BEGIN}\nVendor: {}\n\n{}\n{KEY_END}\n",
            self.vendor,
            B64.encode(self.key.to_bytes())
        )
    }

    pub fn parse(text: &str) -> Option<VendorKey> {
        let mut lines = text.lines();
        (lines.next()? == KEY_BEGIN).then_some(())?;
        let vendor = lines.next()?.strip_prefix("Vendor: ")?.to_string();
        lines.next()?.is_empty().then_some(())?;
        let seed: [u8; 32] = B64.decode(lines.next()?.trim()).ok()?.try_into().ok()?;
        (lines.next()? == KEY_END).then_some(())?;
        Some(VendorKey {
            key: SigningKey::from_bytes(&seed),
            vendor,
        })
    }

    /// Loads a private key file, refusing one that others can read.
    ///
    /// Git does not keep file modes, so tests and scripts that use the demo key from
    /// `tests/data/` copy it to a private temporary file first.
    pub fn load(path: &Path) -> Result<VendorKey, IssuerError> {
        let file =
            std::fs::File::open(path).map_err(|e| io("cannot read the key file", path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = file
                .metadata()
                .map_err(|e| io("cannot read the key file", path, e))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(IssuerError::KeyNotPrivate(path.display().to_string()));
            }
        }
        let mut text = String::new();
        file.take(4096)
            .read_to_string(&mut text)
            .map_err(|_| IssuerError::BadKeyFile(path.display().to_string()))?;
        VendorKey::parse(&text).ok_or_else(|| IssuerError::BadKeyFile(path.display().to_string()))
    }
}

/// The public key file that goes beside a private key file: same name, extension `.vpub`.
pub fn public_key_path(key_path: &Path) -> PathBuf {
    key_path.with_extension(FileKind::VendorPublicKey.extension())
}

/// Makes a new vendor key pair: the private file (mode 0600 from its first byte) and the public
/// key beside it. An existing key file is replaced only with [`IfExists::Replace`] (`--force`),
/// and never by its own public key file (a private key named `*.vpub`).
pub fn keygen(path: &Path, vendor: &str, if_exists: IfExists) -> Result<VendorKey, IssuerError> {
    licdesk_core::model::validate_text("vendor name", vendor, 200).map_err(IssuerError::Invalid)?;
    let public_path = public_key_path(path);
    let private = Output::new(path, if_exists).private();
    let public =
        Output::new(&public_path, if_exists).protect(path, "the vendor private key being made");
    // Both are checked before either is written: no half of a pair is left behind a refusal.
    private.check()?;
    public.check()?;
    let key = VendorKey {
        key: SigningKey::generate(&mut OsRng),
        vendor: vendor.to_string(),
    };
    private.write(key.to_file_text().as_bytes())?;
    public.write(key.public_key_file().as_bytes())?;
    Ok(key)
}

/// A file the vendor tool writes for people at `out`: never over the vendor private key given
/// with `--key` (nor its public key file beside it) or the ledger given with `--ledger`, under
/// whatever name; an existing file only when `if_exists` says to replace it.
pub fn output(
    out: &Path,
    if_exists: IfExists,
    key: Option<&Path>,
    ledger: Option<&Path>,
) -> Output {
    let mut output = Output::new(out, if_exists);
    if let Some(key) = key {
        output = output
            .protect(key, "the vendor private key given with --key")
            .protect(
                public_key_path(key),
                "the public key file of the vendor key given with --key",
            );
    }
    if let Some(ledger) = ledger {
        output = output.protect_database(ledger, "the ledger given with --ledger");
    }
    output
}

fn random_license(product: LicenseProduct) -> LicenseNumber {
    let mut bytes = [0u8; 5];
    OsRng.fill_bytes(&mut bytes);
    LicenseNumber::from_random(product, bytes)
}

// ---------------------------------------------------------------------------------------------
// Certificates

#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub license: LicenseNumber,
    pub kind: &'static str,
    pub file: String,
}

/// Issues a base license certificate (R1). With `license`, re-issues that number at `revision`.
pub fn issue_base(
    key: &VendorKey,
    customer: &str,
    variant: Variant,
    extensions: Vec<Extension>,
    license: Option<LicenseNumber>,
    revision: u32,
) -> Result<(BaseCertificate, String), IssuerError> {
    let cert = BaseCertificate {
        license: license.unwrap_or_else(|| random_license(LicenseProduct::Suite)),
        revision,
        customer: customer.trim().to_string(),
        variant,
        extensions,
        issued_at: now(),
    };
    if revision == 0 {
        return Err(IssuerError::Invalid("the revision starts at 1".into()));
    }
    cert.validate().map_err(IssuerError::Invalid)?;
    let text = seal(FileKind::BaseCertificate, &cert, &key.key);
    Ok((cert, text))
}

/// Issues a FailoverSuite certificate bound to one base license (R2, R3: any variant).
pub fn issue_failover(
    key: &VendorKey,
    base: &LicenseNumber,
) -> Result<(FailoverCertificate, String), IssuerError> {
    let cert = FailoverCertificate {
        license: random_license(LicenseProduct::FailoverSuite),
        article: FAILOVER_ARTICLE.to_string(),
        base_license: base.clone(),
        issued_at: now(),
    };
    cert.validate().map_err(IssuerError::Invalid)?;
    let text = seal(FileKind::FailoverCertificate, &cert, &key.key);
    Ok((cert, text))
}

// ---------------------------------------------------------------------------------------------
// Activation

#[derive(Debug, Clone, Serialize)]
pub struct Activated {
    pub license: LicenseNumber,
    pub role: Role,
    pub hardware_id: String,
    pub mirrors: LicenseNumber,
    /// True when this request had been answered before and the same answer was given again.
    pub repeated: bool,
    #[serde(skip)]
    pub response: String,
}

/// A request whose nonce another request already used.
fn nonce_reused(nonce: &str) -> IssuerError {
    refuse(format!(
        "its nonce {}… was already used by another request, which the ledger answered: a nonce belongs to one request. License Desk makes a fresh nonce for every request: write a new request",
        licdesk_core::short_nonce(nonce)
    ))
}

fn refuse(message: impl Into<String>) -> IssuerError {
    IssuerError::Invalid(format!("the request was refused: {}", message.into()))
}

/// Reads a request file within its size cap.
pub fn read_request(path: &Path) -> Result<Vec<u8>, IssuerError> {
    read_capped(path, FileKind::ActivationRequest.size_cap())
}

/// Reads a file of at most `cap` bytes; a larger one is refused from its metadata, unread.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, IssuerError> {
    let file = std::fs::File::open(path).map_err(|e| io("cannot read", path, e))?;
    let len = file
        .metadata()
        .map_err(|e| io("cannot read", path, e))?
        .len();
    if len > cap {
        return Err(refuse(format!(
            "{} is {len} bytes, more than the {cap} bytes such a request may have",
            path.display()
        )));
    }
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io("cannot read", path, e))?;
    if bytes.len() as u64 > cap {
        return Err(refuse(
            "the request grew beyond its size cap while it was read",
        ));
    }
    Ok(bytes)
}

/// Checks a request against the rules and the ledger and signs the response (SPEC §3 step 5),
/// with the default five-day limits for a standby.
pub fn activate(
    key: &VendorKey,
    ledger: &mut Ledger,
    request_bytes: &[u8],
) -> Result<Activated, IssuerError> {
    activate_with(key, ledger, request_bytes, &LoadLimits::default())
}

/// Checks and validates R12 limits given to the issuer: every limit from 1 h up to a year, and
/// warning < final warning < limit.
pub fn validate_limits(limits: &LoadLimits) -> Result<(), IssuerError> {
    const MAX_HOURS: u32 = 24 * 366;
    for (name, hours) in [
        ("--limit-hours", limits.max_load_hours),
        ("--gap-hours", limits.episode_gap_hours),
        ("--warn-hours", limits.warning_hours),
        ("--final-warn-hours", limits.final_warning_hours),
    ] {
        if hours == 0 || hours > MAX_HOURS {
            return Err(IssuerError::Invalid(format!(
                "{name} must be between 1 and {MAX_HOURS} hours, not {hours}"
            )));
        }
    }
    if !(limits.warning_hours < limits.final_warning_hours
        && limits.final_warning_hours < limits.max_load_hours)
    {
        return Err(IssuerError::Invalid(format!(
            "the limits must rise: --warn-hours ({}) < --final-warn-hours ({}) < --limit-hours ({})",
            limits.warning_hours, limits.final_warning_hours, limits.max_load_hours
        )));
    }
    Ok(())
}

/// [`activate`] with the R12 `limits` a standby's signed license carries.
pub fn activate_with(
    key: &VendorKey,
    ledger: &mut Ledger,
    request_bytes: &[u8],
    limits: &LoadLimits,
) -> Result<Activated, IssuerError> {
    validate_limits(limits)?;
    let envelope = Envelope::parse(request_bytes)?.expect(FileKind::ActivationRequest)?;
    let request_id = envelope.content_id();
    let request: ActivationRequest = envelope.verify_self_signed()?.payload()?;
    licdesk_core::check_nonce(&request.nonce).map_err(refuse)?;
    request
        .hardware
        .validate()
        .map_err(|e| refuse(format!("its hardware description is invalid: {e}")))?;
    if let Some(key) = &request.installation_key {
        licdesk_core::trust::decode_public_key(key)
            .map_err(|e| refuse(format!("its installation key is invalid: {e}")))?;
    } else if request.role == Role::Standby {
        // The installation key signs the standby's usage journals (R12) and its release request
        // (R4): a standby without one could be neither monitored nor released safely.
        return Err(refuse(format!(
            "the standby request for FailoverSuite {} carries no installation key: register the standby from a hardware-ID file made on that machine (licdesk hwid --out FILE, then --hwid-file FILE) or with --this-machine on the standby itself, not from a typed hardware ID, and write a new request",
            request.license
        )));
    }
    // The certificates it relies on must be ours.
    let own = key.key.verifying_key();
    let mut bases: Vec<BaseCertificate> = Vec::new();
    let mut failovers: Vec<FailoverCertificate> = Vec::new();
    for text in &request.certificates {
        let env = Envelope::parse(text.as_bytes())?;
        if env.key_id() != &key.key_id() {
            return Err(refuse(format!(
                "it relies on a certificate signed by key {}, not by this vendor key {}",
                env.key_id(),
                key.key_id()
            )));
        }
        match env.kind() {
            FileKind::BaseCertificate => bases.push(env.verify(&own)?.payload()?),
            FileKind::FailoverCertificate => failovers.push(env.verify(&own)?.payload()?),
            other => {
                return Err(refuse(format!(
                    "it carries a {} among its certificates",
                    other.describe()
                )))
            }
        }
    }
    let base = bases
        .into_iter()
        .filter(|b| b.license == request.mirrors)
        .max_by_key(|b| b.revision)
        .ok_or_else(|| {
            refuse(format!(
                "it does not carry the certificate of base license {}",
                request.mirrors
            ))
        })?;
    base.validate().map_err(refuse)?;
    let entitlements = match request.role {
        Role::Main => {
            if request.license != request.mirrors {
                return Err(refuse("a main system mirrors no other license"));
            }
            base.entitlements()
        }
        Role::Standby => {
            let fo = failovers
                .iter()
                .find(|f| f.license == request.license)
                .ok_or_else(|| {
                    refuse(format!(
                        "it does not carry the certificate of FailoverSuite {}",
                        request.license
                    ))
                })?;
            if fo.base_license != request.mirrors {
                return Err(refuse(format!(
                    "FailoverSuite {} belongs to base license {}, not {}",
                    fo.license, fo.base_license, request.mirrors
                )));
            }
            standby_entitlements(&base, &fo.license)
        }
    };

    let tx = ledger.decide()?;
    if let Some(done) = tx.by_nonce(&request.nonce)? {
        // A nonce is one request's: the same request again gets the same response; another
        // request reusing it (another customer's nonce, say) gets nothing of that response.
        let same_request = match &done.request_id {
            Some(id) => *id == request_id,
            // Recorded before the ledger kept request identities: the same decision asked for.
            None => {
                done.license == request.license
                    && done.role == request.role
                    && done.hardware.id == request.hardware.id
                    && done.installation_key == request.installation_key
            }
        };
        if !same_request {
            drop(tx);
            return Err(nonce_reused(&request.nonce));
        }
        return Ok(Activated {
            license: done.license,
            role: done.role,
            hardware_id: done.hardware.id.to_string(),
            mirrors: done.mirrors,
            repeated: true,
            response: done.response,
        });
    }
    let known = tx.known_systems()?;
    let decision = match request.role {
        Role::Standby => rules::check_standby(&request.license, &request.hardware, &known),
        Role::Main => rules::check_main(&request.license, &request.hardware, &known),
    };
    if let Err(violation) = decision {
        drop(tx);
        return Err(violation.into());
    }
    // Re-activating the standby that holds the FailoverSuite (R5: after a change to the main
    // system) keeps the installation key certified before. Another key would let whoever knows
    // the standby's hardware take over its journals and its release (R4).
    if request.role == Role::Standby {
        if let Some(held) = tx.held_standby(&request.license)? {
            if let Some(certified) = certified_installation_key(key, &held)? {
                let asked = request
                    .installation_key
                    .as_deref()
                    .and_then(|k| licdesk_core::trust::decode_public_key(k).ok());
                if asked != Some(certified) {
                    drop(tx);
                    return Err(refuse(format!(
                        "the standby {} of FailoverSuite {} was activated with installation key {}, and this request carries {}: a re-activation keeps its installation key. If the License Desk on that machine was reinstalled or its key lost, the standby must be released first (by hand, after checking the customer's claim: licdesk-issuer release-by-hand --failover {})",
                        held.hardware.id,
                        request.license,
                        KeyId::of_public_key(&certified),
                        asked
                            .map(|k| KeyId::of_public_key(&k).to_string())
                            .unwrap_or_else(|| "none".into()),
                        request.license
                    )));
                }
            }
        }
    }
    let at = now();
    let standby = request.role == Role::Standby;
    let response = ActivationResponse {
        request_nonce: request.nonce.clone(),
        license: request.license.clone(),
        role: request.role,
        hardware: request.hardware.clone(),
        mirrors: request.mirrors.clone(),
        base_revision: base.revision,
        mode: request.mode,
        entitlements,
        entitlement_digest: base.entitlement_digest(),
        notice: standby.then(|| licdesk_core::standby_notice(limits)),
        limits: standby.then_some(*limits),
        // Certifies the standby installation whose usage journals will be trusted (R12).
        installation_key: if standby {
            request.installation_key.clone()
        } else {
            None
        },
        activated_at: at,
        serial: Some(tx.next_serial()?),
    };
    let text = seal(FileKind::ActivationResponse, &response, &key.key);
    tx.record(&LedgerActivation {
        role: request.role,
        license: request.license.clone(),
        mirrors: request.mirrors.clone(),
        hardware: request.hardware.clone(),
        request_nonce: request.nonce.clone(),
        activated_at: at,
        response: text.clone(),
        installation_key: response.installation_key.clone(),
        request_id: Some(request_id),
    })?;
    tx.commit()?;
    Ok(Activated {
        license: request.license,
        role: request.role,
        hardware_id: request.hardware.id.to_string(),
        mirrors: request.mirrors,
        repeated: false,
        response: text,
    })
}

/// Releases a FailoverSuite whose standby hardware is being replaced (R4): the ledger frees the
/// license for a new standby machine, and the desk gets a signed release.
///
/// Only the standby installation may ask: the release request must be signed by the installation
/// key that the standby's activation certified. Knowing the FailoverSuite number and the
/// standby's hardware ID is not enough.
pub fn release(
    key: &VendorKey,
    ledger: &mut Ledger,
    request_bytes: &[u8],
) -> Result<(licdesk_core::Release, String), IssuerError> {
    let envelope = Envelope::parse(request_bytes)?.expect(FileKind::ReleaseRequest)?;
    let request_id = envelope.content_id();
    let verified = envelope.verify_self_signed()?;
    let request: licdesk_core::ReleaseRequest = verified.payload()?;
    licdesk_core::check_nonce(&request.nonce).map_err(refuse)?;
    request
        .hardware
        .validate()
        .map_err(|e| refuse(format!("its hardware description is invalid: {e}")))?;
    licdesk_core::model::validate_text("reason", &request.reason, 500).map_err(refuse)?;
    let signer = verified.signer;
    let tx = ledger.decide()?;
    if let Some((text, done_id)) = tx.release_by_nonce(&request.nonce)? {
        if done_id.is_some_and(|id| id != request_id) {
            drop(tx);
            return Err(nonce_reused(&request.nonce));
        }
        let release: licdesk_core::Release = Envelope::parse(text.as_bytes())?
            .verify(&key.key.verifying_key())?
            .payload()?;
        return Ok((release, text));
    }
    let held = tx.held_standby(&request.failover)?.ok_or_else(|| {
        refuse(format!(
            "the ledger holds no active standby of FailoverSuite {}: there is nothing to release",
            request.failover
        ))
    })?;
    if !held.hardware.is_same_machine(&request.hardware) {
        return Err(refuse(format!(
            "the ledger holds the standby {} for FailoverSuite {}, not {}",
            held.hardware.id, request.failover, request.hardware.id
        )));
    }
    let certified = certified_installation_key(key, &held)?;
    let lost = format!(
        "if the standby machine is lost or cannot start, release FailoverSuite {} by hand after checking the customer's claim (licdesk-issuer release-by-hand --failover {})",
        request.failover, request.failover
    );
    let Some(certified) = certified else {
        return Err(refuse(format!(
            "the activation of FailoverSuite {} on {} certified no installation key, so no release request can prove it comes from that standby; {lost}",
            request.failover, held.hardware.id
        )));
    };
    if certified != signer {
        return Err(refuse(format!(
            "the release request is signed by key {}, not by the installation key {} that the activation of FailoverSuite {} on {} certified: only the License Desk on that standby machine can ask for its release (licdesk standby release-request there); {lost}",
            KeyId::of_public_key(&signer),
            KeyId::of_public_key(&certified),
            request.failover,
            held.hardware.id
        )));
    }
    let at = now();
    let release = licdesk_core::Release {
        request_nonce: request.nonce.clone(),
        failover: request.failover.clone(),
        hardware_id: held.hardware.id.clone(),
        released_at: at,
        serial: Some(tx.next_serial()?),
    };
    let text = seal(FileKind::Release, &release, &key.key);
    tx.record_release(
        &request.failover,
        &held.hardware.id,
        &request.nonce,
        Some(&request_id),
        at,
        &text,
    )?;
    tx.commit()?;
    Ok((release, text))
}

/// Releases by hand the standby that holds FailoverSuite `failover`, for a standby machine that
/// is lost or cannot start and so cannot sign a release request (R4). The vendor does this only
/// after checking the customer's claim; `reason` goes to the ledger's log. Any desk that holds
/// that standby can import the release.
pub fn release_by_hand(
    key: &VendorKey,
    ledger: &mut Ledger,
    failover: &LicenseNumber,
    reason: &str,
) -> Result<(licdesk_core::Release, String), IssuerError> {
    licdesk_core::model::validate_text("reason", reason, 500).map_err(IssuerError::Invalid)?;
    let tx = ledger.decide()?;
    let held = tx.held_standby(failover)?.ok_or_else(|| {
        IssuerError::Invalid(format!(
            "the ledger holds no active standby of FailoverSuite {failover}: there is nothing to release"
        ))
    })?;
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let nonce = format!(
        "{}{}",
        licdesk_core::BY_HAND_NONCE_PREFIX,
        nonce.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let at = now();
    let release = licdesk_core::Release {
        request_nonce: nonce.clone(),
        failover: failover.clone(),
        hardware_id: held.hardware.id.clone(),
        released_at: at,
        serial: Some(tx.next_serial()?),
    };
    let text = seal(FileKind::Release, &release, &key.key);
    tx.record_release(failover, &held.hardware.id, &nonce, None, at, &text)?;
    tx.log(
        at,
        "released-by-hand",
        failover.as_str(),
        &format!("standby {} released by hand: {reason}", held.hardware.id),
    )?;
    tx.commit()?;
    Ok((release, text))
}

/// The installation key an activation certified: from the ledger, or for rows recorded before
/// the ledger kept it, from the signed response the ledger holds.
fn certified_installation_key(
    key: &VendorKey,
    held: &LedgerActivation,
) -> Result<Option<licdesk_core::VerifyingKey>, IssuerError> {
    let encoded = match &held.installation_key {
        Some(k) => Some(k.clone()),
        None => {
            let response: ActivationResponse = Envelope::parse(held.response.as_bytes())?
                .verify(&key.key.verifying_key())?
                .payload()?;
            response.installation_key
        }
    };
    encoded
        .map(|k| {
            licdesk_core::trust::decode_public_key(&k).map_err(|e| {
                IssuerError::Invalid(format!(
                    "the ledger's installation key of {} is damaged: {e}",
                    held.license
                ))
            })
        })
        .transpose()
}
