//! Text that people read: what a name, a label or a reason may hold, and how any text — trusted
//! or not — is shown on a terminal.
//!
//! # What a name, label or reason may hold ([`check_text`])
//! Customer, extension and vendor names, a machine's host-name label and the reasons kept in the
//! audit log are signed into files, stored, and printed. They may be written in any script
//! (Latin with umlauts, Arabic, Hebrew, CJK, …), but they may not hold characters that are not
//! seen yet change what is seen:
//! - **control characters** (Unicode category Cc: C0, DEL and C1, tab and line ends included):
//!   a terminal runs escape sequences such as `ESC [ 2 J` (clear the screen) or `ESC ] 0 ; …
//!   BEL` (set the window title);
//! - **bidirectional controls** (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): they
//!   reorder how the text around them is displayed, so what is read is not what is stored;
//! - **every other format character** (category Cf: zero-width space, joiner and non-joiner
//!   U+200B–U+200D, word joiner and invisible operators U+2060–U+2064, U+FEFF, the soft hyphen,
//!   the tag characters U+E0000–U+E007F, …) and the **line and paragraph separators** U+2028
//!   and U+2029: invisible, they make two different names look the same or break lines. The
//!   zero-width joiners are refused too, although some scripts use them between letters: a name
//!   reads the same without them, and a license name that looks like another is worse than one
//!   rendered with slightly different ligatures;
//! - and it must not be blank, nor longer than the caller's bound.
//!
//! # How text is shown ([`escape_for_terminal`])
//! Whatever reaches a terminal goes through [`escape_for_terminal`] first (the shells do it
//! where they print): every character [`check_text`] refuses for being hidden is rendered
//! visibly — `\x1b` for C0 controls and DEL, `\u{202e}` for the others — so text stored by an
//! older version, or copied from a file that was refused, can never drive the terminal.
//! Backslashes are left as they are, so escaping twice changes nothing.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Why a text is not acceptable as a name, label or reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Empty or only white space.
    Blank,
    /// More characters than allowed.
    TooLong { max_chars: usize },
    /// A control character (Unicode Cc).
    Control(char),
    /// A bidirectional control: it reorders how the text is displayed.
    Bidi(char),
    /// Another invisible format character (Unicode Cf) or a line/paragraph separator.
    Invisible(char),
}

impl TextProblem {
    /// A sentence naming `what` (e.g. "customer name"): what is wrong and what to do.
    pub fn describe(&self, what: &str) -> String {
        match *self {
            TextProblem::Blank => format!("the {what} is empty"),
            TextProblem::TooLong { max_chars } => {
                format!("the {what} is longer than {max_chars} characters")
            }
            TextProblem::Control(c) => format!(
                "the {what} contains control characters ({}): remove them; terminal escape sequences, tabs and line breaks are not allowed",
                code_point(c)
            ),
            TextProblem::Bidi(c) => format!(
                "the {what} contains an invisible bidirectional control ({}), which makes text display in another order than it is stored: remove it",
                code_point(c)
            ),
            TextProblem::Invisible(c) => format!(
                "the {what} contains an invisible formatting character ({}): remove it",
                code_point(c)
            ),
        }
    }
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// The bidirectional controls: ALM, LRM, RLM, the embeddings and overrides (LRE, RLE, PDF, LRO,
/// RLO) and the isolates (LRI, RLI, FSI, PDI).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// The format characters (Unicode category Cf) other than the bidirectional controls, plus the
/// line and paragraph separators (Zl, Zp): characters that are not seen but change the text.
pub fn is_invisible_format(c: char) -> bool {
    !is_bidi_control(c)
        && matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2028}'..='\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206A}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

/// Whether `c` is one of the characters a name may not hold and a terminal is never sent raw:
/// a control, a bidirectional control or another invisible format character.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

/// Decides whether `text` is acceptable as a name, a label or a reason (module documentation):
/// not blank, at most `max_chars` characters, no control, bidirectional or other invisible
/// format character. Letters of every script are fine.
pub fn check_text(text: &str, max_chars: usize) -> Result<(), TextProblem> {
    if text.trim().is_empty() {
        return Err(TextProblem::Blank);
    }
    if text.chars().count() > max_chars {
        return Err(TextProblem::TooLong { max_chars });
    }
    match text.chars().find(|&c| is_hidden(c)) {
        None => Ok(()),
        Some(c) if c.is_control() => Err(TextProblem::Control(c)),
        Some(c) if is_bidi_control(c) => Err(TextProblem::Bidi(c)),
        Some(c) => Err(TextProblem::Invisible(c)),
    }
}

fn push_escaped(out: &mut String, c: char) {
    if (c as u32) < 0x80 {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    }
}

/// `text` with every hidden character ([`is_hidden`]: controls — line ends included —,
/// bidirectional controls, invisible format characters) rendered visibly: `\x1b`, `\x0a`,
/// `\u{202e}`. Everything else, backslashes included, stays as it is.
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Output made of lines, escaped line by line with [`escape_for_terminal`]: the line ends
/// (`\n`) that separate the lines stay, anything else hidden — a carriage return too — is
/// rendered visibly. For the shells' printing.
pub fn escape_lines_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_hidden(c)) {
        return Cow::Borrowed(text);
    }
    let escaped: Vec<Cow<'_, str>> = text.split('\n').map(escape_for_terminal).collect();
    Cow::Owned(escaped.join("\n"))
}

/// A value copied from an untrusted place (a file, an old store) into a message: at most
/// `max_chars` characters of it (then `…`), escaped with [`escape_for_terminal`].
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max_chars).collect();
    let mut out = escape_for_terminal(&head).into_owned();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// JSON text with every hidden character that a JSON writer leaves raw — DEL, C1 controls,
/// bidirectional controls, invisible format characters — written as a `\uXXXX` escape (a
/// surrogate pair above U+FFFF). The value stays the same; the text becomes safe for a terminal.
/// Such characters can only stand inside JSON strings, where `\uXXXX` means the same character;
/// C0 controls are left alone: inside strings a JSON writer has escaped them already, outside
/// they are the line ends of pretty-printed JSON.
pub fn escape_json_text(json: &str) -> Cow<'_, str> {
    let raw = |c: char| c as u32 >= 0x7f && is_hidden(c);
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_every_script_are_acceptable() {
        for name in [
            "Müller & Söhne GmbH",
            "Groß- und Außenhandel Ärzte eG",
            "شركة المستقبل للتجارة",
            "חברת הדוגמה בע\"מ",
            "株式会社サンプル",
            "北京示例科技有限公司",
            "Ελληνική Εταιρεία Α.Ε.",
            "Café \\ Backslash <b>",
            "main-1",
        ] {
            assert_eq!(check_text(name, 200), Ok(()), "{name}");
            assert_eq!(escape_for_terminal(name), name, "{name}");
            assert!(matches!(escape_for_terminal(name), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn hidden_characters_are_refused_with_their_code_point() {
        let cases: &[(&str, TextProblem)] = &[
            ("\u{1b}]0;pwned\u{7}Acme", TextProblem::Control('\u{1b}')),
            ("Acme\u{1b}[2J", TextProblem::Control('\u{1b}')),
            ("Acme\u{1b}[31mRed", TextProblem::Control('\u{1b}')),
            ("Acme\u{7}", TextProblem::Control('\u{7}')),
            ("Acme\0", TextProblem::Control('\0')),
            ("Acme\rEvil", TextProblem::Control('\r')),
            ("Acme\nEvil", TextProblem::Control('\n')),
            ("Acme\tTab", TextProblem::Control('\t')),
            ("Acme\u{7f}", TextProblem::Control('\u{7f}')),
            ("Acme\u{9b}31m", TextProblem::Control('\u{9b}')),
            ("Acme \u{202E}gpj.exe", TextProblem::Bidi('\u{202E}')),
            ("\u{2066}Acme\u{2069}", TextProblem::Bidi('\u{2066}')),
            ("Acme\u{200F}", TextProblem::Bidi('\u{200F}')),
            ("Acme\u{61C}", TextProblem::Bidi('\u{61C}')),
            ("Ac\u{200B}me", TextProblem::Invisible('\u{200B}')),
            ("Ac\u{200D}me", TextProblem::Invisible('\u{200D}')),
            ("\u{FEFF}Acme", TextProblem::Invisible('\u{FEFF}')),
            ("Acme\u{2028}Evil", TextProblem::Invisible('\u{2028}')),
            ("Acme\u{2029}", TextProblem::Invisible('\u{2029}')),
            ("Ac\u{AD}me", TextProblem::Invisible('\u{AD}')),
            ("Acme\u{E0041}", TextProblem::Invisible('\u{E0041}')),
        ];
        for (text, want) in cases {
            assert_eq!(check_text(text, 200), Err(*want), "{text:?}");
        }
        let sentence = check_text("A\u{202E}B", 200)
            .unwrap_err()
            .describe("customer name");
        assert!(
            sentence.contains("customer name") && sentence.contains("U+202E"),
            "{sentence}"
        );
        assert!(!sentence.contains('\u{202E}'), "{sentence}");
    }

    #[test]
    fn blank_and_long_texts_are_refused() {
        assert_eq!(check_text("", 10), Err(TextProblem::Blank));
        assert_eq!(check_text("   ", 10), Err(TextProblem::Blank));
        assert_eq!(
            check_text("ÄÄÄÄÄÄÄÄÄÄÄ", 10),
            Err(TextProblem::TooLong { max_chars: 10 })
        );
        assert_eq!(
            check_text("ÄÄÄÄÄÄÄÄÄÄ", 10),
            Ok(()),
            "counted in characters"
        );
    }

    #[test]
    fn the_escaper_renders_every_hidden_character_visibly() {
        for (raw, shown) in [
            ("\u{1b}[2J", "\\x1b[2J"),
            ("\u{1b}]0;pwned\u{7}", "\\x1b]0;pwned\\x07"),
            ("\u{1b}[31mRed\u{1b}[0m", "\\x1b[31mRed\\x1b[0m"),
            ("a\0b", "a\\x00b"),
            ("line\r\nnext", "line\\x0d\\x0anext"),
            ("del\u{7f}", "del\\x7f"),
            ("csi\u{9b}2J", "csi\\u{9b}2J"),
            ("abc\u{202E}fed", "abc\\u{202e}fed"),
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
            ("zero\u{200B}width\u{200D}", "zero\\u{200b}width\\u{200d}"),
            ("\u{FEFF}bom", "\\u{feff}bom"),
            ("tag\u{E0041}", "tag\\u{e0041}"),
            ("Müller \u{1b}[1mشركة", "Müller \\x1b[1mشركة"),
        ] {
            let once = escape_for_terminal(raw);
            assert_eq!(once, shown, "{raw:?}");
            assert!(!once.chars().any(is_hidden), "{once}");
            assert_eq!(
                escape_for_terminal(&once),
                once,
                "escaping twice changes nothing"
            );
        }
    }

    #[test]
    fn output_lines_keep_their_line_ends_only() {
        assert_eq!(
            escape_lines_for_terminal("one \u{1b}[2J\ntwo\r\n"),
            "one \\x1b[2J\ntwo\\x0d\n"
        );
        assert!(matches!(
            escape_lines_for_terminal("plain\nlines\n"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn an_excerpt_is_short_and_escaped() {
        assert_eq!(excerpt("short", 40), "short");
        let long = "X".repeat(100);
        assert_eq!(excerpt(&long, 40), format!("{}…", "X".repeat(40)));
        assert_eq!(excerpt("\u{1b}[31mX", 40), "\\x1b[31mX");
        assert_eq!(excerpt("ääää", 2), "ää…", "cut at characters, not bytes");
    }

    #[test]
    fn json_text_keeps_its_value_and_loses_its_hidden_characters() {
        let value = serde_json::json!({
            "customer": "Acme \u{202E}gpj \u{1b}[2J \u{9b} \u{200B} \u{E0041} Müller"
        });
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        let safe = escape_json_text(&text);
        assert!(!safe.chars().any(|c| c != '\n' && is_hidden(c)), "{safe}");
        assert!(
            safe.contains("\\u202e") && safe.contains("Müller"),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, value);
    }
}
