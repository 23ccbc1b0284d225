//! Every code the desk sends has its text in both languages, filled only with the values it
//! carries: each `ErrorCode` (`error.<code>`), each refusal (`refusal.<tag>`, from the variants of
//! the desk's refusal enums and their fields), each next step (`next.<step>`), and the words its
//! values are said with (file kinds, usage states, roles, why a journal cannot be trusted). The
//! codes are read from the Rust sources, so a new variant without its texts fails here.

use std::collections::{BTreeMap, BTreeSet};

use licdesk_tests::ui::{catalogue, enum_fields, placeholders};

use super::read;

/// The refusal enums of the desk (one per use case), as `Refusal` wraps them.
const REFUSAL_ENUMS: [(&str, &str); 4] = [
    ("crates/desk/src/refusal/import.rs", "ImportRefusal"),
    ("crates/desk/src/refusal/standby.rs", "StandbyRefusal"),
    ("crates/desk/src/refusal/response.rs", "ResponseRefusal"),
    ("crates/desk/src/refusal/journal.rs", "JournalRefusal"),
];

/// Every refusal tag with the names of the values it carries (its `params` but `refusal`).
fn refusals() -> BTreeMap<String, BTreeSet<String>> {
    let wrapper = read("crates/desk/src/refusal/mod.rs");
    let wrapped: Vec<String> = enum_fields(&wrapper, "Refusal")
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    assert_eq!(
        wrapped.len(),
        REFUSAL_ENUMS.len(),
        "Refusal wraps {wrapped:?}: read its new enum here"
    );
    let mut all = BTreeMap::new();
    for (file, name) in REFUSAL_ENUMS {
        assert!(wrapper.contains(&format!("(#[from] {name})")), "{name}");
        for (tag, fields) in enum_fields(&read(file), name) {
            let fields = fields.into_iter().collect();
            assert!(all.insert(tag.clone(), fields).is_none(), "{tag} twice");
        }
    }
    all
}

/// The `{placeholders}` of `key` in one language's texts, as a set.
fn used(texts: &BTreeMap<String, String>, key: &str) -> BTreeSet<String> {
    placeholders(&texts[key]).into_iter().collect()
}

/// The backticked names in the parameter column of docs/CODES.md's row of `tag` in the table of
/// refusals (its rows have four columns: a tag may also be an error code, whose row has two).
fn documented_params(codes_md: &str, tag: &str) -> BTreeSet<String> {
    let row = codes_md
        .lines()
        .find(|l| l.starts_with(&format!("| `{tag}` |")) && l.matches('|').count() >= 5)
        .unwrap_or_else(|| panic!("docs/CODES.md has no row for `{tag}`"));
    let column = row.split('|').nth(3).unwrap_or_default();
    column
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_refusals_are_read_with_the_values_they_carry() {
    let refusals = refusals();
    assert!(refusals.len() >= 60, "{}", refusals.len());
    // What the reader finds is what docs/CODES.md documents, and what the desk serialises
    // (crates/desk/src/refusal/tests: `params_carry_the_values_of_a_refusal`).
    let codes_md = read("docs/CODES.md");
    for (tag, fields) in &refusals {
        assert_eq!(&documented_params(&codes_md, tag), fields, "{tag}");
    }
    let names = |tag: &str| refusals[tag].iter().cloned().collect::<Vec<_>>();
    assert_eq!(names("release_request_not_imported"), Vec::<String>::new());
    assert_eq!(
        names("certificate_superseded"),
        ["held", "held_issued_at", "license", "revision"]
    );
    assert_eq!(
        names("installation_key_exposed"),
        ["fix", "mode", "path", "readers"]
    );
    assert_eq!(names("not_a_failover"), ["failovers", "license"]);
}

#[test]
fn every_refusal_is_said_in_both_languages_with_only_the_values_it_carries() {
    let refusals = refusals();
    for lang in ["en", "de"] {
        let texts = catalogue(lang);
        for tag in refusals.keys() {
            assert!(
                texts.contains_key(&format!("refusal.{tag}")),
                "refusal.{tag} is missing in {lang}"
            );
        }
        // Every text of a refusal (its own, and its cases: `refusal.<tag>.<case>`) belongs to
        // a refusal the desk has, and names only values that refusal carries.
        let mut seen = 0;
        for key in texts.keys().filter(|k| k.starts_with("refusal.")) {
            let rest = &key["refusal.".len()..];
            let tag = rest.split('.').next().unwrap_or_default();
            let fields = refusals
                .get(tag)
                .unwrap_or_else(|| panic!("{key} ({lang}): the desk has no refusal `{tag}`"));
            let unknown: Vec<_> = used(&texts, key).difference(fields).cloned().collect();
            assert!(
                unknown.is_empty(),
                "{key} ({lang}) uses {unknown:?}, which `{tag}` does not carry ({fields:?})"
            );
            seen += 1;
        }
        assert!(seen >= refusals.len(), "{lang}: {seen} texts");
    }
}

#[test]
fn the_cases_of_a_refusal_the_window_picks_have_their_texts() {
    // reasons.js: `tag: (p) => (… ? null : "case")` says a refusal with `refusal.<tag>.<case>`.
    let script = read("ui/js/reasons.js");
    let start = script.find("const CASES = {").unwrap();
    let block = &script[start..start + script[start..].find("\n};").unwrap()];
    let cases: Vec<String> = block
        .lines()
        .skip(1)
        .filter_map(|l| {
            let (tag, body) = l.trim().split_once(": (p) =>")?;
            let case = body.rsplit('"').nth(1)?;
            Some(format!("refusal.{tag}.{case}"))
        })
        .collect();
    assert_eq!(cases.len(), 3, "{block}");
    for lang in ["en", "de"] {
        let texts = catalogue(lang);
        for key in &cases {
            assert!(texts.contains_key(key), "{key} is missing in {lang}");
        }
    }
}

#[test]
fn every_next_step_is_said_in_both_languages_with_only_the_values_it_carries() {
    let steps: BTreeMap<String, BTreeSet<String>> =
        enum_fields(&read("crates/desk/src/next_step.rs"), "NextStep")
            .into_iter()
            .map(|(step, fields)| (step, fields.into_iter().collect()))
            .collect();
    assert!(steps.len() >= 15, "{steps:?}");
    assert_eq!(
        steps["dismiss_journal"],
        BTreeSet::from(["journal".to_string()])
    );
    for lang in ["en", "de"] {
        let texts = catalogue(lang);
        for step in steps.keys() {
            assert!(
                texts.contains_key(&format!("next.{step}")),
                "next.{step} is missing in {lang}"
            );
        }
        for key in texts.keys().filter(|k| k.starts_with("next.")) {
            let step = &key["next.".len()..];
            let fields = steps
                .get(step)
                .unwrap_or_else(|| panic!("{key} ({lang}): the desk has no next step `{step}`"));
            let unknown: Vec<_> = used(&texts, key).difference(fields).cloned().collect();
            assert!(unknown.is_empty(), "{key} ({lang}) uses {unknown:?}");
        }
    }
}

#[test]
fn every_error_code_has_a_sentence_in_both_languages_and_no_other_error_text_is_left() {
    let codes: BTreeSet<String> = enum_fields(&read("crates/desk/src/error.rs"), "ErrorCode")
        .into_iter()
        .map(|(code, fields)| {
            assert!(fields.is_empty(), "{code} carries values");
            code
        })
        .collect();
    assert!(codes.len() >= 30, "{codes:?}");
    // The window's own: a code it does not know, the backend out of reach, the banner's parts.
    let own = ["generic", "no_backend", "close", "technical"];
    for lang in ["en", "de"] {
        let texts = catalogue(lang);
        for code in &codes {
            let key = format!("error.{code}");
            assert!(texts.contains_key(&key), "{key} is missing in {lang}");
            // Said from the code alone: no value to fill in.
            assert!(
                used(&texts, &key).is_empty(),
                "{key} ({lang}) has placeholders"
            );
        }
        for key in texts.keys().filter(|k| k.starts_with("error.")) {
            let name = &key["error.".len()..];
            assert!(
                codes.contains(name) || own.contains(&name),
                "{key} ({lang}) is no code the desk sends"
            );
        }
    }
}

#[test]
fn the_words_values_are_said_with_exist_in_both_languages_without_placeholders() {
    // A file kind by its tag (FileKind::tag), a usage journal's state, a role, a tamper kind.
    let kind_rs = read("crates/core/src/envelope/kind.rs");
    let start = kind_rs.find("pub fn tag(self)").unwrap();
    let body = &kind_rs[start..start + kind_rs[start..].find("\n    }").unwrap()];
    let kinds: Vec<String> = body
        .lines()
        .filter_map(|l| l.split_once("=> \"")?.1.split('"').next())
        .map(|tag| format!("kind.{tag}"))
        .collect();
    assert_eq!(kinds.len(), 9, "{body}");
    let states = enum_fields(&read("crates/core/src/usage/evaluate.rs"), "UsageState");
    let roles = enum_fields(&read("crates/core/src/model.rs"), "Role");
    let tampers = enum_fields(&read("crates/core/src/usage/tamper.rs"), "Tamper");
    let keys: Vec<String> = kinds
        .into_iter()
        .chain(states.iter().map(|(s, _)| format!("usage.{s}")))
        .chain(roles.iter().map(|(r, _)| format!("role.{r}")))
        .chain(tampers.iter().map(|(t, _)| format!("tamper.{t}")))
        .collect();
    assert!(keys.len() >= 9 + 2 + 2 + 8, "{keys:?}");
    for lang in ["en", "de"] {
        let texts = catalogue(lang);
        for key in &keys {
            assert!(texts.contains_key(key), "{key} is missing in {lang}");
            assert!(
                used(&texts, key).is_empty(),
                "{key} ({lang}) has placeholders"
            );
        }
    }
}
