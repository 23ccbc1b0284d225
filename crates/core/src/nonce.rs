//! Nonces: what binds a vendor's answer to the one request it answers. A request's nonce is 32
//! random bytes in lowercase hex (64 characters); a release the vendor made by hand, without a
//! request, is named `by-hand-` and 16 random bytes in hex. The random bytes come from the caller.

use crate::value::ValueError;

/// How a release the vendor made by hand names its (missing) request.
pub const BY_HAND_NONCE_PREFIX: &str = "by-hand-";

/// The nonce of a request made from 32 random bytes: 64 lowercase hex characters.
pub fn request_nonce(random: &[u8; 32]) -> String {
    crate::hex::encode(random)
}

/// The nonce of a release made by hand from 16 random bytes: `by-hand-` and 32 hex characters.
pub fn by_hand_nonce(random: &[u8; 16]) -> String {
    format!("{BY_HAND_NONCE_PREFIX}{}", crate::hex::encode(random))
}

/// The shape of every nonce in a signed file: 64 lowercase hex characters (32 random bytes), or
/// for a release the vendor made by hand without a request, `by-hand-` and 32 of them. Checked
/// before a nonce is used or shown anywhere, so that no signed file can smuggle text through it.
pub fn check_nonce(nonce: &str) -> Result<(), ValueError> {
    let hex_of = |t: &str, n: usize| t.len() == n && crate::hex::is_lower_hex(t);
    let by_hand = nonce.strip_prefix(BY_HAND_NONCE_PREFIX);
    if hex_of(nonce, 64) || by_hand.is_some_and(|h| hex_of(h, 32)) {
        Ok(())
    } else {
        Err(ValueError::BadNonce {
            chars: nonce.chars().count(),
        })
    }
}

/// The first 12 characters of a checked nonce, for people.
pub fn short_nonce(nonce: &str) -> String {
    nonce.chars().take(12).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_nonces_pass_the_check_and_others_do_not() {
        assert_eq!(check_nonce(&request_nonce(&[0xab; 32])), Ok(()));
        assert_eq!(check_nonce(&by_hand_nonce(&[7; 16])), Ok(()));
        assert_eq!(request_nonce(&[0xab; 32]), "ab".repeat(32));
        for bad in ["", "AB".repeat(32).as_str(), "by-hand-00", "x\u{1b}[2J"] {
            let e = check_nonce(bad).unwrap_err();
            assert_eq!(e.code(), "bad_nonce");
            assert!(e.to_string().contains("64 lowercase hex"), "{e}");
        }
        assert_eq!(short_nonce(&"ab".repeat(32)), "abababababab");
    }
}
