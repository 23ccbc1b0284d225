// The window's shell: each command is a few lines over licdesk-desk. No private vendor key, no
// SQL and no licensing rule lives here. Files the user picks or drops are read by the page and
// handed over as base64 text; the desk checks size, kind and signature before using anything in
// them. Every command is async and does its work on a blocking thread, never on the main thread
// that runs the window, so a long import, a hardware read or a look at the disk never freezes it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine as _;

use licdesk_core::{HardwareId, LicenseNumber, Role, StandbyMode};
use licdesk_desk::{
    location, AcknowledgedViolations, Desk, DeskError, DismissedJournal, ErrorCode, IfExists,
    ImportOutcome, LicenseDetail, LicensePage, MachineChoice, RequestWritten, SystemView,
    TrustedKeyView,
};
use serde::{Deserialize, Serialize};

/// The desk, or why it could not be opened (the window shows that sentence).
type SharedDesk = Arc<Mutex<Result<Desk, DeskError>>>;

struct AppState {
    desk: SharedDesk,
    path: String,
}

/// The largest file the window hands over (as the page checks before reading it, and as
/// `licdesk_desk::files` caps a file read from disk).
const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// A file's bytes from the page's base64 text; an over-large text is refused before decoding.
fn file_bytes(name: &str, base64_text: &str) -> Result<Vec<u8>, DeskError> {
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

/// Runs `work` on a thread for blocking work, off the window's main thread.
async fn off_main_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DeskError> + Send + 'static,
) -> Result<T, DeskError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| {
            DeskError::new(
                ErrorCode::Internal,
                format!("License Desk failed inside ({e}): restart it; the store is unchanged"),
            )
        })?
}

/// Runs `f` on the desk, off the main thread.
async fn on_desk<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut Desk) -> Result<T, DeskError> + Send + 'static,
) -> Result<T, DeskError> {
    let desk = Arc::clone(&state.desk);
    off_main_thread(move || with_desk(&desk, f)).await
}

#[derive(Serialize)]
struct StoreInfo {
    path: String,
    error: Option<DeskError>,
    /// The latest signed time seen, when the system clock is behind it (clock tamper warning).
    clock_behind: Option<licdesk_core::Timestamp>,
    /// The usage journals whose own signature fails, not dismissed yet: monitoring reports each
    /// as tampered; tied to no FailoverSuite, the window shows them above the licenses.
    unverified_journals: Vec<UnverifiedJournal>,
}

/// A usage journal whose own signature fails (nothing in it was read but the key id its header
/// names, unverified).
#[derive(Serialize)]
struct UnverifiedJournal {
    file_hash: String,
    key_id: String,
    imported_at: licdesk_core::Timestamp,
}

#[derive(Serialize)]
struct MachineView {
    hardware_id: String,
    label: Option<String>,
    components: usize,
}

/// How the window names a machine.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum MachineArg {
    ThisMachine,
    Typed {
        hardware_id: String,
    },
    /// A hardware-ID file's content, base64.
    File {
        content: String,
    },
}

impl TryFrom<MachineArg> for MachineChoice {
    type Error = DeskError;
    fn try_from(m: MachineArg) -> Result<Self, DeskError> {
        Ok(match m {
            MachineArg::ThisMachine => MachineChoice::ThisMachine,
            MachineArg::Typed { hardware_id } => MachineChoice::Typed(hardware_id),
            MachineArg::File { content } => {
                MachineChoice::FileContent(file_bytes("the hardware-ID file", &content)?)
            }
        })
    }
}

fn with_desk<T>(
    desk: &SharedDesk,
    f: impl FnOnce(&mut Desk) -> Result<T, DeskError>,
) -> Result<T, DeskError> {
    // A failure inside a command (a bug) never takes the window down with it: the command's
    // transaction is rolled back as the failure unwinds, the desk stays usable, and the user is
    // told. (So a poisoned lock holds a consistent desk, and is taken over.)
    let mut guard = desk
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match guard.as_mut() {
        Ok(desk) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(desk)))
            .unwrap_or_else(|_| {
                Err(DeskError::new(
                    ErrorCode::Internal,
                    "License Desk failed inside while doing this; nothing was changed. Please report it",
                ))
            }),
        Err(e) => Err(e.clone()),
    }
}

fn license(text: &str) -> Result<LicenseNumber, DeskError> {
    Ok(LicenseNumber::parse(text)?)
}

fn role(text: &str) -> Result<Role, DeskError> {
    Role::parse(text).map_err(DeskError::invalid)
}

/// The store: where it is, why it could not be opened, and what concerns it as a whole (a clock
/// behind its signed time, usage journals whose signature fails). Asked again after each change.
#[tauri::command]
async fn store_info(state: tauri::State<'_, AppState>) -> Result<StoreInfo, DeskError> {
    let path = state.path.clone();
    let desk = Arc::clone(&state.desk);
    off_main_thread(move || {
        let guard = desk
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (error, clock_behind, unverified_journals) = match guard.as_ref() {
            Ok(desk) => (
                None,
                desk.clock_behind().ok().flatten(),
                desk.undismissed_unreadable_journals()?
                    .into_iter()
                    .map(|j| UnverifiedJournal {
                        file_hash: j.file_hash,
                        key_id: j.key_id,
                        imported_at: j.imported_at,
                    })
                    .collect(),
            ),
            Err(e) => (Some(e.clone()), None, Vec::new()),
        };
        Ok(StoreInfo {
            path,
            error,
            clock_behind,
            unverified_journals,
        })
    })
    .await
}

#[tauri::command]
async fn acknowledge_notice(
    state: tauri::State<'_, AppState>,
    failover: String,
) -> Result<licdesk_core::Timestamp, DeskError> {
    let failover = license(&failover)?;
    on_desk(&state, move |desk| desk.acknowledge_notice(&failover)).await
}

/// R12: the administrator acknowledges the past five-day violations of `failover`'s standby,
/// with a reason (audited); a violation still running is refused by the desk.
#[tauri::command]
async fn acknowledge_violations(
    state: tauri::State<'_, AppState>,
    failover: String,
    reason: String,
) -> Result<AcknowledgedViolations, DeskError> {
    let failover = license(&failover)?;
    on_desk(&state, move |desk| {
        desk.acknowledge_violations(&failover, &reason)
    })
    .await
}

/// A tampered usage journal (by its SHA-256), looked into: dismissed with a reason (audited).
#[tauri::command]
async fn dismiss_tampered_journal(
    state: tauri::State<'_, AppState>,
    hash: String,
    reason: String,
) -> Result<DismissedJournal, DeskError> {
    on_desk(&state, move |desk| {
        desk.dismiss_tampered_journal(&hash, &reason)
    })
    .await
}

#[tauri::command]
async fn suggest_release_path(failover: String) -> Result<String, DeskError> {
    let failover = license(&failover)?;
    off_main_thread(move || {
        let dir = licdesk_desk::default_export_dir();
        Ok(
            licdesk_desk::suggest_file_path(&dir, &format!("{failover}-release"), "relreq")
                .display()
                .to_string(),
        )
    })
    .await
}

#[tauri::command]
async fn export_release_request(
    state: tauri::State<'_, AppState>,
    failover: String,
    path: String,
    overwrite: bool,
) -> Result<String, DeskError> {
    let failover = license(&failover)?;
    on_desk(&state, move |desk| {
        let path = checked_output_path(&path, overwrite)?;
        desk.write_release_request(
            &failover,
            "hardware replaced",
            &path,
            IfExists::replace_when(overwrite),
        )?;
        Ok(path.display().to_string())
    })
    .await
}

/// A path the user typed for a new file: absolute, in an existing folder, not overwriting an
/// existing file unless confirmed.
fn checked_output_path(path: &str, overwrite: bool) -> Result<PathBuf, DeskError> {
    let path = PathBuf::from(path.trim());
    if !path.is_absolute() {
        return Err(DeskError::new(
            ErrorCode::PathNotAbsolute,
            format!(
                "'{}' is not a full path: write it from the root, like /home/me/request.actreq",
                path.display()
            ),
        ));
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

#[tauri::command]
async fn list_licenses(
    state: tauri::State<'_, AppState>,
    filter: String,
    offset: u32,
    limit: u32,
) -> Result<LicensePage, DeskError> {
    on_desk(&state, move |desk| desk.list(&filter, offset, limit)).await
}

#[tauri::command]
async fn show_license(
    state: tauri::State<'_, AppState>,
    license: String,
) -> Result<LicenseDetail, DeskError> {
    let license = self::license(&license)?;
    on_desk(&state, move |desk| desk.show(&license)).await
}

/// A file the user picked or dropped: its name and its bytes in base64.
#[derive(Deserialize)]
struct PickedFile {
    name: String,
    content: String,
}

/// Imports the files the user picked or dropped together, in one bulk import: the desk puts
/// base certificates before FailoverSuite certificates before responses, whatever the order
/// given, so a FailoverSuite and its base can be picked together. A file whose text is too
/// large or arrived damaged is refused on its own (its base64 text dropped once decoded).
#[tauri::command]
async fn import_files(
    state: tauri::State<'_, AppState>,
    files: Vec<PickedFile>,
) -> Result<Vec<ImportOutcome>, DeskError> {
    let files: Vec<(String, Result<Vec<u8>, DeskError>)> = files
        .into_iter()
        .map(|f| {
            let bytes = file_bytes(&f.name, &f.content);
            (f.name, bytes)
        })
        .collect();
    on_desk(&state, move |desk| Ok(desk.import_many(files))).await
}

#[tauri::command]
async fn check_hardware_id(text: String) -> Result<String, DeskError> {
    off_main_thread(move || Ok(HardwareId::parse(&text)?.to_string())).await
}

#[tauri::command]
async fn this_machine() -> Result<MachineView, DeskError> {
    off_main_thread(|| {
        let hw = licdesk_desk::this_machine()?;
        Ok(MachineView {
            hardware_id: hw.id.to_string(),
            label: hw.label,
            components: hw.components.len(),
        })
    })
    .await
}

/// Where to save this machine's hardware-ID file: `<host name>.hwid` (or `this-machine.hwid`)
/// in the user's documents, one that does not exist yet.
#[tauri::command]
async fn suggest_hardware_file_path() -> Result<String, DeskError> {
    off_main_thread(|| {
        let host = licdesk_desk::this_machine()
            .ok()
            .and_then(|hw| hw.label)
            .map(|h| file_stem(&h))
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "this-machine".into());
        let dir = licdesk_desk::default_export_dir();
        Ok(licdesk_desk::suggest_file_path(&dir, &host, "hwid")
            .display()
            .to_string())
    })
    .await
}

/// A host name as a safe file name stem: letters, digits, '-', '_' and '.' kept, the rest '-'.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    stem.trim_matches('.').to_string()
}

/// Writes this machine's hardware-ID file (signed with this installation's key) to `path`, for
/// registering this machine as a standby on another desk; returns the file written.
#[tauri::command]
async fn save_hardware_file(
    state: tauri::State<'_, AppState>,
    path: String,
    overwrite: bool,
) -> Result<String, DeskError> {
    on_desk(&state, move |desk| {
        let path = checked_output_path(&path, overwrite)?;
        desk.write_hardware_file(&path, IfExists::replace_when(overwrite))?;
        Ok(path.display().to_string())
    })
    .await
}

#[tauri::command]
async fn register_standby(
    state: tauri::State<'_, AppState>,
    failover: String,
    machine: MachineArg,
    mode: String,
) -> Result<SystemView, DeskError> {
    let failover = license(&failover)?;
    let mode = StandbyMode::parse(&mode).map_err(DeskError::invalid)?;
    let machine = MachineChoice::try_from(machine)?;
    on_desk(&state, move |desk| {
        desk.register_standby(&failover, &machine, mode)
    })
    .await
}

#[tauri::command]
async fn suggest_request_path(license: String, role: String) -> Result<String, DeskError> {
    let (license, role) = (self::license(&license)?, self::role(&role)?);
    off_main_thread(move || {
        let dir = licdesk_desk::default_export_dir();
        Ok(licdesk_desk::suggest_request_path(&dir, &license, role)
            .display()
            .to_string())
    })
    .await
}

#[tauri::command]
async fn export_request(
    state: tauri::State<'_, AppState>,
    license: String,
    role: String,
    path: String,
    overwrite: bool,
) -> Result<RequestWritten, DeskError> {
    let (license, role) = (self::license(&license)?, self::role(&role)?);
    on_desk(&state, move |desk| {
        let path = checked_output_path(&path, overwrite)?;
        desk.write_request(
            &license,
            role,
            None,
            &path,
            IfExists::replace_when(overwrite),
        )
    })
    .await
}

#[tauri::command]
async fn trusted_keys(state: tauri::State<'_, AppState>) -> Result<Vec<TrustedKeyView>, DeskError> {
    on_desk(&state, |desk| Ok(desk.trusted_keys())).await
}

fn main() {
    let (desk, path) = match location::resolve_store_path(None) {
        Ok(path) => (Desk::open(&path), path.display().to_string()),
        Err(e) => (Err(e), String::new()),
    };
    tauri::Builder::default()
        .manage(AppState {
            desk: Arc::new(Mutex::new(desk)),
            path,
        })
        .invoke_handler(tauri::generate_handler![
            store_info,
            list_licenses,
            show_license,
            import_files,
            check_hardware_id,
            this_machine,
            register_standby,
            suggest_request_path,
            export_request,
            trusted_keys,
            acknowledge_notice,
            suggest_release_path,
            export_release_request,
            suggest_hardware_file_path,
            save_hardware_file,
            acknowledge_violations,
            dismiss_tampered_journal
        ])
        .run(tauri::generate_context!())
        .expect("License Desk could not start its window");
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
    fn a_host_name_becomes_a_safe_file_name() {
        assert_eq!(file_stem("standby-1"), "standby-1");
        assert_eq!(file_stem("../etc/passwd"), "-etc-passwd");
        assert_eq!(file_stem("Büro PC"), "B-ro-PC");
        assert_eq!(file_stem(".."), "");
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
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_hardware_id_file_from_the_window_is_decoded_and_an_over_large_one_refused() {
        let text = base64::engine::general_purpose::STANDARD.encode(b"x");
        assert!(matches!(
            MachineChoice::try_from(MachineArg::File { content: text }),
            Ok(MachineChoice::FileContent(b)) if b == b"x"
        ));
        let over = "A".repeat(MAX_FILE_BYTES.div_ceil(3) * 4 + 4);
        assert!(matches!(
            MachineChoice::try_from(MachineArg::File { content: over }),
            Err(e) if e.code == ErrorCode::TooLarge
        ));
    }
}
