//! The window's words follow docs/GLOSSARY.md: every German word it names is the one de.js uses,
//! none of the translations it rules out appears there, and both tables keep the typography a
//! German administrator expects (an ellipsis right after its word, „…“ quotes in German) and
//! never call the product "Desk" or "desk" on its own.

use std::collections::BTreeMap;

use licdesk_tests::ui::catalogue;

use super::read;

/// The glossary's rows: `(German words, words not to use in German)`.
fn glossary() -> Vec<(Vec<String>, Vec<String>)> {
    let text = read("docs/GLOSSARY.md");
    let rows: Vec<(Vec<String>, Vec<String>)> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| English"))
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let german = cells[2]
                .split([',', ';'])
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            let not = cells[3]
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            (german, not)
        })
        .collect();
    assert!(rows.len() >= 40, "parsed {} rows", rows.len());
    rows
}

/// Whether `word` stands in `text` as a word of its own (not inside a longer one), case counts.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The texts of `lang` by key (the tables are parsed whole, or the test fails).
fn texts(lang: &str) -> BTreeMap<String, String> {
    let texts = catalogue(lang);
    assert!(texts.len() > 300, "{lang}: {} texts", texts.len());
    texts
}

#[test]
fn the_german_texts_use_the_words_of_the_glossary_and_none_it_rules_out() {
    let de = texts("de");
    let all: String = de
        .values()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let mut ruled_out = Vec::new();
    for (german, not) in glossary() {
        for word in &german {
            assert!(
                all.contains(&word.to_lowercase()),
                "docs/GLOSSARY.md says “{word}”, which no German text uses"
            );
        }
        ruled_out.extend(not);
    }
    // The terms are among them.
    for word in [
        "Berechtigungen",
        "Episode",
        "beglaubigt",
        "Verwerfen",
        "Importiere",
    ] {
        assert!(
            ruled_out.iter().any(|w| w == word),
            "{word} is not ruled out"
        );
    }
    let found: Vec<String> = de
        .iter()
        .flat_map(|(key, text)| {
            ruled_out
                .iter()
                // "Desk" stands in "License Desk": the test below looks at it.
                .filter(|word| word.as_str() != "Desk" && has_word(text, word))
                .map(move |word| format!("{key}: “{word}” in {text}"))
        })
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_product_is_never_called_desk_on_its_own() {
    for (lang, forms, name) in [
        ("de", &["License Desk", "License-Desk"][..], "Desk"),
        ("en", &["License Desk", "licdesk"][..], "desk"),
    ] {
        for (key, text) in texts(lang) {
            let mut rest = text.clone();
            for form in forms {
                rest = rest.replace(form, "");
            }
            assert!(
                !has_word(&rest.to_lowercase(), &name.to_lowercase()),
                "{lang} {key}: “{name}” on its own in {text}"
            );
        }
    }
}

#[test]
fn an_ellipsis_follows_its_word_and_german_quotes_are_german() {
    for lang in ["en", "de"] {
        for (key, text) in texts(lang) {
            assert!(!text.contains("..."), "{lang} {key}: three dots in {text}");
            assert!(
                !text.contains(" …") && !text.contains("\u{a0}…"),
                "{lang} {key}: a space before “…” in {text}"
            );
        }
    }
    for (key, text) in texts("de") {
        // „…“ in German; English ”…” or straight quotes would read as translated.
        assert!(
            !text.contains('\u{201d}') && !text.contains('"'),
            "de {key}: not a German quotation mark in {text}"
        );
        assert_eq!(
            text.matches('\u{201e}').count(),
            text.matches('\u{201c}').count(),
            "de {key}: „ and “ do not pair in {text}"
        );
        for informal in ["du", "Du", "dich", "dein", "deine", "Deine"] {
            assert!(
                !has_word(&text, informal),
                "de {key}: “{informal}” in {text}"
            );
        }
    }
}
