//! The order people expect of names in a list: natural ("Kunde 2" before "Kunde 10"), and the
//! same whatever the case and the accents ("Ärzte" beside "Arzte", "Müller" beside "Muller").
//!
//! [`natural_key`] turns a name into a key whose byte order (SQLite's plain `BINARY` collation,
//! so that an ordinary index serves it) is that order. Stored beside the name, it sorts a list of
//! any length with the index alone.

use icu_normalizer::DecomposingNormalizerBorrowed;

/// A run of digits longer than this keeps its remaining digits as plain text (no name needs
/// numbers that long to sort by value).
const MAX_NUMBER_DIGITS: usize = 99;

/// The key that sorts `text` naturally, case- and accent-insensitively.
///
/// - Letters are lower-cased and stripped of their accents (canonical decomposition, the
///   combining marks dropped): "Ä" sorts as "a", "É" as "e". Letters that do not decompose are
///   spelt out as German and Scandinavian readers spell them: "ß" as "ss", "æ" as "ae", "ø" as
///   "o", "œ" as "oe", "ł" as "l", "đ" as "d", "þ" as "th".
/// - Each run of digits sorts by its value: its leading zeros are dropped and it is written
///   after its length in two digits ("7" → "017", "10" → "0210"), so a shorter number sorts
///   first and numbers of one length sort digit by digit. "Kunde 007" and "Kunde 7" get the same
///   key; the license number, the list's second key, then orders them.
/// - Runs of white space count as one space, and leading and trailing space none.
pub fn natural_key(text: &str) -> String {
    let folded = fold(text);
    let mut key = String::with_capacity(folded.len() + 8);
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = String::from(c);
            while let Some(&d) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                digits.push(d);
                chars.next();
            }
            push_number(&mut key, &digits);
        } else {
            key.push(c);
        }
    }
    key
}

/// `digits` (ASCII digits) as its length in two digits, then its digits without leading zeros.
fn push_number(key: &mut String, digits: &str) {
    let value = digits.trim_start_matches('0');
    let value = if value.is_empty() { "0" } else { value };
    let (number, rest) = value.split_at(value.len().min(MAX_NUMBER_DIGITS));
    key.push_str(&format!("{:02}", number.len()));
    key.push_str(number);
    key.push_str(rest);
}

/// Lower case, without accents, spaces collapsed and trimmed.
fn fold(text: &str) -> String {
    if text.is_ascii() {
        // Nothing to decompose (most names, and a bulk import's cost per certificate).
        return fold_chars(text.chars());
    }
    fold_chars(DecomposingNormalizerBorrowed::new_nfd().normalize_iter(text.chars()))
}

/// [`fold`] of the characters `chars`, decomposed already.
fn fold_chars(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in chars {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The combining marks that canonical decomposition separates from their letters.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'   // combining diacritical marks (Latin, Greek, Cyrillic)
        | '\u{1AB0}'..='\u{1AFF}' // extended
        | '\u{1DC0}'..='\u{1DFF}' // supplement
        | '\u{20D0}'..='\u{20FF}' // for symbols
        | '\u{FE20}'..='\u{FE2F}' // half marks
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<&str> = names.to_vec();
        names.sort_by_key(|n| natural_key(n));
        names.into_iter().map(str::to_string).collect()
    }

    #[test]
    fn numbers_sort_by_value_not_by_their_characters() {
        assert_eq!(
            sorted(&["Kunde 10", "Kunde 100", "Kunde 2", "Kunde 1", "Kunde 20"]),
            ["Kunde 1", "Kunde 2", "Kunde 10", "Kunde 20", "Kunde 100"]
        );
        assert_eq!(
            sorted(&["Filiale 9b", "Filiale 10a", "Filiale 9a"]),
            ["Filiale 9a", "Filiale 9b", "Filiale 10a"]
        );
        // Leading zeros do not change a number's place.
        assert_eq!(natural_key("Kunde 007"), natural_key("Kunde 7"));
        assert!(natural_key("Kunde 007") < natural_key("Kunde 8"));
    }

    #[test]
    fn case_and_accents_do_not_change_the_order() {
        assert_eq!(natural_key("Ärzte"), natural_key("arzte"));
        assert_eq!(natural_key("MÜLLER"), natural_key("Muller"));
        assert_eq!(natural_key("Café Zoë"), natural_key("cafe zoe"));
        assert_eq!(natural_key("Straße"), natural_key("STRASSE"));
        assert_eq!(
            sorted(&[
                "Zahnarzt",
                "Ärztehaus",
                "Apotheke",
                "Orthopädie",
                "Öko-Markt"
            ]),
            [
                "Apotheke",
                "Ärztehaus",
                "Öko-Markt",
                "Orthopädie",
                "Zahnarzt"
            ]
        );
    }

    #[test]
    fn letters_without_a_decomposition_are_spelt_out() {
        assert_eq!(natural_key("Ærø"), "aero");
        assert_eq!(natural_key("Łódź"), "lodz");
        assert_eq!(natural_key("Œuvre"), "oeuvre");
        assert_eq!(natural_key("Þór"), "thor");
    }

    #[test]
    fn white_space_counts_once_and_not_at_the_ends() {
        assert_eq!(natural_key("  Müller   Bau "), natural_key("Müller Bau"));
        assert_eq!(natural_key("A\tB"), "a b");
    }

    #[test]
    fn a_number_sorts_before_letters_and_shorter_numbers_first() {
        assert_eq!(natural_key("7"), "017");
        assert_eq!(natural_key("10"), "0210");
        assert_eq!(natural_key("0"), "010");
        assert!(natural_key("3M") < natural_key("ABB"));
        assert!(natural_key("9") < natural_key("10"));
    }

    #[test]
    fn a_very_long_number_keeps_every_digit() {
        let long = "1".repeat(150);
        let key = natural_key(&long);
        assert_eq!(key.len(), 2 + 150);
        assert!(key.starts_with("99"));
    }

    #[test]
    fn other_scripts_keep_their_letters() {
        assert_eq!(natural_key("Ωμέγα"), "ωμεγα");
        assert_eq!(natural_key("東京 2"), "東京 012");
        assert_eq!(natural_key(""), "");
    }
}
