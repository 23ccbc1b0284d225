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

/// The parts of one language's table kept apart by concept (`ui/js/i18n/<part>/<lang>.js`),
/// which the window joins to the main one (i18n.js).
const TABLE_PARTS: [&str; 1] = ["teams"];

/// The texts of one language (`ui/js/i18n/<lang>.js`: `export const <lang> = { "key": "text", … };`),
/// by key. Every line of the table must be one `"key": "text",` entry (a JSON string), so no
/// text is skipped unseen; a key given twice fails too.
pub fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let mut texts = table(&table_file(lang), lang);
    for part in TABLE_PARTS {
        for (key, text) in table(&format!("ui/js/i18n/{part}/{lang}.js"), lang) {
            assert!(
                texts.insert(key.clone(), text).is_none(),
                "{key} is given in the main table and in its {part} part"
            );
        }
    }
    texts
}

/// The texts of one file of a language's table (`file` relative to the repository).
fn table(file: &str, lang: &str) -> BTreeMap<String, String> {
    let path = js_dir().join("..").join("..").join(file);
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

/// `source` with its string literals emptied (`"…"` becomes `""`) and its `//` comments removed,
/// so that braces and colons in messages and docs are not read as code.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(s) = chars.next() {
                    match s {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        '\n' => out.push('\n'),
                        _ => {}
                    }
                }
                out.push('"');
            }
            '/' if chars.peek() == Some(&'/') => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `CamelCase` in snake_case, as serde's `rename_all = "snake_case"` writes a variant.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The names of the fields in `a: A, b: B` (a struct variant written on one line).
fn inline_fields(fields: &str) -> Vec<String> {
    fields
        .split(',')
        .filter_map(|f| f.split_once(':'))
        .map(|(f, _)| f.trim().trim_start_matches("pub ").to_string())
        .collect()
}

/// The variants of `pub enum NAME { … }` in a Rust `source`, each in snake_case with the names of
/// the fields it serialises (a struct variant's fields, but those marked `#[serde(skip)]`; none
/// for a unit variant), in the order of the source.
pub fn enum_fields(source: &str, name: &str) -> Vec<(String, Vec<String>)> {
    let code = code_only(source);
    let open = format!("pub enum {name} {{");
    let start = code
        .find(&open)
        .unwrap_or_else(|| panic!("no `{open}` in the source"))
        + open.len();
    let mut variants: Vec<(String, Vec<String>)> = Vec::new();
    let mut depth = 0usize;
    let mut skip_next_field = false;
    for line in code[start..].lines() {
        let l = line.trim();
        if depth == 0 && l.starts_with('}') {
            return variants;
        }
        if l.starts_with("#[") {
            if depth == 1 && l.replace(' ', "").contains("serde(skip)") {
                skip_next_field = true;
            }
        } else if depth == 0 && l.starts_with(|c: char| c.is_ascii_uppercase()) {
            let ident: String = l
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let inline = l
                .split_once('{')
                .and_then(|(_, rest)| rest.split_once('}'))
                .map(|(fields, _)| inline_fields(fields))
                .unwrap_or_default();
            variants.push((snake(&ident), inline));
        } else if depth == 1 {
            let l = l.trim_start_matches("pub ");
            let field: String = l
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if !field.is_empty() && l[field.len()..].trim_start().starts_with(':') {
                if !skip_next_field {
                    if let Some((_, fields)) = variants.last_mut() {
                        fields.push(field);
                    }
                }
                skip_next_field = false;
            }
        }
        // A variant's braces (strings are empty here, so no brace of a message counts).
        depth += l.matches('{').count();
        depth = depth.saturating_sub(l.matches('}').count());
    }
    panic!("`{open}` does not end");
}
