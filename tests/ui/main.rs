//! Static checks of the window's UI that need no running app: every string in both languages,
//! every key used exists, no inline script or style, a strict CSP, and capabilities that grant
//! exactly the commands the UI calls.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The keys of one language block in ui/js/i18n.js (`  en: { … },`).
fn keys_of(i18n: &str, lang: &str) -> BTreeSet<String> {
    let start = i18n
        .find(&format!("\n  {lang}: {{"))
        .unwrap_or_else(|| panic!("no {lang} block"));
    let block = &i18n[start..];
    let end = block.find("\n  },").unwrap();
    block[..end]
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"'))
        .filter_map(|l| l.split_once("\":").map(|(k, _)| k.to_string()))
        .collect()
}

fn quoted_after(text: &str, marker: &str) -> BTreeSet<String> {
    text.match_indices(marker)
        .filter_map(|(i, _)| text[i + marker.len()..].split('"').next())
        .map(str::to_string)
        .collect()
}

fn ui_js() -> Vec<(String, String)> {
    std::fs::read_dir(root().join("ui/js"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn english_and_german_have_exactly_the_same_keys() {
    let i18n = read("ui/js/i18n.js");
    let en = keys_of(&i18n, "en");
    let de = keys_of(&i18n, "de");
    assert!(en.len() > 100, "parsed only {} keys", en.len());
    let missing_de: Vec<_> = en.difference(&de).collect();
    let missing_en: Vec<_> = de.difference(&en).collect();
    assert!(missing_de.is_empty(), "missing in German: {missing_de:?}");
    assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");
}

#[test]
fn every_key_the_ui_uses_exists() {
    let i18n = read("ui/js/i18n.js");
    let known = keys_of(&i18n, "en");
    let html = read("ui/index.html");
    let mut used = BTreeSet::new();
    for marker in [
        "data-i18n=\"",
        "data-i18n-placeholder=\"",
        "data-i18n-aria-label=\"",
    ] {
        used.extend(quoted_after(&html, marker));
    }
    for (_, js) in ui_js() {
        // Literal keys: t("key" …). Keys built at run time (`status.${…}`) are checked below.
        used.extend(
            js.match_indices("t(\"")
                .filter(|(i, _)| {
                    let before = js[..*i].chars().next_back().unwrap_or(' ');
                    !(before.is_alphanumeric() || before == '_' || before == '.')
                })
                .filter_map(|(i, _)| js[i + 3..].split('"').next())
                .filter(|k| !k.contains('$'))
                .map(str::to_string),
        );
    }
    let unknown: Vec<_> = used.difference(&known).collect();
    assert!(
        unknown.is_empty(),
        "keys used but not translated: {unknown:?}"
    );
    // Keys made from backend values: every status, variant, mode, role and error code.
    for prefix_values in [
        ("status.", vec!["pending", "active", "out_of_date", "none"]),
        ("variant.", vec!["10", "25", "250", "unlimited"]),
        ("variant.inline.", vec!["10", "25", "250", "unlimited"]),
        ("mode.", vec!["cold", "hot", "test"]),
        ("role.", vec!["main", "standby"]),
        ("mode.inline.", vec!["cold", "hot", "test"]),
        (
            "import.activated.",
            vec!["main", "main.one", "standby", "standby.one"],
        ),
        ("keys.origin.", vec!["built-in", "added"]),
        (
            "level.",
            vec!["fine", "warning", "final_warning", "violation"],
        ),
    ] {
        for v in prefix_values.1 {
            let key = format!("{}{v}", prefix_values.0);
            assert!(known.contains(&key), "{key} is not translated");
        }
    }
    // Every reason a usage journal cannot be trusted, as licdesk-core names them.
    let kinds = enum_variants(&read("crates/core/src/usage.rs"), "Tamper");
    assert!(kinds.len() >= 5, "parsed {kinds:?}");
    for kind in kinds {
        let key = format!("tamper.{kind}");
        assert!(known.contains(&key), "{key} is not translated");
    }
}

#[test]
fn every_backend_error_code_has_a_sentence_in_both_languages() {
    let i18n = read("ui/js/i18n.js");
    let error_rs = read("crates/desk/src/error.rs");
    let start = error_rs.find("pub enum ErrorCode {").unwrap();
    let body = &error_rs[start..error_rs[start..].find('}').unwrap() + start];
    let codes: Vec<String> = body
        .lines()
        .skip(1)
        .map(|l| l.trim().trim_end_matches(','))
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .map(|variant| {
            let mut snake = String::new();
            for (i, c) in variant.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            snake
        })
        .collect();
    assert!(codes.len() > 15);
    for lang in ["en", "de"] {
        let keys = keys_of(&i18n, lang);
        for code in &codes {
            assert!(
                keys.contains(&format!("error.{code}")),
                "error.{code} missing in {lang}"
            );
        }
    }
}

#[test]
fn the_refusals_of_a_decision_with_a_reason_have_their_own_sentences_in_both_languages() {
    let i18n = read("ui/js/i18n.js");
    let app = read("ui/js/app.js");
    for context in ["acknowledge_violations", "dismiss_tampered_journal"] {
        // The window passes the context with the action, so the code is said in its terms.
        assert!(
            app.contains(&format!("\"{context}\",")),
            "{context} is not passed as a context in app.js"
        );
        for lang in ["en", "de"] {
            let key = format!("error.{context}.not_found");
            assert!(
                keys_of(&i18n, lang).contains(&key),
                "{key} missing in {lang}"
            );
        }
    }
    for lang in ["en", "de"] {
        assert!(keys_of(&i18n, lang).contains("reason.needed"));
    }
}

/// The variant names of `pub enum NAME {` in error.rs, in snake case (struct variants too).
fn enum_variants(error_rs: &str, name: &str) -> Vec<String> {
    let start = error_rs
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("no enum {name}"));
    let mut depth = 0;
    let mut variants = Vec::new();
    for line in error_rs[start..].lines().skip(1) {
        let l = line.trim();
        if depth == 0 && l.starts_with('}') {
            break;
        }
        if depth == 0 && !l.is_empty() && !l.starts_with("//") && !l.starts_with("#[") {
            let ident: String = l.chars().take_while(|c| c.is_alphanumeric()).collect();
            let mut snake = String::new();
            for (i, c) in ident.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            variants.push(snake);
        }
        depth += l.matches('{').count();
        depth -= l.matches('}').count();
    }
    variants
}

#[test]
fn every_precise_identifier_problem_has_a_sentence_in_both_languages() {
    let i18n = read("ui/js/i18n.js");
    let error_rs = read("crates/desk/src/error.rs");
    let reasons = enum_variants(&error_rs, "IdProblem");
    let ids = enum_variants(&error_rs, "IdKind");
    assert_eq!(
        reasons,
        ["wrong_shape", "unused_character", "check_mismatch"],
        "parsed {reasons:?}"
    );
    assert_eq!(ids, ["hardware_id", "license_number", "key_id"]);
    for lang in ["en", "de"] {
        let keys = keys_of(&i18n, lang);
        for reason in &reasons {
            for id in &ids {
                let key = format!("idcheck.{reason}.{id}");
                assert!(keys.contains(&key), "{key} missing in {lang}");
            }
        }
    }
    // The offending character is part of the sentence.
    for line in i18n
        .lines()
        .filter(|l| l.contains("\"idcheck.unused_character."))
    {
        assert!(line.contains("{character}"), "{line}");
    }
}

#[test]
fn the_page_has_no_inline_script_or_style_and_a_strict_csp() {
    let html = read("ui/index.html");
    assert!(
        !html.contains("<script>") && !html.contains("<style"),
        "inline script or style"
    );
    assert!(!html.contains(" style=") && !html.contains(" onclick=") && !html.contains(" onload="));
    let conf: serde_json::Value = serde_json::from_str(&read("src-tauri/tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    for (file, js) in ui_js() {
        assert!(!js.contains("eval("), "{file} uses eval");
        if !file.ends_with("html.js") {
            assert!(
                !js.contains("innerHTML"),
                "{file} sets innerHTML outside the escaping template"
            );
        }
    }
}

#[test]
fn only_api_js_calls_the_backend_and_the_capabilities_grant_exactly_its_commands() {
    for (file, js) in ui_js() {
        if !file.ends_with("api.js") {
            assert!(
                !js.contains("__TAURI__"),
                "{file} calls the backend directly"
            );
        }
    }
    let caps: serde_json::Value =
        serde_json::from_str(&read("src-tauri/capabilities/main.json")).unwrap();
    let granted: BTreeSet<String> = caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .unwrap()
                .trim_start_matches("allow-")
                .replace('-', "_")
        })
        .collect();
    let used = quoted_after(&read("ui/js/api.js"), "invoke(\"");
    assert_eq!(granted, used);
    // This machine saves its hardware-ID file (with a suggested path) through its own commands.
    for command in ["save_hardware_file", "suggest_hardware_file_path"] {
        assert!(used.contains(command), "{command} is not used by api.js");
    }
    // Past five-day violations are acknowledged, and tampered journals dismissed, from the
    // window too (each with a reason, audited).
    for command in ["acknowledge_violations", "dismiss_tampered_journal"] {
        assert!(used.contains(command), "{command} is not used by api.js");
    }
    let build = read("src-tauri/build.rs");
    for command in &used {
        assert!(
            build.contains(&format!("\"{command}\"")),
            "{command} has no generated permission"
        );
    }
}

#[test]
fn the_usage_journals_whose_signature_fails_come_with_the_store_info_the_window_reads() {
    // Tied to no FailoverSuite, they come with store_info (asked again after every change) under
    // the name the window reads; the dismissal is the tampered journals' own command.
    let main_rs = read("src-tauri/src/main.rs");
    let start = main_rs.find("struct StoreInfo {").unwrap();
    let store_info = &main_rs[start..start + main_rs[start..].find('}').unwrap()];
    assert!(
        store_info.contains("unverified_journals: Vec<"),
        "{store_info}"
    );
    let app = read("ui/js/app.js");
    assert!(app.contains("info.unverified_journals"));
    assert!(app.contains("api.dismissTamperedJournal(hash, reason)"));
    // Refreshed with the list after an import or a decision.
    let start = app.find("async function refresh() {").unwrap();
    let refresh = &app[start..start + app[start..].find("\n}").unwrap()];
    assert!(refresh.contains("await loadStoreWide();"), "{refresh}");
}
