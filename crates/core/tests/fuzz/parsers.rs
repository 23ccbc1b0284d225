//! Every text parser of untrusted input: any text, near-valid text, times near RFC 3339.

use licdesk_core::model::validate_text;
use licdesk_core::usage::UsageState;
use licdesk_core::{
    trust, Extension, HardwareId, KeyId, LicenseNumber, Role, StandbyMode, Timestamp, Variant,
};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::genuine::{base, failover, hardware, installation_key, vendor, REGRESSIONS};
use crate::hostile::config;
use crate::journals::extreme_unix;

#[derive(Debug, Clone)]
enum TextEdit {
    Insert(Index, char),
    Delete(Index),
    Replace(Index, char),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    let ch = prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '-', ' ', 'O', 'I', 'L', 'U', 'é', '😀', '\u{0}', 'z', ':'
        ]),
    ];
    prop_oneof![
        (any::<Index>(), ch.clone()).prop_map(|(i, c)| TextEdit::Insert(i, c)),
        any::<Index>().prop_map(TextEdit::Delete),
        (any::<Index>(), ch).prop_map(|(i, c)| TextEdit::Replace(i, c)),
    ]
}

fn apply_text_edit(text: &str, edit: &TextEdit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    match edit {
        TextEdit::Insert(i, c) => chars.insert(i.index(n + 1), *c),
        TextEdit::Delete(i) if n > 0 => {
            chars.remove(i.index(n));
        }
        TextEdit::Replace(i, c) if n > 0 => chars[i.index(n)] = *c,
        _ => {}
    }
    chars.into_iter().collect()
}

/// Valid inputs of every text parser, to start near-valid inputs from.
fn valid_texts() -> Vec<String> {
    let mut v: Vec<String> = vec![
        base().license.to_string(),
        failover().license.to_string(),
        hardware().id.to_string(),
        KeyId::of_public_key(&vendor().verifying_key()).to_string(),
        "XOM.11000:Fax Gateway:2".into(),
        "XOM.1:Name: with colon:1000000".into(),
        "2026-11-24T09:30:00Z".into(),
        "9999-12-31T23:59:59+00:00".into(),
        "1970-01-01T00:00:00Z".into(),
        "unlimited".into(),
        "cold".into(),
        "idle".into(),
        "standby".into(),
        installation_key(),
    ];
    v.extend(Variant::ALL.iter().map(|x| x.code().to_string()));
    v
}

/// Every text parser over `text`: none panics, and what parses prints back as itself.
fn parse_all(text: &str) {
    if let Ok(n) = LicenseNumber::parse(text) {
        assert_eq!(LicenseNumber::parse(n.as_str()).as_ref(), Ok(&n));
        let _ = n.product();
    }
    if let Ok(h) = HardwareId::parse(text) {
        assert_eq!(HardwareId::parse(h.as_str()).as_ref(), Ok(&h));
    }
    if let Ok(k) = KeyId::parse(text) {
        assert_eq!(KeyId::parse(k.as_str()).as_ref(), Ok(&k));
    }
    if let Ok(e) = Extension::parse_spec(text) {
        assert_eq!(e.validate(), Ok(()));
        let spec = format!("{}:{}:{}", e.article, e.name, e.quantity);
        assert_eq!(Extension::parse_spec(&spec).as_ref(), Ok(&e));
    }
    match Timestamp::parse(text) {
        Ok(t) => {
            assert!(Timestamp::MIN <= t && t <= Timestamp::MAX);
            assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
            let _ = (t.plus_seconds(i64::MAX), t.plus_seconds(i64::MIN));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(v) = Variant::parse(text) {
        assert_eq!(Variant::parse(v.code()), Ok(v));
    }
    if let Ok(m) = StandbyMode::parse(text) {
        assert_eq!(StandbyMode::parse(m.code()), Ok(m));
    }
    if let Ok(s) = UsageState::parse(text) {
        assert_eq!(UsageState::parse(s.code()), Ok(s));
    }
    if let Ok(r) = Role::parse(text) {
        assert_eq!(Role::parse(r.code()), Ok(r));
    }
    if let Ok(k) = trust::decode_public_key(text) {
        let _ = KeyId::of_public_key(&k);
    }
    let _ = validate_text("text", text, 100);
}

fn rfc3339_like() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        0u64..10_000,
        Just(0u64),
        Just(1969u64),
        Just(1970u64),
        Just(9999u64),
        Just(10_000u64),
        any::<u64>()
    ];
    (
        year,
        0u8..14,
        0u8..33,
        0u8..26,
        0u8..62,
        0u8..63,
        prop::option::of("[0-9]{1,12}"),
        prop_oneof![
            Just("Z".to_string()),
            Just("z".to_string()),
            (any::<bool>(), 0u8..30, 0u8..62)
                .prop_map(|(neg, h, m)| format!("{}{h:02}:{m:02}", if neg { '-' } else { '+' })),
        ],
        prop::sample::select(vec!["T", "t", " ", "_"]),
        any::<bool>(),
    )
        .prop_map(|(y, mo, d, h, mi, s, frac, offset, sep, pad)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let y = if pad {
                format!("{y:04}")
            } else {
                y.to_string()
            };
            format!("{y}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{offset}")
        })
}

proptest! {
    #![proptest_config(config(2000, REGRESSIONS))]

    /// Any text at all.
    #[test]
    fn text_parsers_never_panic_on_any_text(text in any::<String>()) {
        parse_all(&text);
    }

    /// Valid inputs with a few characters inserted, removed or replaced (multi-byte ones too).
    #[test]
    fn text_parsers_never_panic_near_valid_input(
        which in any::<Index>(),
        edits in prop::collection::vec(text_edit(), 0..4),
    ) {
        let texts = valid_texts();
        let mut text = texts[which.index(texts.len())].clone();
        for e in &edits {
            text = apply_text_edit(&text, e);
        }
        parse_all(&text);
    }

    /// Times of every shape near RFC 3339: each parses into the range or is refused.
    #[test]
    fn times_parse_into_the_range_or_are_refused(text in rfc3339_like()) {
        parse_all(&text);
    }

    /// Printing any time that can be made never fails, and it reads back as itself.
    #[test]
    fn every_time_prints_and_reads_back(unix in extreme_unix(), step in any::<i64>()) {
        for t in [Timestamp::from_unix(unix), Timestamp::from_unix(unix).plus_seconds(step)] {
            let text = t.to_string();
            prop_assert_eq!(Timestamp::parse(&text), Ok(t));
            prop_assert_eq!(serde_json::from_value::<Timestamp>(serde_json::to_value(t).unwrap()).unwrap(), t);
        }
    }
}
