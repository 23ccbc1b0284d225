//! This desk's installation key: an Ed25519 key that signs the files the desk writes (hardware-ID
//! files and activation requests) so that any change to them in transit is detected. The private
//! key never leaves this machine: it is a file only its owner can read.

use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::SigningKey;

use crate::error::DeskError;
use crate::StandbyRefusal;

const BEGIN: &str = "-----BEGIN LICDESK INSTALLATION KEY-----";
const END: &str = "-----END LICDESK INSTALLATION KEY-----";

/// Loads the installation key at `path`, creating it (readable by its owner only) on first use. A key file that
/// other users can read is refused: whoever reads it could sign this installation's usage
/// journals and its release request.
///
/// One key per installation, not per request: the key the activation certifies must still be
/// there to sign the journals and, when the hardware is replaced, the release request; a fresh
/// key per request would leave nothing to prove them with.
pub fn load_or_create(path: &Path) -> Result<SigningKey, DeskError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            refuse_if_readable_by_others(path)?;
            parse(&text).ok_or_else(|| {
                StandbyRefusal::InstallationKeyDamaged {
                    path: path.to_path_buf(),
                }
                .into()
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(DeskError::io("read the installation key", path, &e)),
    }
}

/// The public key (base64) of the installation key at `path` when there is one; never creates
/// one (importing a file must not).
pub fn existing_public_key(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    refuse_if_readable_by_others(path).ok()?;
    let key = parse(&text)?;
    Some(licdesk_core::trust::encode_public_key(&key.verifying_key()))
}

/// Refuses a key file that others can read or change (Unix: any mode bit for the group or
/// others; Windows: an access list that lets another account read or change it — the policy
/// of `licdesk_outfile::private`).
fn refuse_if_readable_by_others(path: &Path) -> Result<(), DeskError> {
    match licdesk_outfile::exposure_of(path) {
        Ok(None) => Ok(()),
        Ok(Some(exposure)) => {
            Err(StandbyRefusal::installation_key_exposed(path.to_path_buf(), exposure).into())
        }
        Err(e) => Err(DeskError::io("read the installation key", path, &e)),
    }
}

fn parse(text: &str) -> Option<SigningKey> {
    let mut lines = text.lines();
    (lines.next()? == BEGIN).then_some(())?;
    let seed = B64.decode(lines.next()?.trim()).ok()?;
    (lines.next()? == END).then_some(())?;
    let seed: [u8; 32] = seed.try_into().ok()?;
    Some(SigningKey::from_bytes(&seed))
}

/// Makes the key file, readable by its owner only from its first byte (mode 0600 on Unix, an
/// owner-only access list on Windows).
fn create(path: &Path) -> Result<SigningKey, DeskError> {
    use std::io::Write;
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let text = format!("{BEGIN}\n{}\n{END}\n", B64.encode(key.to_bytes()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| DeskError::io("create", dir, &e))?;
    }
    match licdesk_outfile::create_private(path) {
        Ok(mut f) => {
            f.write_all(text.as_bytes())
                .and_then(|_| f.sync_all())
                .map_err(|e| DeskError::io("write the installation key", path, &e))?;
            Ok(key)
        }
        // Another process made it first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create(path),
        Err(e) => Err(DeskError::io("create the installation key", path, &e)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests state their expectations by unwrapping
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_not_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("store.installation-key");
        let key = load_or_create(&path).unwrap();
        assert_eq!(licdesk_outfile::exposure_of(&path).unwrap(), None);
        let again = load_or_create(&path).unwrap();
        assert_eq!(again.to_bytes(), key.to_bytes(), "one key per installation");
        assert!(existing_public_key(&path).is_some());
    }

    /// Windows (or Wine): a key file others may read (an Everyone entry) is refused, naming who
    /// can read it, and left as it is.
    #[cfg(windows)]
    #[test]
    fn a_key_file_others_can_read_is_refused_with_who_can() {
        use licdesk_winsys::{Access, Sid, WellKnown};
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("made.installation-key");
        load_or_create(&made).unwrap();
        let text = std::fs::read(&made).unwrap();
        let shared = dir.path().join("shared.installation-key");
        let everyone = Sid::well_known(WellKnown::Everyone).unwrap();
        let mut file = licdesk_winsys::create_file_with_access(
            &shared,
            &[
                (Sid::current_user().unwrap(), Access::Full),
                (everyone.clone(), Access::Read),
            ],
        )
        .unwrap();
        std::io::Write::write_all(&mut file, &text).unwrap();
        drop(file);
        let err = load_or_create(&shared).unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Io, "{}", err.message);
        assert!(
            err.message.contains(&everyone.account_name())
                && err.message.contains("icacls")
                && err.message.contains("other users"),
            "{}",
            err.message
        );
        assert_eq!(std::fs::read(&shared).unwrap(), text, "left as it is");
        assert_eq!(existing_public_key(&shared), None);
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)] // tests state their expectations by unwrapping
mod unix_tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_key_is_made_once_private_to_its_owner_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("store.installation-key");
        let key = load_or_create(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
        let again = load_or_create(&path).unwrap();
        assert_eq!(again.to_bytes(), key.to_bytes(), "one key per installation");
    }

    #[test]
    fn a_key_file_others_can_read_is_refused_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.installation-key");
        load_or_create(&path).unwrap();
        let before = std::fs::read(&path).unwrap();
        for loose in [0o644, 0o640, 0o604, 0o660] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(loose)).unwrap();
            let err = load_or_create(&path).unwrap_err();
            assert!(
                err.message.contains("chmod 600") && err.message.contains("other users"),
                "{loose:o}: {}",
                err.message
            );
            assert_eq!(std::fs::read(&path).unwrap(), before);
            assert_eq!(mode(&path), loose, "the file is left as it is");
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load_or_create(&path).is_ok());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(
            load_or_create(&path).is_ok(),
            "read-only for its owner is fine"
        );
    }
}
