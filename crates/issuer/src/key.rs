//! The vendor key pair: made with [`keygen`], loaded with [`VendorKey::load`] (a key file others
//! can read is refused), and its public key file that desks trust.

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::{seal, FileKind, KeyId, SigningKey, VendorPublicKey};
use licdesk_outfile::{IfExists, Output};
use rand_core::OsRng;

use crate::clock::now;
use crate::error::{io, IssuerError};

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
        refuse_if_readable_by_others(&file, path)?;
        let mut text = String::new();
        file.take(4096)
            .read_to_string(&mut text)
            .map_err(|_| IssuerError::BadKeyFile(path.display().to_string()))?;
        VendorKey::parse(&text).ok_or_else(|| IssuerError::BadKeyFile(path.display().to_string()))
    }
}

/// Refuses a key file whose mode lets others read it.
#[cfg(unix)]
fn refuse_if_readable_by_others(file: &std::fs::File, path: &Path) -> Result<(), IssuerError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file
        .metadata()
        .map_err(|e| io("cannot read the key file", path, e))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(IssuerError::KeyNotPrivate(path.display().to_string()));
    }
    Ok(())
}

/// Elsewhere (Windows) the file's access list is not read yet: whether others can read the key
/// is unknown, so it is not used rather than used unchecked.
#[cfg(not(unix))]
fn refuse_if_readable_by_others(_file: &std::fs::File, path: &Path) -> Result<(), IssuerError> {
    Err(IssuerError::KeyPrivacyNotSupported(
        path.display().to_string(),
    ))
}

/// The public key file that goes beside a private key file: same name, extension `.vpub`.
pub fn public_key_path(key_path: &Path) -> PathBuf {
    key_path.with_extension(FileKind::VendorPublicKey.extension())
}

/// Makes a new vendor key pair: the private file (mode 0600 from its first byte) and the public
/// key beside it. An existing key file is replaced only with [`IfExists::Replace`] (`--force`),
/// and never by its own public key file (a private key named `*.vpub`).
pub fn keygen(path: &Path, vendor: &str, if_exists: IfExists) -> Result<VendorKey, IssuerError> {
    licdesk_core::model::validate_text("vendor name", vendor, 200)
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
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
