//! Windows' UTF-16 strings, to and from Rust's.

use std::ffi::{OsStr, OsString};
use std::os::windows::ffi::{OsStrExt, OsStringExt};

/// `s` as a NUL-terminated UTF-16 string for a `PCWSTR` parameter.
pub(crate) fn to_wide(s: impl AsRef<OsStr>) -> Vec<u16> {
    s.as_ref().encode_wide().chain(std::iter::once(0)).collect()
}

/// The text of a UTF-16 buffer Windows filled, up to its first NUL.
pub(crate) fn from_wide(buf: &[u16]) -> OsString {
    let end = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    OsString::from_wide(&buf[..end])
}

/// The UTF-16 string Windows gave as a pointer, copied (empty for a null pointer).
///
/// # Safety
/// `p` is null or points to a NUL-terminated UTF-16 string that stays valid during the call.
pub(crate) unsafe fn from_wide_ptr(p: *const u16) -> OsString {
    if p.is_null() {
        return OsString::new();
    }
    let mut len = 0;
    loop {
        // SAFETY: the caller guarantees a NUL-terminated string at `p`; `len` never goes past
        // its NUL, which ends the loop.
        let c = unsafe { *p.wrapping_add(len) };
        if c == 0 {
            break;
        }
        len += 1;
    }
    // SAFETY: the `len` units before the NUL were just read, so they are valid and initialised.
    let units = unsafe { std::slice::from_raw_parts(p, len) };
    OsString::from_wide(units)
}
