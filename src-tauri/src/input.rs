//! What the window sends, checked before the desk is asked: license numbers, roles, a
//! hardware-ID file as base64 text, and paths typed or pasted.

use std::path::PathBuf;

use base64::Engine as _;

use licdesk_core::{LicenseNumber, Role};
use licdesk_desk::{DeskError, ErrorCode, ListOrder};

/// The largest file the window hands over (a hardware-ID file the register dialog read: as the
/// page checks before reading it, and as `licdesk_desk::files` caps a file read from disk).
pub(crate) const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// A file's bytes from the page's base64 text; an over-large text is refused before decoding.
pub(crate) fn file_bytes(name: &str, base64_text: &str) -> Result<Vec<u8>, DeskError> {
    if base64_text.len() > MAX_FILE_BYTES.div_ceil(3) * 4 {
        return Err(DeskError::new(
            ErrorCode::TooLarge,
            format!(
                "{name} is larger than {} MiB, far too large for a License Desk file",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    base64::engine::general_purpose::STANDARD
        .decode(base64_text)
        .map_err(|e| {
            DeskError::new(
                ErrorCode::Io,
                format!("{name} did not arrive whole from the window ({e}): try again"),
            )
        })
}

pub(crate) fn license(text: &str) -> Result<LicenseNumber, DeskError> {
    Ok(LicenseNumber::parse(text)?)
}

/// The column the licenses list is sorted by, as the window names it.
pub(crate) fn list_order(text: &str) -> Result<ListOrder, DeskError> {
    ListOrder::parse(text).ok_or_else(|| {
        DeskError::invalid(format!(
            "the licenses list cannot be sorted by {text:?}: it sorts by {}",
            ListOrder::ALL.map(ListOrder::code).join(", ")
        ))
    })
}

pub(crate) fn role(text: &str) -> Result<Role, DeskError> {
    Role::parse(text).map_err(DeskError::invalid)
}

/// A path as typed or pasted: the blanks around it, and the quotes Windows Explorer puts around
/// a path it copies ("Copy as path"), are not part of it. `C:\Users\…` and UNC paths
/// (`\\server\share\…`) are full paths on Windows, as `/home/…` is here.
pub(crate) fn typed_path(text: &str) -> PathBuf {
    let text = text.trim();
    let unquoted = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    PathBuf::from(unquoted.trim())
}

/// Where suggested files go: the user's documents folder, else the home folder.
pub(crate) fn export_dir() -> Result<PathBuf, DeskError> {
    licdesk_desk::default_export_dir().ok_or_else(|| {
        DeskError::new(
            ErrorCode::FolderMissing,
            "this account has no documents or home folder to suggest: type the full path of the file",
        )
    })
}

/// A path the user typed or chose for a file to read: absolute (a relative one would be read
/// from wherever the app was started).
pub(crate) fn checked_input_path(path: &str) -> Result<PathBuf, DeskError> {
    let path = typed_path(path);
    if !path.is_absolute() {
        return Err(not_absolute(&path));
    }
    Ok(path)
}

fn not_absolute(path: &std::path::Path) -> DeskError {
    DeskError::new(
        ErrorCode::PathNotAbsolute,
        format!(
            "'{}' is not a full path: write it from the root, like /home/me/request.actreq \
             or C:\\Users\\me\\request.actreq",
            path.display()
        ),
    )
}

/// A path the user typed for a new file: absolute, in an existing folder, not overwriting an
/// existing file unless confirmed.
pub(crate) fn checked_output_path(path: &str, overwrite: bool) -> Result<PathBuf, DeskError> {
    let path = typed_path(path);
    if !path.is_absolute() {
        return Err(not_absolute(&path));
    }
    match path.parent() {
        Some(dir) if dir.is_dir() => {}
        _ => {
            return Err(DeskError::new(
                ErrorCode::FolderMissing,
                format!(
                    "the folder of {} does not exist: choose an existing folder",
                    path.display()
                ),
            ))
        }
    }
    if path.exists() && !overwrite {
        return Err(DeskError::new(
            ErrorCode::FileExists,
            format!(
                "{} already exists: choose another name, or confirm to replace it",
                path.display()
            ),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_arrives_as_base64_and_an_over_large_one_is_refused_before_decoding() {
        let bytes = b"-----BEGIN LICDESK BASE LICENSE CERTIFICATE-----\n".to_vec();
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        assert_eq!(file_bytes("a.lic", &text).unwrap(), bytes);

        // The largest file the window hands over still arrives...
        let largest = "A".repeat(MAX_FILE_BYTES.div_ceil(3) * 4);
        assert_eq!(
            file_bytes("big.lic", &largest).unwrap().len(),
            MAX_FILE_BYTES.div_ceil(3) * 3
        );
        // ...one character more is refused from its length alone: '!' is not base64, so a
        // decoder would have said so, and the refusal says "too large" instead.
        let over = format!("{largest}!");
        let e = file_bytes("huge.lic", &over).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        assert!(e.message.contains("huge.lic"), "{}", e.message);

        let e = file_bytes("bad.lic", "not base64!").unwrap_err();
        assert_eq!(e.code, ErrorCode::Io);
    }

    #[test]
    fn a_hardware_id_file_is_saved_only_to_a_full_path_in_an_existing_folder() {
        let dir = std::env::temp_dir().join(format!("licdesk-app-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let relative = checked_output_path("standby.hwid", false).unwrap_err();
        assert_eq!(relative.code, ErrorCode::PathNotAbsolute);
        let missing = checked_output_path(
            &dir.join("no-such-folder/standby.hwid")
                .display()
                .to_string(),
            false,
        )
        .unwrap_err();
        assert!(
            missing.message.contains("does not exist"),
            "{}",
            missing.message
        );
        let existing = dir.join("standby.hwid");
        std::fs::write(&existing, "x").unwrap();
        let e = checked_output_path(&existing.display().to_string(), false).unwrap_err();
        assert_eq!(e.code, ErrorCode::FileExists);
        assert_eq!(
            checked_output_path(&existing.display().to_string(), true).unwrap(),
            existing
        );
        // Pasted from Windows Explorer's "Copy as path": in quotes.
        let quoted = format!(" \"{}\" ", dir.join("new.hwid").display());
        assert_eq!(
            checked_output_path(&quoted, false).unwrap(),
            dir.join("new.hwid")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_to_read_is_named_by_a_full_path_quotes_and_blanks_aside() {
        let e = checked_input_path("failover.lic").unwrap_err();
        assert_eq!(e.code, ErrorCode::PathNotAbsolute);
        assert!(e.message.contains("'failover.lic'"), "{}", e.message);
        let dir = std::env::temp_dir();
        let quoted = format!(" \"{}\" ", dir.join("failover.lic").display());
        assert_eq!(
            checked_input_path(&quoted).unwrap(),
            dir.join("failover.lic")
        );
    }

    #[test]
    fn the_list_is_sorted_by_a_column_it_knows_and_another_is_refused_as_invalid_input() {
        for order in ListOrder::ALL {
            assert_eq!(list_order(order.code()).unwrap(), order);
        }
        let refused = list_order("customer; DROP TABLE base_licenses").unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert!(
            refused
                .message
                .ends_with("it sorts by customer, license, users, status, changed"),
            "{}",
            refused.message
        );
    }
}
