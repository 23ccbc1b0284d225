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

/// Loads the installation key at `path`, creating it (mode 0600) on first use. A key file that
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

#[cfg(unix)]
fn refuse_if_readable_by_others(path: &Path) -> Result<(), DeskError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| DeskError::io("read the installation key", path, &e))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(StandbyRefusal::InstallationKeyExposed {
            path: path.to_path_buf(),
            mode: mode & 0o777,
        }
        .into());
    }
    Ok(())
}

/// Elsewhere than Unix (Windows) the file's access list is not read yet, so nothing can tell
/// whether other users can read the key: it is not used (nor made) there.
#[cfg(not(unix))]
fn refuse_if_readable_by_others(path: &Path) -> Result<(), DeskError> {
    Err(private_key_not_supported(path))
}

/// The refusal of an installation key on a system where License Desk cannot yet keep a file
/// readable by its owner only (Windows: an owner-only access list, set at creation and checked
/// on load, is still to be written).
#[cfg(not(unix))]
fn private_key_not_supported(path: &Path) -> DeskError {
    DeskError::new(
        crate::ErrorCode::NotSupported,
        format!(
            "the installation key {} cannot be kept readable by its owner only on this system yet (Windows support is in progress): make hardware-ID files and activation requests on a Linux machine for now",
            path.display()
        ),
    )
}

fn parse(text: &str) -> Option<SigningKey> {
    let mut lines = text.lines();
    (lines.next()? == BEGIN).then_some(())?;
    let seed = B64.decode(lines.next()?.trim()).ok()?;
    (lines.next()? == END).then_some(())?;
    let seed: [u8; 32] = seed.try_into().ok()?;
    Some(SigningKey::from_bytes(&seed))
}

fn create(path: &Path) -> Result<SigningKey, DeskError> {
    #[cfg(not(unix))]
    return Err(private_key_not_supported(path));
    #[cfg(unix)]
    create_private(path)
}

#[cfg(unix)]
fn create_private(path: &Path) -> Result<SigningKey, DeskError> {
    use std::io::Write;
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let text = format!("{BEGIN}\n{}\n{END}\n", B64.encode(key.to_bytes()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| DeskError::io("create", dir, &e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
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

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)] // tests state their expectations by unwrapping
mod tests {
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
