//! Static checks of the window's UI that need no running app: every string in both languages,
//! every key used exists, every refusal and next step of the desk said in both (`reasons`), the
//! German worded as the glossary says (`wording`), no inline script or style, a strict CSP, and
//! capabilities that grant exactly the commands the UI calls.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use licdesk_tests::ui::{catalogue, enum_fields, placeholders};

mod formats;
mod reasons;
mod wording;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The keys of one language's table (`ui/js/i18n/<lang>.js`).
fn keys_of(lang: &str) -> BTreeSet<String> {
    catalogue(lang).into_keys().collect()
}

fn quoted_after(text: &str, marker: &str) -> BTreeSet<String> {
    text.match_indices(marker)
        .filter_map(|(i, _)| text[i + marker.len()..].split('"').next())
        .map(str::to_string)
        .collect()
}

/// Every script of the window (`ui/js`, its feature folders included), with its path.
fn ui_js() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "js") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("ui/js"), &mut out);
    assert!(out.len() > 10, "found only {} scripts", out.len());
    out
}

/// The script at `rel` (under ui/js).
fn ui_file(rel: &str) -> String {
    read(&format!("ui/js/{rel}"))
}

#[test]
fn english_and_german_have_exactly_the_same_keys() {
    let en = keys_of("en");
    let de = keys_of("de");
    assert!(en.len() > 100, "parsed only {} keys", en.len());
    let missing_de: Vec<_> = en.difference(&de).collect();
    let missing_en: Vec<_> = de.difference(&en).collect();
    assert!(missing_de.is_empty(), "missing in German: {missing_de:?}");
    assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");
}

#[test]
fn english_and_german_fill_in_the_same_placeholders_for_every_key() {
    let en = catalogue("en");
    let de = catalogue("de");
    assert!(en.len() > 100, "parsed only {} texts", en.len());
    // Both tables have the same keys (the test above); here each text's {names} are compared.
    let mut differ = Vec::new();
    for (key, english) in &en {
        let german = de.get(key).map(String::as_str).unwrap_or_default();
        if placeholders(english) != placeholders(german) {
            differ.push(format!(
                "{key}: en {:?}, de {:?}",
                placeholders(english),
                placeholders(german)
            ));
        }
    }
    assert!(differ.is_empty(), "placeholders differ: {differ:#?}");
    // The comparison sees placeholders at all.
    assert_eq!(placeholders(&en["import.progress"]), ["n", "total"]);
}

#[test]
fn every_key_the_ui_uses_exists() {
    let known = keys_of("en");
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
    let kinds = enum_variants(&read("crates/core/src/usage/tamper.rs"), "Tamper");
    assert!(kinds.len() >= 5, "parsed {kinds:?}");
    for kind in kinds {
        let key = format!("tamper.{kind}");
        assert!(known.contains(&key), "{key} is not translated");
    }
}

/// The variant names of `pub enum NAME {` in a Rust source, in snake case (struct variants too).
fn enum_variants(source: &str, name: &str) -> Vec<String> {
    enum_fields(source, name)
        .into_iter()
        .map(|(variant, _)| variant)
        .collect()
}

#[test]
fn every_precise_identifier_problem_has_a_sentence_in_both_languages() {
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
        let keys = keys_of(lang);
        for reason in &reasons {
            for id in &ids {
                let key = format!("idcheck.{reason}.{id}");
                assert!(keys.contains(&key), "{key} missing in {lang}");
            }
        }
    }
    // The offending character is part of the sentence.
    for lang in ["en", "de"] {
        let texts = catalogue(lang);
        let sentences: Vec<_> = texts
            .iter()
            .filter(|(key, _)| key.starts_with("idcheck.unused_character."))
            .collect();
        assert_eq!(sentences.len(), ids.len(), "{lang}: {sentences:?}");
        for (key, text) in sentences {
            assert!(text.contains("{character}"), "{lang} {key}: {text}");
        }
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

/// The first local time or Intl format a page asks of WebKit loads ICU's data into it for as long
/// as the window is open (time zones 1.5 MiB, locale data 3 MiB): only the clock asks for a local
/// time (its offsets, outside the years of the zone's table), and nothing formats with Intl.
#[test]
fn only_the_clock_asks_the_engine_for_a_local_time_and_nothing_formats_with_intl() {
    const LOCAL_TIME: &[&str] = &[
        "getTimezoneOffset",
        "getHours(",
        "getMinutes(",
        "getSeconds(",
        "getDate(",
        "getDay(",
        "getMonth(",
        "getFullYear(",
        "setHours(",
        "setMinutes(",
        "setDate(",
        "setMonth(",
        "setFullYear(",
        "toLocale",
        "toDateString",
        "toTimeString",
        "Intl.",
    ];
    let mut clock_asks = 0;
    for (file, js) in ui_js() {
        for call in LOCAL_TIME {
            let local = js.matches(call).count(); // `getUTCDate(` is no `getDate(`
            if file.ends_with("ui/js/clock.js") && *call == "getTimezoneOffset" {
                clock_asks += local;
            } else {
                assert_eq!(local, 0, "{file} asks the engine for {call}");
            }
        }
    }
    assert_eq!(
        clock_asks, 1,
        "the clock asks the engine once, outside its table"
    );
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
    let permissions: Vec<&str> = caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    // A plugin's permission (`plugin:allow-call`) is granted exactly when api.js makes that call
    // through the plugin's global API (`__TAURI__.plugin.call(`, the call in camel case); a core
    // one (`core:event:allow-listen`) through the core module's (`__TAURI__.event.listen(`).
    let (plugin, own): (Vec<&str>, Vec<&str>) = permissions.iter().partition(|p| p.contains(':'));
    let api = read("ui/js/api.js");
    for permission in &plugin {
        let (name, call) = permission.split_once(":allow-").unwrap();
        let name = name.trim_start_matches("core:");
        let mut camel = String::new();
        let mut upper = false;
        for c in call.chars() {
            if c == '-' {
                upper = true;
            } else if upper {
                camel.extend(c.to_uppercase());
                upper = false;
            } else {
                camel.push(c);
            }
        }
        let made = format!("__TAURI__.{name}.{camel}(");
        assert!(
            api.contains(&made),
            "{permission} is granted, but api.js never calls {made}"
        );
    }
    let granted: BTreeSet<String> = own
        .iter()
        .map(|p| p.trim_start_matches("allow-").replace('-', "_"))
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
    let main_rs = read("src-tauri/src/commands/store.rs");
    let start = main_rs.find("struct StoreInfo {").unwrap();
    let store_info = &main_rs[start..start + main_rs[start..].find('}').unwrap()];
    assert!(
        store_info.contains("unverified_journals: Vec<"),
        "{store_info}"
    );
    let journals = ui_file("journals/journals.js");
    assert!(journals.contains("info.unverified_journals"));
    assert!(journals.contains("api.dismissTamperedJournal(hash, reason)"));
    // Refreshed with the list after an import or a decision.
    let app = ui_file("app.js");
    let start = app.find("async function refresh() {").unwrap();
    let refresh = &app[start..start + app[start..].find("\n}").unwrap()];
    assert!(refresh.contains("await loadStoreWide();"), "{refresh}");
    // The journals banner is given that refresh.
    assert!(app.contains("initJournals(refresh);"));
}

#[test]
fn the_window_leaves_the_import_order_to_the_desk() {
    // The files picked, dropped or named together go to the backend in one call, by path, as
    // they are: the desk's bulk import puts bases before FailoverSuites before responses. No script reads a
    // file's kind from its first line to order them itself.
    for (file, js) in ui_js() {
        assert!(
            !js.contains("-----BEGIN") && !js.contains("BEGIN LICDESK"),
            "{file} reads a file's armor"
        );
    }
    assert!(ui_file("import/import.js").contains("api.importPaths(paths,"));
    let main_rs = read("src-tauri/src/commands/imports.rs");
    let start = main_rs.find("async fn import_paths(").unwrap();
    let command = &main_rs[start..start + main_rs[start..].find("\n}").unwrap()];
    assert!(
        command.contains("desk.import_paths_with(&files,"),
        "{command}"
    );
}

#[test]
fn no_script_of_the_window_is_longer_than_300_lines() {
    // One module per feature: the translation tables are data, not code.
    for (file, js) in ui_js() {
        let lines = js.lines().count();
        let table = file.contains("/i18n/");
        assert!(table || lines <= 300, "{file} has {lines} lines");
    }
}

#[test]
fn no_script_of_the_window_reads_meaning_out_of_english_text() {
    // The backend sends codes (a variant, a status, an error code); the window never parses the
    // English names or sentences a file or the desk carries.
    for (name, text) in ui_js() {
        if name.contains("i18n") {
            continue;
        }
        for english in ["OfficeMaster Suite", "users)", "FailoverSuite XFM"] {
            assert!(
                !text.contains(english),
                "{name} reads English text ({english})"
            );
        }
    }
}

#[test]
fn every_reason_an_action_is_unavailable_and_every_store_failure_is_said_in_both_languages() {
    // The desk's reasons (`Unavailable`, tagged by `code`): each has its sentence, with the same
    // values, in English and German; `refused` carries the action's own error, said by its code.
    let reasons = enum_variants(&read("crates/desk/src/action_view.rs"), "Unavailable");
    assert!(reasons.len() >= 8, "parsed {reasons:?}");
    assert!(reasons.contains(&"refused".to_string()), "{reasons:?}");
    let (en, de) = (catalogue("en"), catalogue("de"));
    for reason in reasons.iter().filter(|r| *r != "refused") {
        let key = format!("action.unavailable.{reason}");
        let english = en
            .get(&key)
            .unwrap_or_else(|| panic!("{key} missing in en"));
        let german = de
            .get(&key)
            .unwrap_or_else(|| panic!("{key} missing in de"));
        assert_eq!(placeholders(english), placeholders(german), "{key}");
    }
    assert!(
        ui_file("detail/action-view.js").contains("t(`action.unavailable.${reason.code}`, params)")
    );
    // A store that cannot be opened: a title and what to do for each reason the window tells
    // apart, and for any other.
    let store_error = ui_file("store-error.js");
    let start = store_error.find("const KNOWN = [").unwrap();
    let list = &store_error[start..store_error[start..].find(']').unwrap() + start];
    let known: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
    assert!(known.len() >= 5, "{known:?}");
    for reason in known.iter().copied().chain(["other"]) {
        for part in ["title", "todo"] {
            let key = format!("store.error.{reason}.{part}");
            assert!(en.contains_key(&key) && de.contains_key(&key), "{key}");
        }
    }
}

#[test]
fn what_an_import_did_and_its_result_are_said_in_both_languages() {
    // The import's summary names each effect and each result class the desk counts by.
    let summary = read("crates/desk/src/import_summary.rs");
    let views = read("crates/desk/src/views.rs");
    let effects = enum_variants(&summary, "ImportEffect");
    let results = enum_variants(&views, "ImportResult");
    assert_eq!(effects.len(), 7, "{effects:?}");
    assert_eq!(results, ["accepted", "unchanged", "refused"]);
    for lang in ["en", "de"] {
        let keys = keys_of(lang);
        for key in effects
            .iter()
            .map(|e| format!("bulk.effect.{e}"))
            .chain(results.iter().map(|r| format!("bulk.result.{r}")))
            .chain(results.iter().map(|r| format!("bulk.{r}")))
        {
            assert!(keys.contains(&key), "{key} missing in {lang}");
        }
    }
}

#[test]
fn every_rule_of_sync_and_every_count_of_its_report_are_said_in_both_languages() {
    // The rules a conflict names (`SyncConflict.rule`), as sync's source documents and uses
    // them; the report's counts, one per count of a direction (`SyncDirection`); the sides.
    let sync = read("crates/desk/src/sync.rs");
    let doc = sync
        .lines()
        .find(|l| l.contains("Which rule decided:"))
        .expect("SyncConflict.rule's doc");
    let rules: Vec<&str> = doc.split('`').skip(1).step_by(2).collect();
    assert_eq!(rules.len(), 3, "{rules:?}");
    for rule in &rules {
        assert!(sync.contains(&format!("\"{rule}\"")), "{rule} is not used");
    }
    let start = sync.find("pub struct SyncDirection {").unwrap();
    let body = &sync[start..start + sync[start..].find("\n}").unwrap()];
    let counts: Vec<&str> = body
        .lines()
        .skip(1)
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .filter_map(|l| l.split(':').next())
        .filter(|name| *name != "refused")
        .collect();
    assert_eq!(counts.len(), 5, "{counts:?}");
    assert!(ui_file("store/report.js").contains(&format!(
        "const ROWS = [{}];",
        counts
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )));
    for lang in ["en", "de"] {
        let keys = keys_of(lang);
        for key in rules
            .iter()
            .map(|r| format!("sync.rule.{r}"))
            .chain(counts.iter().map(|c| format!("sync.row.{c}")))
            .chain(["this", "other"].iter().flat_map(|side| {
                [
                    format!("sync.conflict.{side}"),
                    format!("sync.refused.{side}"),
                ]
            }))
        {
            assert!(keys.contains(&key), "{key} missing in {lang}");
        }
    }
}
