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

/// Refuses a key file that others can read or change (Unix: its mode; Windows: its access
/// list — the policy of `licdesk_outfile::private`).
fn refuse_if_readable_by_others(file: &std::fs::File, path: &Path) -> Result<(), IssuerError> {
    match licdesk_outfile::exposure(file) {
        Ok(None) => Ok(()),
        Ok(Some(exposure)) => Err(IssuerError::KeyNotPrivate {
            path: path.display().to_string(),
            who: exposure.who(),
            fix: exposure.fix(path),
        }),
        Err(e) => Err(io("cannot read the key file", path, e)),
    }
}

/// The public key file that goes beside a private key file: same name, extension `.vpub`.
pub fn public_key_path(key_path: &Path) -> PathBuf {
    key_path.with_extension(FileKind::VendorPublicKey.extension())
}

/// Makes a new vendor key pair: the private file (readable by its owner only from its first
/// byte: mode 0600, or an owner-only access list on Windows) and the public
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests state their expectations by unwrapping
mod tests {
    use super::*;

    /// Writes `text` to a new file at `path` that others may read; the words the refusal's
    /// advice must hold.
    fn write_exposed(path: &Path, text: &str) -> [&'static str; 2] {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::write(path, text).unwrap();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
            ["mode 644", "chmod 600"]
        }
        #[cfg(windows)]
        {
            use licdesk_winsys::{Access, Sid, WellKnown};
            use std::io::Write;
            let mut file = licdesk_winsys::create_file_with_access(
                path,
                &[
                    (Sid::current_user().unwrap(), Access::Full),
                    (Sid::well_known(WellKnown::Everyone).unwrap(), Access::Read),
                ],
            )
            .unwrap();
            file.write_all(text.as_bytes()).unwrap();
            ["Everyone", "icacls"]
        }
    }

    #[test]
    fn a_made_key_loads_and_one_others_can_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vendor.key");
        let made = keygen(&path, "Acme", IfExists::Refuse).unwrap();
        let loaded = VendorKey::load(&path).unwrap();
        assert_eq!(loaded.key.to_bytes(), made.key.to_bytes());
        assert_eq!(licdesk_outfile::exposure_of(&path).unwrap(), None);
        let exposed = dir.path().join("exposed.key");
        let words = write_exposed(&exposed, &made.to_file_text());
        let err = VendorKey::load(&exposed).unwrap_err();
        assert_eq!(err.code(), "key_not_private");
        let text = err.to_string();
        for word in words {
            assert!(text.contains(word), "{word}: {text}");
        }
    }
}
