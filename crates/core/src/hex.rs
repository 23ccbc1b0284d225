//! Lowercase hexadecimal, the one way bytes are written as text in License Desk: digests,
//! component hashes, key ids, nonces, content identities.

/// `bytes` as lowercase hex, two characters a byte.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// `bytes` as lowercase hex, each byte's two characters separated by `separator`
/// (`52:54:00:12:34:56` for a MAC address).
pub fn encode_separated(bytes: &[u8], separator: char) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(&encode(&[*b]));
    }
    out
}

/// Whether `text` is made of lowercase hex digits only (`0-9`, `a-f`); an empty text is.
pub fn is_lower_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The bytes lowercase hex `text` stands for, or None when it is not an even number of
/// lowercase hex digits.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !is_lower_hex(text) {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => b - b'0',
        _ => b - b'a' + 10,
    };
    Some(
        text.as_bytes()
            .chunks_exact(2)
            .map(|pair| (digit(pair[0]) << 4) | digit(pair[1]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_the_formatter_did() {
        let all: Vec<u8> = (0..=255).collect();
        let by_format: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(encode(&all), by_format);
        assert_eq!(encode(&[]), "");
        assert_eq!(
            encode_separated(&[0x52, 0x54, 0, 0x12, 0x34, 0x56], ':'),
            "52:54:00:12:34:56"
        );
    }

    #[test]
    fn decodes_what_it_encodes_and_nothing_else() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)), Some(all));
        for bad in ["a", "0g", "AB", " 00", "0-"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
        assert!(is_lower_hex("0123456789abcdef"));
        assert!(!is_lower_hex("0123456789ABCDEF"));
    }
}
