//! Refusals of an activation response (and of a vendor decision that is not the latest): made
//! for another request, license, role or machine, or superseded by what was applied since.

use licdesk_core::{FileKind, HardwareId, LicenseNumber, Role, Timestamp};
use serde::Serialize;

use super::kind_tag;
use crate::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum ResponseRefusal {
    #[error("the activation response is invalid: {problem}")]
    InvalidResponse {
        #[serde(serialize_with = "super::text")]
        problem: licdesk_core::ValueError,
    },
    #[error("this response answers request {request}…, which this desk did not write, and does not activate this installation: it was made for another request or another desk. Import it on the desk that wrote the request, or on the standby it activates")]
    ResponseOtherRequest {
        /// The start of the request's nonce, as messages show it.
        request: String,
    },
    #[error("this response activates this installation on the machine {hardware_id}, but this machine is {this_machine}: the installation was moved to other hardware. Ask for a release and activate again")]
    InstallationMoved {
        hardware_id: HardwareId,
        this_machine: HardwareId,
    },
    #[error("this machine's hardware cannot be read, so this response for this installation cannot be checked against it")]
    HardwareUnreadable,
    #[error("this response activates this machine as the standby of FailoverSuite {license}, which is not in this store: import its base license and FailoverSuite certificates first, then this response")]
    ResponseFailoverMissing { license: LicenseNumber },
    #[error("{license} has the active standby {active} in this store, not this machine {hardware_id}: release it first (R4)")]
    OtherActiveStandby {
        license: LicenseNumber,
        active: HardwareId,
        hardware_id: HardwareId,
    },
    #[error("this response activates {license} as {}, but the request {request}… was for {requested_license} as {}: ask the vendor for the right response", .role.code(), .requested_role.code())]
    ResponseOtherLicense {
        license: LicenseNumber,
        role: Role,
        request: String,
        requested_license: LicenseNumber,
        requested_role: Role,
    },
    #[error("this response is for the machine {hardware_id}, but the request was for {requested}: it was made for another machine")]
    ResponseOtherMachine {
        hardware_id: HardwareId,
        requested: HardwareId,
    },
    #[error("no {} system of {license} is registered in this store any more: register it and export a new request", .role.code())]
    SystemNoLongerRegistered { role: Role, license: LicenseNumber },
    #[error("{license} is now registered for the machine {registered}, but this response is for {hardware_id}: it was made for another machine. Export a new request")]
    SystemOnOtherMachine {
        license: LicenseNumber,
        registered: HardwareId,
        hardware_id: HardwareId,
    },
    #[error("this {} for the {} system of {license} was signed at {signed_at}, but the {} signed at {applied_signed_at} (content {applied_content}…) was applied since: what the vendor signed for one system moves forward only, and nothing was changed. Ask the vendor for a new response if this system must be activated again", .kind.describe(), .role.code(), .applied_kind.describe())]
    DecisionSuperseded {
        /// An activation response or a standby release.
        #[serde(serialize_with = "kind_tag")]
        kind: FileKind,
        role: Role,
        license: LicenseNumber,
        signed_at: Timestamp,
        /// What was applied since: its kind, when it was signed, the start of its content id.
        #[serde(serialize_with = "kind_tag")]
        applied_kind: FileKind,
        applied_signed_at: Timestamp,
        applied_content: String,
    },
}

impl ResponseRefusal {
    pub fn code(&self) -> ErrorCode {
        use ResponseRefusal as R;
        match self {
            R::InvalidResponse { .. } => ErrorCode::InvalidContent,
            R::ResponseOtherRequest { .. } => ErrorCode::OtherRequest,
            R::InstallationMoved { .. }
            | R::OtherActiveStandby { .. }
            | R::ResponseOtherMachine { .. }
            | R::SystemOnOtherMachine { .. } => ErrorCode::OtherMachine,
            R::HardwareUnreadable => ErrorCode::Machine,
            R::ResponseFailoverMissing { .. } => ErrorCode::BaseMissing,
            R::ResponseOtherLicense { .. } | R::SystemNoLongerRegistered { .. } => {
                ErrorCode::WrongLicense
            }
            R::DecisionSuperseded { .. } => ErrorCode::Superseded,
        }
    }
}
