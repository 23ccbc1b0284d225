//! Identifiers that people type: license numbers and hardware IDs, each with two check
//! characters, and vendor key ids.
//!
//! Codes use Crockford's base-32 alphabet (no I, L, O, U). Input is forgiving: lower case,
//! spaces, missing dashes and the look-alikes O→0, I/L→1 are accepted. The two check
//! characters are a weighted sum of the code's characters modulo the prime 1021, with weights
//! 1, 2, 3, … — so every single mistyped character and every swap of two characters
//! (adjacent or not) changes the check and is caught.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHECK_MODULUS: u32 = 1021;

/// Why a typed identifier was not accepted. The message says what to do. The input may come
/// from a file: the message shows it cut short and escaped ([`shown`]); the fields keep it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("'{}' is not a {what}: expected {expected}", shown(.input))]
    Shape {
        what: &'static str,
        input: String,
        expected: &'static str,
    },
    #[error("'{}' contains '{}', which is not used in {what}s (allowed: 0-9 and A-Z except I, L, O, U)", shown(.input), shown(&.ch.to_string()))]
    Character {
        what: &'static str,
        input: String,
        ch: char,
    },
    #[error("the check characters of {what} '{}' do not match: a character is mistyped or two are swapped; compare it with the original", shown(.input))]
    Check { what: &'static str, input: String },
}

/// An identifier as a message shows it: at most 64 characters, hidden characters escaped.
fn shown(input: &str) -> String {
    crate::text::excerpt(input, 64)
}

impl IdError {
    /// The same error, naming `typed` as the input.
    fn typed_as(self, typed: &str) -> IdError {
        let input = typed.to_string();
        match self {
            IdError::Shape { what, expected, .. } => IdError::Shape {
                what,
                input,
                expected,
            },
            IdError::Character { what, ch, .. } => IdError::Character { what, input, ch },
            IdError::Check { what, .. } => IdError::Check { what, input },
        }
    }
}

fn symbol_value(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| a as char == c)
        .map(|p| p as u32)
}

fn check_value(prefix: &str, body: &[u32]) -> u32 {
    // The prefix takes part so that a code of one kind never validates as the other.
    let prefix_values = prefix.bytes().map(|b| u32::from(b) % 32);
    prefix_values
        .chain(body.iter().copied())
        .enumerate()
        .map(|(i, v)| (i as u32 + 1) * v)
        .sum::<u32>()
        % CHECK_MODULUS
}

fn check_chars(prefix: &str, body: &[u32]) -> [char; 2] {
    let v = check_value(prefix, body);
    [
        ALPHABET[(v / 32) as usize] as char,
        ALPHABET[(v % 32) as usize] as char,
    ]
}

fn encode(values: &[u32]) -> String {
    values
        .iter()
        .map(|&v| ALPHABET[v as usize] as char)
        .collect()
}

/// Maps bytes onto base-32 symbols (5 bits each), as many as `count`.
pub(crate) fn bytes_to_symbols(bytes: &[u8], count: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(count);
    let mut acc: u64 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u64::from(b);
        bits += 8;
        while bits >= 5 && out.len() < count {
            bits -= 5;
            out.push(((acc >> bits) & 31) as u32);
        }
        if out.len() == count {
            break;
        }
    }
    out
}

/// Parses `input` as `prefix`-less grouped code of `data_len` symbols plus 2 check symbols.
fn parse_code(
    what: &'static str,
    expected: &'static str,
    prefix: &str,
    input: &str,
    data_len: usize,
) -> Result<Vec<u32>, IdError> {
    let mut values = Vec::with_capacity(data_len + 2);
    for c in input.chars().filter(|c| !matches!(c, '-' | ' ' | '\t')) {
        match symbol_value(c) {
            Some(v) => values.push(v),
            None => {
                return Err(IdError::Character {
                    what,
                    input: input.to_string(),
                    ch: c,
                })
            }
        }
    }
    if values.len() != data_len + 2 {
        return Err(IdError::Shape {
            what,
            input: input.to_string(),
            expected,
        });
    }
    let (body, check) = values.split_at(data_len);
    let want = check_value(prefix, body);
    if check[0] * 32 + check[1] != want {
        return Err(IdError::Check {
            what,
            input: input.to_string(),
        });
    }
    values.truncate(data_len);
    Ok(values)
}

fn group(code: &str, size: usize) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(size)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Article number of the OfficeMaster FailoverSuite (data sheet, R2).
pub const FAILOVER_ARTICLE: &str = "XFM.47000";
pub const FAILOVER_NAME: &str = "OfficeMaster FailoverSuite";
pub const SUITE_NAME: &str = "OfficeMaster Suite";

/// Which product a license number belongs to: the prefix of the number says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LicenseProduct {
    /// OfficeMaster Suite base license, `OMS-…`.
    Suite,
    /// OfficeMaster FailoverSuite, article XFM.47000, `XFM-…`.
    FailoverSuite,
}

impl LicenseProduct {
    pub fn prefix(self) -> &'static str {
        match self {
            LicenseProduct::Suite => "OMS",
            LicenseProduct::FailoverSuite => "XFM",
        }
    }
}

/// A license number such as `OMS-7K3D-9PQ2-X4`: product prefix, 8 symbols, 2 check symbols.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LicenseNumber(String);

const LICENSE_DATA_LEN: usize = 8;
const LICENSE_EXPECTED: &str =
    "a license number like OMS-7K3D-9PQ2-X4 or XFM-7K3D-9PQ2-X4 (prefix, 10 characters)";

impl LicenseNumber {
    /// Makes a new number from random bytes (the caller supplies the randomness: no I/O here).
    pub fn from_random(product: LicenseProduct, random: [u8; 5]) -> Self {
        let body = bytes_to_symbols(&random, LICENSE_DATA_LEN);
        Self::from_body(product, &body)
    }

    fn from_body(product: LicenseProduct, body: &[u32]) -> Self {
        let [a, b] = check_chars(product.prefix(), body);
        let code = format!("{}{}{}", encode(body), a, b);
        LicenseNumber(format!("{}-{}", product.prefix(), group(&code, 4)))
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        const WHAT: &str = "license number";
        let trimmed = input.trim();
        let upper = trimmed.to_ascii_uppercase();
        let product = if upper.starts_with("OMS") {
            LicenseProduct::Suite
        } else if upper.starts_with("XFM") {
            LicenseProduct::FailoverSuite
        } else {
            return Err(IdError::Shape {
                what: WHAT,
                input: trimmed.to_string(),
                expected: LICENSE_EXPECTED,
            });
        };
        let body = parse_code(
            WHAT,
            LICENSE_EXPECTED,
            product.prefix(),
            &trimmed[3..],
            LICENSE_DATA_LEN,
        )
        // The message shows the number as typed, its OMS-/XFM- prefix included.
        .map_err(|e| e.typed_as(trimmed))?;
        Ok(Self::from_body(product, &body))
    }

    pub fn product(&self) -> LicenseProduct {
        if self.0.starts_with("XFM") {
            LicenseProduct::FailoverSuite
        } else {
            LicenseProduct::Suite
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A hardware ID as people see it: `ABCD-EFGH-JKMN-PQ12`, 14 symbols of a hash of the machine's
/// hashed components plus 2 check symbols.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HardwareId(String);

const HWID_DATA_LEN: usize = 14;
const HWID_PREFIX: &str = "HW";
const HWID_EXPECTED: &str = "a hardware ID like ABCD-EFGH-JKMN-PQ12 (16 characters)";

impl HardwareId {
    /// Derives the code from a digest (at least 9 bytes).
    pub fn from_digest(digest: &[u8]) -> Self {
        let body = bytes_to_symbols(digest, HWID_DATA_LEN);
        Self::from_body(&body)
    }

    fn from_body(body: &[u32]) -> Self {
        let [a, b] = check_chars(HWID_PREFIX, body);
        HardwareId(group(&format!("{}{}{}", encode(body), a, b), 4))
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        let body = parse_code(
            "hardware ID",
            HWID_EXPECTED,
            HWID_PREFIX,
            input.trim(),
            HWID_DATA_LEN,
        )?;
        Ok(Self::from_body(&body))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Identifies a signing key: `vk-` and the first 8 bytes of SHA-256 of the public key, in hex.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(String);

impl KeyId {
    pub fn of_public_key(key: &ed25519_dalek::VerifyingKey) -> Self {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(key.as_bytes());
        KeyId(format!("vk-{}", crate::hex::encode(&digest[..8])))
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        let ok = s.len() == 19 && s.starts_with("vk-") && crate::hex::is_lower_hex(&s[3..]);
        if ok {
            Ok(KeyId(s.to_string()))
        } else {
            Err(IdError::Shape {
                what: "key id",
                input: s.to_string(),
                expected: "a key id like vk-0123456789abcdef",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_id_impls {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($t), self.0)
            }
        }
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl std::str::FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                <$t>::parse(s)
            }
        }
    };
}
string_id_impls!(LicenseNumber);
string_id_impls!(HardwareId);
string_id_impls!(KeyId);

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_license() -> LicenseNumber {
        LicenseNumber::from_random(LicenseProduct::Suite, [0x12, 0x34, 0x56, 0x78, 0x9a])
    }

    #[test]
    fn a_message_never_echoes_a_hidden_character_raw() {
        for e in [
            KeyId::parse("vk-\u{1b}[2J\u{202E}").unwrap_err(),
            HardwareId::parse("ABCD\u{1b}[31m").unwrap_err(),
            LicenseNumber::parse("OMS-\u{202E}AAA").unwrap_err(),
        ] {
            let m = e.to_string();
            assert!(!m.chars().any(crate::text::is_hidden), "{m:?}");
        }
        let m = KeyId::parse(&format!("vk-{}", "0".repeat(500)))
            .unwrap_err()
            .to_string();
        assert!(m.len() < 200, "{m}");
    }

    #[test]
    fn a_license_number_round_trips_through_its_text() {
        let n = sample_license();
        assert_eq!(LicenseNumber::parse(n.as_str()).unwrap(), n);
        assert_eq!(n.as_str().len(), "OMS-AAAA-BBBB-CC".len());
    }

    #[test]
    fn typing_is_forgiving_about_case_dashes_and_look_alikes() {
        let n = sample_license();
        let sloppy = n.as_str().replace('-', " ").to_lowercase();
        assert_eq!(LicenseNumber::parse(&sloppy).unwrap(), n);
        let h = HardwareId::from_digest(&[0u8; 16]);
        assert_eq!(h.as_str(), "0000-0000-0000-001P");
        assert_eq!(HardwareId::parse("oooo oooo oooo ooip").unwrap(), h);
    }

    #[test]
    fn every_single_mistyped_character_is_caught() {
        for n in [
            sample_license().to_string(),
            HardwareId::from_digest(b"some machine digest").to_string(),
        ] {
            let chars: Vec<char> = n.chars().collect();
            let start = if n.starts_with("OMS") { 4 } else { 0 };
            for i in start..chars.len() {
                if chars[i] == '-' {
                    continue;
                }
                for &sub in ALPHABET.iter() {
                    let sub = sub as char;
                    if sub == chars[i] {
                        continue;
                    }
                    let mut typo = chars.clone();
                    typo[i] = sub;
                    let typo: String = typo.into_iter().collect();
                    let result = if start == 4 {
                        LicenseNumber::parse(&typo).map(|_| ())
                    } else {
                        HardwareId::parse(&typo).map(|_| ())
                    };
                    assert!(
                        matches!(result, Err(IdError::Check { .. })),
                        "{typo} passed"
                    );
                }
            }
        }
    }

    #[test]
    fn every_swap_of_two_different_characters_is_caught() {
        let n = HardwareId::from_digest(b"another machine").to_string();
        let chars: Vec<char> = n.chars().filter(|&c| c != '-').collect();
        for i in 0..chars.len() {
            for j in i + 1..chars.len() {
                if chars[i] == chars[j] {
                    continue;
                }
                let mut swapped = chars.clone();
                swapped.swap(i, j);
                let s: String = swapped.into_iter().collect();
                assert!(HardwareId::parse(&s).is_err(), "{s} passed");
            }
        }
    }

    #[test]
    fn a_failover_number_never_validates_as_a_suite_number() {
        let x = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 2, 3, 4, 5]);
        assert_eq!(x.product(), LicenseProduct::FailoverSuite);
        let as_suite = x.as_str().replacen("XFM", "OMS", 1);
        assert!(LicenseNumber::parse(&as_suite).is_err());
    }

    #[test]
    fn wrong_shapes_say_what_was_expected() {
        let e = LicenseNumber::parse("OMS-123").unwrap_err();
        assert!(e.to_string().contains("expected a license number like"));
        let e = HardwareId::parse("ABCD-EFGH-JKMN-PQU2").unwrap_err();
        assert!(matches!(e, IdError::Character { ch: 'U', .. }));
        assert!(KeyId::parse("vk-0123").is_err());
        assert!(KeyId::parse("vk-0123456789abcdef").is_ok());
    }

    #[test]
    fn a_mistyped_license_number_is_shown_as_typed() {
        let typed = "OMS-AAAA-AAAA-AA";
        for e in [
            LicenseNumber::parse(typed).unwrap_err(),
            LicenseNumber::parse("OMS-AAAA-AAAA-A").unwrap_err(),
            LicenseNumber::parse("XFM-AAUA-AAAA-AA").unwrap_err(),
        ] {
            let text = e.to_string();
            assert!(
                text.contains("'OMS-AAAA-AAAA-A") || text.contains("'XFM-AAUA-AAAA-AA'"),
                "{text}"
            );
        }
        assert!(matches!(
            LicenseNumber::parse(typed).unwrap_err(),
            IdError::Check { input, .. } if input == typed
        ));
    }
}
