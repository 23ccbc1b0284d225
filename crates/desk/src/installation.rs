//! This desk's installation key: an Ed25519 key that signs the files the desk writes (hardware-ID
//! files and activation requests) so that any change to them in transit is detected. The private
//! key never leaves this machine: it is a file only its owner can read.

use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::SigningKey;

use crate::error::DeskError;

const BEGIN: &str = "-----BEGIN LICDESK INSTALLATION KEY-----";
const END: &str = "-----END LICDESK INSTALLATION KEY-----";

/// Loads the installation key at `path`, creating it (mode 0600) on first use.
pub fn load_or_create(path: &Path) -> Result<SigningKey, DeskError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text).ok_or_else(|| {
            DeskError::invalid(format!(
                "the installation key {} is damaged: move it away and License Desk makes a new one (requests written with the old key stay valid)",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
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

fn create(path: &Path) -> Result<SigningKey, DeskError> {
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let text = format!("{BEGIN}\n{}\n{END}\n", B64.encode(key.to_bytes()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| DeskError::io("create", dir, &e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
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
