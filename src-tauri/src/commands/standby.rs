//! A FailoverSuite and its standby: added to a base license from its certificate, the standby
//! registered (this machine, a typed hardware ID or a hardware-ID file), its notice
//! acknowledged, its past five-day violations acknowledged with a reason.

use licdesk_core::StandbyMode;
use licdesk_desk::{AcknowledgedViolations, DeskError, ImportOutcome, MachineChoice, SystemView};
use serde::Deserialize;

use crate::input::{checked_input_path, file_bytes, license};
use crate::state::{on_desk, AppState};

/// How the window names a machine.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum MachineArg {
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

/// Adds the FailoverSuite whose certificate is at `path` (chosen in the native Open dialog, or
/// typed) to the base license `base` — refused when it is no FailoverSuite certificate, or one
/// for another base license (R2).
#[tauri::command]
pub(crate) async fn add_failover(
    state: tauri::State<'_, AppState>,
    base: String,
    path: String,
) -> Result<ImportOutcome, DeskError> {
    let base = license(&base)?;
    let path = checked_input_path(&path)?;
    on_desk(&state, move |desk| desk.add_failover(&base, &path)).await
}

#[tauri::command]
pub(crate) async fn register_standby(
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
pub(crate) async fn acknowledge_notice(
    state: tauri::State<'_, AppState>,
    failover: String,
) -> Result<licdesk_core::Timestamp, DeskError> {
    let failover = license(&failover)?;
    on_desk(&state, move |desk| desk.acknowledge_notice(&failover)).await
}

/// R12: the administrator acknowledges the past five-day violations of `failover`'s standby,
/// with a reason (audited); a violation still running is refused by the desk.
#[tauri::command]
pub(crate) async fn acknowledge_violations(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::MAX_FILE_BYTES;
    use base64::Engine as _;
    use licdesk_desk::ErrorCode;

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
