//! The texts on screen: the catalogue of both languages, English left in German, and controls
//! without an accessible name.

use licdesk_tests::app::App;

use super::*;

/// The English and German texts of the window (ui/js/i18n/en.js and de.js), by key.
pub fn catalogue() -> (
    std::collections::BTreeMap<String, String>,
    std::collections::BTreeMap<String, String>,
) {
    (
        licdesk_tests::ui::catalogue("en"),
        licdesk_tests::ui::catalogue("de"),
    )
}

/// Every English text of the catalogue that German says differently, as its literal parts
/// around the `{placeholders}`, and whether it must fill a whole text (a text of one word, which
/// could otherwise be found inside names) or may be found inside one. Texts equal in both
/// languages (names such as "License Desk", "FailoverSuite", "DEMO") and texts without words
/// are left out.
pub fn english_only_texts() -> Vec<serde_json::Value> {
    let (en, de) = catalogue();
    assert!(en.len() > 150 && en.len() == de.len(), "{}", en.len());
    let mut out = Vec::new();
    for (key, text) in &en {
        if de.get(key) == Some(text) {
            continue;
        }
        let mut parts = Vec::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| open + c).unwrap();
            parts.push(rest[..open].to_string());
            rest = &rest[close + 1..];
        }
        parts.push(rest.to_string());
        let words = parts
            .iter()
            .flat_map(|p| p.split(|c: char| !c.is_alphabetic()))
            .filter(|w| w.len() > 1)
            .count();
        if words == 0 {
            continue;
        }
        out.push(serde_json::json!([key, parts, words < 2]));
    }
    out
}

/// The visible texts (text nodes and the names, placeholders and titles of visible elements)
/// that are, or contain, an English text of the catalogue — `[text, key]` pairs — or that read
/// as an English sentence of their own, such as one the backend wrote (two or more English
/// function words that German does not have: `[text, "an English sentence"]`). Inside an
/// element marked `lang="en"` (the EN button, a backend detail behind its disclosure) English
/// is meant. Also returns how many texts were looked at.
pub const ENGLISH_LEFT: &str = "const templates = arguments[0].map(([key, parts, whole]) => {
    const body = parts.map((p) => p.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')).join('[\\\\s\\\\S]*?');
    return [key, new RegExp(whole ? '^' + body + '$' : body)];
  });
  const texts = [];
  const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text || !node.parentElement || node.parentElement.closest('script, body [lang=en]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const shown = node.parentElement.tagName === 'OPTION' ? visible(node.parentElement.closest('select')) : range.getClientRects().length > 0;
    if (shown) texts.push(text);
  }
  for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (!visible(el) || el.closest('body [lang=en]')) continue;
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const v = (el.getAttribute(name) || '').trim();
      if (v) texts.push(v);
    }
  }
  const english = new Set(['the', 'is', 'are', 'not', 'this', 'that', 'with', 'and', 'of', 'to', 'be', 'it', 'its', 'has', 'have', 'from', 'cannot', 'been', 'which', 'for']);
  const found = [];
  for (const text of texts) {
    for (const [key, re] of templates) if (re.test(text)) found.push([text, key]);
    const words = new Set(text.toLowerCase().split(/[^a-z]+/).filter((w) => english.has(w)));
    if (words.size >= 2) found.push([text, 'an English sentence']);
  }
  return [texts.length, found];";

/// The English texts left on screen (see [`ENGLISH_LEFT`]); fails when too few texts were seen
/// for the check to mean anything.
pub fn english_left(app: &App) -> Vec<(String, String)> {
    let v = app
        .s()
        .execute(
            ENGLISH_LEFT,
            vec![serde_json::Value::Array(english_only_texts())],
        )
        .unwrap();
    let seen = v[0].as_u64().unwrap();
    assert!(seen > 20, "only {seen} texts on screen");
    v[1].as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Switches to German and checks that no English text is left on screen; back to English, the
/// same check finds English (so it can fail), and `what` must be among it.
pub fn no_english_in_german(app: &App, what: &str, shot: &str) {
    let english = english_left(app);
    assert!(
        english.len() >= 5,
        "the check finds little English in English ({what}): {english:?}"
    );
    click(app, "#lang-de");
    app.s()
        .wait_for("the German texts", WAIT, |s| {
            Ok(s.text_of("#tab-licenses")?
                .contains("Lizenzen")
                .then_some(()))
        })
        .unwrap();
    let left = english_left(app);
    assert!(
        left.is_empty(),
        "English in the German window ({what}): {left:?}"
    );
    app.shot(shot);
}

/// Controls without an accessible name: from aria-labelledby, aria-label, a label, a title or
/// their own text, as assistive technology computes it (in outline).
pub const UNNAMED: &str = "const root = arguments[0] ? document.querySelector(arguments[0]) : document;
  const text = (n) => (n ? n.textContent.trim() : '');
  const name = (e) => {
    const by = e.getAttribute('aria-labelledby');
    if (by) { const t = by.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ').trim(); if (t) return t; }
    const aria = (e.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    if (e.labels && e.labels.length) { const t = Array.from(e.labels).map(text).join(' ').trim(); if (t) return t; }
    const title = (e.getAttribute('title') || '').trim();
    if (title) return title;
    if (['BUTTON', 'SUMMARY', 'TR', 'A'].includes(e.tagName)) return text(e);
    return '';
  };
  const controls = Array.from(root.querySelectorAll('button, input, select, textarea, meter, progress, summary, a[href], [tabindex]:not([tabindex=\"-1\"])'));
  return [controls.length, controls.filter((e) => !name(e)).map((e) => e.id || e.outerHTML.slice(0, 80))];";

pub fn unnamed_controls(app: &App, within: Option<&str>) -> (u64, serde_json::Value) {
    let v = app
        .s()
        .execute(UNNAMED, vec![serde_json::json!(within)])
        .unwrap();
    (v[0].as_u64().unwrap(), v[1].clone())
}
