use std::collections::BTreeSet;
use std::path::PathBuf;

use licdesk_core::usage::{Tamper, UsageState};
use licdesk_core::{
    FileError, FileKind, HardwareId, KeyError, KeyId, LicenseNumber, LicenseProduct, Role,
    SigningKey, Timestamp,
};
use serde_json::json;

use super::*;
use ErrorCode as C;

fn base() -> LicenseNumber {
    LicenseNumber::from_random(LicenseProduct::Suite, [3, 1, 4, 1, 5])
}
fn failover() -> LicenseNumber {
    LicenseNumber::from_random(LicenseProduct::FailoverSuite, [2, 7, 1, 8, 2])
}
fn other_failover() -> LicenseNumber {
    LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 5])
}
fn hwid(n: u8) -> HardwareId {
    HardwareId::from_digest(&[n; 16])
}
fn key(n: u8) -> KeyId {
    KeyId::of_public_key(&SigningKey::from_bytes(&[n; 32]).verifying_key())
}
fn t(seconds: i64) -> Timestamp {
    Timestamp::from_unix(1_700_000_000 + seconds)
}
fn problem() -> licdesk_core::ValueError {
    licdesk_core::model::validate_text("vendor name", "bell\u{7}", 200).unwrap_err()
}
const HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

mod table;
use table::table;

fn tag(refusal: &Refusal) -> String {
    refusal.params().unwrap()["refusal"]
        .as_str()
        .unwrap()
        .to_string()
}

#[path = "../../../tests/common/enum_variants.rs"]
mod enum_variants;
use enum_variants::variants;

#[test]
fn every_refusal_keeps_the_code_and_next_step_its_site_used() {
    for (refusal, code, next) in table() {
        assert_eq!(refusal.code(), code, "{refusal:?}");
        assert_eq!(refusal.next(), next, "{refusal:?}");
        let error = DeskError::from(refusal.clone());
        assert_eq!(error.code, code);
        assert_eq!(error.next, next);
        assert_eq!(error.message, refusal.to_string());
        assert_eq!(error.id_problem, None);
        assert_eq!(error.params, refusal.params());
    }
}

#[test]
fn the_table_names_every_refusal_once_and_the_tags_are_unique() {
    let sources = [
        (include_str!("../import.rs"), "ImportRefusal"),
        (include_str!("../standby.rs"), "StandbyRefusal"),
        (include_str!("../response.rs"), "ResponseRefusal"),
        (include_str!("../journal.rs"), "JournalRefusal"),
    ];
    let declared: Vec<String> = sources
        .iter()
        .flat_map(|(source, name)| variants(source, name))
        .collect();
    let unique: BTreeSet<&String> = declared.iter().collect();
    assert_eq!(unique.len(), declared.len(), "a tag twice: {declared:?}");
    let tags: Vec<String> = table().iter().map(|(r, _, _)| tag(r)).collect();
    let tested: BTreeSet<&String> = tags.iter().collect();
    assert_eq!(
        tested.len(),
        tags.len(),
        "a tag twice in the table: {tags:?}"
    );
    assert_eq!(tested, unique);
}

#[test]
fn params_carry_the_values_of_a_refusal() {
    let e = DeskError::from(ImportRefusal::CertificateSuperseded {
        license: base(),
        revision: 2,
        held: 3,
        held_issued_at: t(0),
    });
    assert_eq!(
        e.params,
        Some(json!({
            "refusal": "certificate_superseded",
            "license": base().to_string(),
            "revision": 2,
            "held": 3,
            "held_issued_at": t(0).to_string(),
        }))
    );

    let e = serde_json::to_value(DeskError::from(StandbyRefusal::ReleaseNotOnStandby {
        failover: failover(),
        hardware_id: hwid(1),
        certified: None,
        own: key(2),
    }))
    .unwrap();
    assert_eq!(e["code"], "other_machine");
    assert_eq!(e["next"]["step"], "release_request_on_standby");
    assert_eq!(
        e["params"],
        json!({
            "refusal": "release_not_on_standby",
            "failover": failover().to_string(),
            "hardware_id": hwid(1).to_string(),
            "certified": null,
            "own": key(2).to_string(),
        })
    );

    let e = DeskError::from(JournalRefusal::JournalTampered {
        failover: failover(),
        tamper: Tamper::Overlap {
            from: t(0),
            previous_end: t(1),
        },
        journal: HASH.into(),
    });
    let params = e.params.unwrap();
    assert_eq!(params["refusal"], "journal_tampered");
    assert_eq!(params["journal"], HASH);
    assert_eq!(params["tamper"]["kind"], "overlap");

    let e = DeskError::from(ResponseRefusal::DecisionSuperseded {
        kind: FileKind::ActivationResponse,
        role: Role::Standby,
        license: failover(),
        signed_at: t(0),
        applied_kind: FileKind::Release,
        applied_signed_at: t(60),
        applied_content: HASH[..12].into(),
    });
    let params = e.params.unwrap();
    assert_eq!(params["kind"], "activation-response");
    assert_eq!(params["applied_kind"], "standby-release");
    assert_eq!(params["role"], "standby");

    let e = DeskError::from(ImportRefusal::FileTooLarge {
        path: PathBuf::from("/tmp/big"),
        size: 9,
        cap: 8,
    });
    assert_eq!(
        e.params,
        Some(json!({"refusal": "file_too_large", "path": "/tmp/big", "size": 9, "cap": 8}))
    );

    // A refusal without values still names itself.
    let e = serde_json::to_value(DeskError::from(JournalRefusal::DismissReasonMissing)).unwrap();
    assert_eq!(e["params"], json!({"refusal": "dismiss_reason_missing"}));
    assert_eq!(e["next"]["step"], "give_reason");
}

#[test]
fn sentences_built_from_parts_read_as_before() {
    let none = StandbyRefusal::NotAFailover {
        license: base(),
        failovers: vec![],
    };
    assert_eq!(
        none.to_string(),
        format!(
            "{} is a base license; a standby belongs to a FailoverSuite license (XFM-…)",
            base()
        )
    );
    let two = StandbyRefusal::NotAFailover {
        license: base(),
        failovers: vec![failover(), other_failover()],
    };
    assert!(two.to_string().ends_with(&format!(
        "(XFM-…): its FailoverSuite licenses are {}, {}",
        failover(),
        other_failover()
    )));

    let certified = StandbyRefusal::ReleaseNotOnStandby {
        failover: failover(),
        hardware_id: hwid(1),
        certified: Some(key(1)),
        own: key(2),
    };
    assert!(certified.to_string().contains(&format!(
        ": its activation certified the installation key {} of the License Desk on that machine, and this desk's key is {}. Write",
        key(1),
        key(2)
    )));
    let uncertified = StandbyRefusal::ReleaseNotOnStandby {
        failover: failover(),
        hardware_id: hwid(1),
        certified: None,
        own: key(2),
    };
    assert!(uncertified.to_string().contains(&format!(
        ": its activation certified no installation key (this desk's key is {}). Write",
        key(2)
    )));

    let exposed = StandbyRefusal::installation_key_exposed(
        PathBuf::from("/s/k"),
        licdesk_outfile::Exposure::Mode(0o644),
    );
    assert!(exposed
        .to_string()
        .starts_with("the installation key /s/k can be read or changed by other users (mode 644): make it private with 'chmod 600 /s/k'."));
    let params = serde_json::to_value(&exposed).unwrap();
    assert_eq!(params["mode"], 0o644);
    assert_eq!(params["fix"], "chmod 600 /s/k");
    assert!(params.get("readers").is_none());
    // Windows: the accounts instead of the mode, and how to make it private there.
    let exposed = StandbyRefusal::installation_key_exposed(
        PathBuf::from(r"C:\s\k"),
        licdesk_outfile::Exposure::Accounts(vec!["Everyone".into()]),
    );
    assert!(exposed.to_string().starts_with(
        r#"the installation key C:\s\k can be read or changed by other users (Everyone): make it private with 'icacls "C:\s\k" /inheritance:r /grant:r "%USERNAME%:F" /remove "Everyone"'."#
    ), "{exposed}");
    let params = serde_json::to_value(&exposed).unwrap();
    assert_eq!(params["readers"][0], "Everyone");
    assert_eq!(
        params["fix"],
        r#"icacls "C:\s\k" /inheritance:r /grant:r "%USERNAME%:F" /remove "Everyone""#
    );
    assert!(params.get("mode").is_none());

    let customer = ImportRefusal::OtherCustomer {
        license: base(),
        held: "Ac\u{1b}me".into(),
        named: "Other".into(),
    };
    assert_eq!(
        customer.to_string(),
        format!(
            "{} belongs to customer '{}' in the store, but this certificate names 'Other': nothing was changed",
            base(),
            licdesk_core::escape_for_terminal("Ac\u{1b}me")
        )
    );

    let superseded = ResponseRefusal::DecisionSuperseded {
        kind: FileKind::Release,
        role: Role::Standby,
        license: failover(),
        signed_at: t(0),
        applied_kind: FileKind::ActivationResponse,
        applied_signed_at: t(60),
        applied_content: "0123456789ab".into(),
    };
    assert!(superseded.to_string().starts_with(&format!(
        "this standby release for the standby system of {} was signed at {}, but the activation response signed at {} (content 0123456789ab…) was applied since",
        failover(),
        t(0),
        t(60)
    )));
}
