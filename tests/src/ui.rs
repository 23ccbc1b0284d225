//! The window's translation tables (`ui/js/i18n/<lang>.js`) as the tests read them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder of the window's scripts.
pub fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/js")
}

/// The file of one language's table, relative to the repository.
pub fn table_file(lang: &str) -> String {
    format!("ui/js/i18n/{lang}.js")
}

/// The texts of one language (`ui/js/i18n/<lang>.js`: `export const <lang> = { "key": "text", … };`),
/// by key. Every line of the table must be one `"key": "text",` entry (a JSON string), so no
/// text is skipped unseen; a key given twice fails too.
pub fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let file = table_file(lang);
    let path = js_dir().join(format!("i18n/{lang}.js"));
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let open = format!("export const {lang} = {{\n");
    let start = source
        .find(&open)
        .unwrap_or_else(|| panic!("{file} does not export `{lang}`"))
        + open.len();
    let end = start
        + source[start..]
            .find("\n};")
            .unwrap_or_else(|| panic!("{file}: the table does not end with `}};`"));
    let mut texts = BTreeMap::new();
    // A line of its own starting with `//` heads a group of keys (one feature's texts).
    for line in source[start..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
    {
        let entry = line
            .trim()
            .strip_prefix('"')
            .and_then(|l| l.split_once("\": "))
            .unwrap_or_else(|| panic!("{file}: not a `\"key\": \"text\",` line: {line}"));
        let (key, value) = entry;
        let value = value.strip_suffix(',').unwrap_or(value);
        let text: String = serde_json::from_str(value)
            .unwrap_or_else(|e| panic!("{file}: the text of {key} is not one string ({e})"));
        assert!(
            texts.insert(key.to_string(), text).is_none(),
            "{file}: {key} is given twice"
        );
    }
    texts
}

/// The `{placeholder}` names of a text.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(name, _)| name.to_string())
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect();
    names.sort();
    names.dedup();
    names
}
