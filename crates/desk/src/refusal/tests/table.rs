//! One of every refusal, with the code and next step its site used.

use super::*;

/// One of every refusal, with the code and the next step the site that built it used to attach.
pub(super) fn table() -> Vec<(Refusal, ErrorCode, Option<NextStep>)> {
    use ImportRefusal as I;
    use JournalRefusal as J;
    use ResponseRefusal as R;
    use StandbyRefusal as S;
    let dismiss = Some(NextStep::DismissJournal {
        journal: HASH[..12].to_string(),
    });
    let path = PathBuf::from("/tmp/some file");
    vec![
        // import
        (
            I::FileTooLarge {
                path: path.clone(),
                size: 9,
                cap: 8,
            }
            .into(),
            C::TooLarge,
            None,
        ),
        (
            I::FileIsFolder { path: path.clone() }.into(),
            C::InvalidInput,
            None,
        ),
        (I::ReleaseRequestNotImported.into(), C::WrongKind, None),
        (
            I::HardwareIdFileNotImported.into(),
            C::WrongKind,
            Some(NextStep::UseHardwareIdFile),
        ),
        (I::ActivationRequestNotImported.into(), C::WrongKind, None),
        (
            I::VendorKeyNotImported.into(),
            C::WrongKind,
            Some(NextStep::TrustKey),
        ),
        (
            I::NotVendorSigned {
                kind: FileKind::UsageJournal,
            }
            .into(),
            C::WrongKind,
            None,
        ),
        (
            I::InvalidBaseCertificate { problem: problem() }.into(),
            C::InvalidContent,
            None,
        ),
        (
            I::CertificateSuperseded {
                license: base(),
                revision: 2,
                held: 3,
                held_issued_at: t(0),
            }
            .into(),
            C::Superseded,
            None,
        ),
        (
            I::CertificateDiffersAtSameRevision {
                license: base(),
                revision: 2,
            }
            .into(),
            C::Conflict,
            None,
        ),
        (
            I::OtherCustomer {
                license: base(),
                held: "Acme".into(),
                named: "Other".into(),
            }
            .into(),
            C::Conflict,
            None,
        ),
        (
            I::InvalidFailoverCertificate { problem: problem() }.into(),
            C::InvalidContent,
            None,
        ),
        (
            I::FailoverBaseMissing {
                license: failover(),
                base: base(),
            }
            .into(),
            C::BaseMissing,
            None,
        ),
        (
            I::FailoverOtherBase {
                license: failover(),
                held_base: base(),
                named_base: base(),
            }
            .into(),
            C::Conflict,
            None,
        ),
        (
            I::FailoverForOtherBase {
                license: failover(),
                base: base(),
                named_base: base(),
            }
            .into(),
            C::WrongLicense,
            None,
        ),
        (
            I::InvalidHardwareIdFile { problem: problem() }.into(),
            C::InvalidContent,
            None,
        ),
        (
            I::TrustedKeyUnreadable {
                key_id: key(1),
                problem: KeyError::NotBase64,
            }
            .into(),
            C::Store,
            None,
        ),
        (I::VendorKeyMismatch.into(), C::InvalidContent, None),
        (I::KeyNotStored.into(), C::Store, None),
        (
            I::PathMissing { path: path.clone() }.into(),
            C::PathMissing,
            None,
        ),
        (
            I::PathNotAbsolute { path: path.clone() }.into(),
            C::PathNotAbsolute,
            None,
        ),
        (
            I::FolderUnreadable {
                path: path.clone(),
                reason: "permission denied".into(),
            }
            .into(),
            C::Io,
            None,
        ),
        (
            I::NothingToImport { path: path.clone() }.into(),
            C::NothingToImport,
            None,
        ),
        (I::ImportRunning.into(), C::ImportRunning, None),
        (
            I::NotAnImportLog { path: path.clone() }.into(),
            C::InvalidInput,
            None,
        ),
        // standby
        (
            S::BaseNotInStore { license: base() }.into(),
            C::NotFound,
            None,
        ),
        (
            S::FailoverNotInStore {
                license: failover(),
            }
            .into(),
            C::NotFound,
            None,
        ),
        (
            S::NotAFailover {
                license: base(),
                failovers: vec![failover()],
            }
            .into(),
            C::InvalidInput,
            None,
        ),
        (S::RegistrationNotStored.into(), C::Store, None),
        (
            S::NoStandbyToAcknowledge {
                failover: failover(),
            }
            .into(),
            C::NotFound,
            None,
        ),
        (
            S::NoStandbyRegistered {
                license: failover(),
            }
            .into(),
            C::InvalidInput,
            Some(NextStep::NameMachine),
        ),
        (
            S::FailoverAsMain {
                license: failover(),
            }
            .into(),
            C::InvalidInput,
            Some(NextStep::UseRoleStandby),
        ),
        (
            S::TypedStandbyWithoutKey {
                license: failover(),
                hardware_id: hwid(1),
            }
            .into(),
            C::NoInstallationKey,
            Some(NextStep::RegisterFromHardwareIdFile),
        ),
        (
            S::NoActiveStandbyToRelease {
                failover: failover(),
            }
            .into(),
            C::NotFound,
            None,
        ),
        (
            S::ReleaseNotOnStandby {
                failover: failover(),
                hardware_id: hwid(1),
                certified: Some(key(1)),
                own: key(2),
            }
            .into(),
            C::OtherMachine,
            Some(NextStep::ReleaseRequestOnStandby {
                failover: failover(),
            }),
        ),
        (
            S::InvalidRelease { problem: problem() }.into(),
            C::InvalidContent,
            None,
        ),
        (
            S::ReleaseOtherLicense {
                failover: failover(),
                requested: other_failover(),
            }
            .into(),
            C::WrongLicense,
            None,
        ),
        (
            S::ReleaseOtherMachine {
                hardware_id: hwid(1),
                requested: hwid(2),
            }
            .into(),
            C::OtherMachine,
            None,
        ),
        (
            S::ReleaseOtherRequest {
                failover: failover(),
                hardware_id: hwid(1),
            }
            .into(),
            C::OtherRequest,
            None,
        ),
        (
            S::StandbyNoLongerHeld {
                failover: failover(),
                hardware_id: hwid(1),
            }
            .into(),
            C::OtherMachine,
            None,
        ),
        (
            S::InstallationKeyDamaged { path: path.clone() }.into(),
            C::InvalidInput,
            None,
        ),
        (
            S::installation_key_exposed(path.clone(), licdesk_outfile::Exposure::Mode(0o644))
                .into(),
            C::Io,
            None,
        ),
        (
            S::NoDataDirectory.into(),
            C::InvalidInput,
            Some(NextStep::ChooseStore),
        ),
        (S::NotATeamStoreUrl.into(), C::InvalidInput, None),
        (
            S::PasswordInStoreUrl {
                url: "postgres://anna:***@db.example/licdesk".into(),
            }
            .into(),
            C::InvalidInput,
            None,
        ),
        (
            S::SyncWithItself {
                store: "postgres://anna@db.example/licdesk".into(),
            }
            .into(),
            C::InvalidInput,
            None,
        ),
        // response
        (
            R::InvalidResponse { problem: problem() }.into(),
            C::InvalidContent,
            None,
        ),
        (
            R::ResponseOtherRequest {
                request: HASH[..12].into(),
            }
            .into(),
            C::OtherRequest,
            None,
        ),
        (
            R::InstallationMoved {
                hardware_id: hwid(1),
                this_machine: hwid(2),
            }
            .into(),
            C::OtherMachine,
            None,
        ),
        (R::HardwareUnreadable.into(), C::Machine, None),
        (
            R::ResponseFailoverMissing {
                license: failover(),
            }
            .into(),
            C::BaseMissing,
            None,
        ),
        (
            R::OtherActiveStandby {
                license: failover(),
                active: hwid(1),
                hardware_id: hwid(2),
            }
            .into(),
            C::OtherMachine,
            None,
        ),
        (
            R::ResponseOtherLicense {
                license: failover(),
                role: Role::Standby,
                request: HASH[..12].into(),
                requested_license: base(),
                requested_role: Role::Main,
            }
            .into(),
            C::WrongLicense,
            None,
        ),
        (
            R::ResponseOtherMachine {
                hardware_id: hwid(1),
                requested: hwid(2),
            }
            .into(),
            C::OtherMachine,
            None,
        ),
        (
            R::SystemNoLongerRegistered {
                role: Role::Main,
                license: base(),
            }
            .into(),
            C::WrongLicense,
            None,
        ),
        (
            R::SystemOnOtherMachine {
                license: base(),
                registered: hwid(1),
                hardware_id: hwid(2),
            }
            .into(),
            C::OtherMachine,
            None,
        ),
        (
            R::DecisionSuperseded {
                kind: FileKind::ActivationResponse,
                role: Role::Standby,
                license: failover(),
                signed_at: t(0),
                applied_kind: FileKind::Release,
                applied_signed_at: t(60),
                applied_content: HASH[..12].into(),
            }
            .into(),
            C::Superseded,
            None,
        ),
        // journal
        (
            J::EntryInFuture {
                at: t(7200),
                clock: t(0),
                state: UsageState::Load,
            }
            .into(),
            C::InvalidInput,
            Some(NextStep::LeaveOutTime),
        ),
        (
            J::EntryNotAfterLast {
                at: t(0),
                last: t(1),
            }
            .into(),
            C::InvalidInput,
            None,
        ),
        (
            J::EntryBeforeExport {
                at: t(0),
                exported: t(1),
            }
            .into(),
            C::InvalidInput,
            None,
        ),
        (
            J::NoOwnStandby.into(),
            C::NotFound,
            Some(NextStep::ActivateThisMachine),
        ),
        (
            J::ClockBehindJournal {
                clock: t(0),
                last: t(1),
            }
            .into(),
            C::InvalidInput,
            None,
        ),
        (
            J::JournalActivationInvalid {
                problem: FileError::Empty,
            }
            .into(),
            C::InvalidContent,
            None,
        ),
        (
            J::JournalOtherActivation {
                failover: failover(),
                activation: other_failover(),
            }
            .into(),
            C::InvalidContent,
            None,
        ),
        (
            J::JournalSignatureFails {
                key_id: key(1).to_string(),
                journal: HASH.into(),
            }
            .into(),
            C::BadSignature,
            dismiss.clone(),
        ),
        (
            J::JournalTampered {
                failover: failover(),
                tamper: Tamper::Overlap {
                    from: t(0),
                    previous_end: t(1),
                },
                journal: HASH.into(),
            }
            .into(),
            C::Tampered,
            dismiss.clone(),
        ),
        (
            J::JournalAlreadyTampered {
                failover: failover(),
                tamper: Tamper::Overlap {
                    from: t(0),
                    previous_end: t(1),
                },
                journal: HASH.into(),
            }
            .into(),
            C::Tampered,
            dismiss,
        ),
        (
            J::JournalOlder {
                failover: failover(),
                exported_at: t(0),
                recorded_at: t(1),
            }
            .into(),
            C::Conflict,
            Some(NextStep::ImportLatestJournal),
        ),
        (
            J::JournalActivationSuperseded {
                failover: failover(),
                activated_at: t(0),
                current: t(1),
            }
            .into(),
            C::Conflict,
            Some(NextStep::ReexportJournal),
        ),
        (
            J::NotAJournalHash {
                given: "xyz".into(),
            }
            .into(),
            C::InvalidInput,
            Some(NextStep::SeeMonitoring),
        ),
        (
            J::DismissReasonMissing.into(),
            C::InvalidInput,
            Some(NextStep::GiveReason),
        ),
        (
            J::NoTamperedJournal {
                journal: HASH[..8].into(),
            }
            .into(),
            C::NotFound,
            Some(NextStep::SeeMonitoring),
        ),
        (
            J::AmbiguousJournal {
                count: 2,
                journal: HASH[..8].into(),
            }
            .into(),
            C::InvalidInput,
            None,
        ),
        (
            J::AcknowledgeReasonMissing.into(),
            C::InvalidInput,
            Some(NextStep::GiveReason),
        ),
        (
            J::NoTrustedJournal {
                failover: failover(),
            }
            .into(),
            C::NotFound,
            None,
        ),
        (
            J::ViolationStillRunning {
                failover: failover(),
                since: t(0),
                as_of: t(1),
                gap_hours: 24,
            }
            .into(),
            C::ViolationRunning,
            None,
        ),
        (
            J::NoPastViolation {
                failover: failover(),
                as_of: t(1),
            }
            .into(),
            C::NotFound,
            Some(NextStep::SeeMonitoring),
        ),
    ]
}
