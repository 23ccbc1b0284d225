//! Accounts and groups: security identifiers (SIDs), their names and string forms.

use std::io;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{CloseHandle, ERROR_INSUFFICIENT_BUFFER, HANDLE};
use windows_sys::Win32::Security::{
    CreateWellKnownSid, GetLengthSid, GetTokenInformation, LookupAccountNameW, LookupAccountSidW,
    TokenUser, WinAuthenticatedUserSid, WinBuiltinAdministratorsSid, WinBuiltinUsersSid,
    WinLocalSystemSid, WinWorldSid, PSID, SID_NAME_USE, TOKEN_QUERY, TOKEN_USER,
    WELL_KNOWN_SID_TYPE,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use crate::wide::{from_wide, to_wide};

/// An account or group: a security identifier (SID), copied out of Windows' memory.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Sid {
    /// The SID's bytes in u32 units (a SID is 4-byte aligned); `len` bytes of it are the SID.
    words: Vec<u32>,
    pub(crate) len: usize,
}

/// Well-known accounts and groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WellKnown {
    /// Everyone (S-1-1-0).
    Everyone,
    /// BUILTIN\Users (S-1-5-32-545).
    Users,
    /// Authenticated Users (S-1-5-11).
    AuthenticatedUsers,
    /// NT AUTHORITY\SYSTEM (S-1-5-18).
    System,
    /// BUILTIN\Administrators (S-1-5-32-544).
    Administrators,
}

impl WellKnown {
    fn kind(self) -> WELL_KNOWN_SID_TYPE {
        match self {
            WellKnown::Everyone => WinWorldSid,
            WellKnown::Users => WinBuiltinUsersSid,
            WellKnown::AuthenticatedUsers => WinAuthenticatedUserSid,
            WellKnown::System => WinLocalSystemSid,
            WellKnown::Administrators => WinBuiltinAdministratorsSid,
        }
    }
}

impl std::fmt::Debug for Sid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sid({self})")
    }
}

/// The SID in its string form, `S-1-5-21-…`.
impl std::fmt::Display for Sid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = self.bytes();
        if b.len() < 8 {
            return write!(f, "S-?");
        }
        let authority = b[2..8].iter().fold(0u64, |a, &x| (a << 8) | u64::from(x));
        write!(f, "S-{}-{authority}", b[0])?;
        for sub in b[8..].chunks_exact(4).take(usize::from(b[1])) {
            write!(
                f,
                "-{}",
                u32::from_le_bytes([sub[0], sub[1], sub[2], sub[3]])
            )?;
        }
        Ok(())
    }
}

impl Sid {
    fn bytes(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        out.truncate(self.len);
        out
    }

    pub(crate) fn as_psid(&self) -> PSID {
        self.words.as_ptr().cast_mut().cast()
    }

    /// Copies the SID at `p`.
    ///
    /// # Safety
    /// `p` points to a valid SID that stays valid during the call.
    pub(crate) unsafe fn from_psid(p: PSID) -> Sid {
        // SAFETY: `p` is a valid SID (the caller's guarantee).
        let len = unsafe { GetLengthSid(p) } as usize;
        // SAFETY: a valid SID is `len` readable bytes.
        let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
        Sid::from_bytes(bytes)
    }

    /// The first `len` bytes of `words`.
    fn from_words(words: &[u32], len: usize) -> Sid {
        let len = len.min(words.len() * 4);
        Sid {
            words: words[..len.div_ceil(4)].to_vec(),
            len,
        }
    }

    fn from_bytes(bytes: &[u8]) -> Sid {
        let words = bytes
            .chunks(4)
            .map(|c| {
                let mut w = [0u8; 4];
                w[..c.len()].copy_from_slice(c);
                u32::from_ne_bytes(w)
            })
            .collect();
        Sid {
            words,
            len: bytes.len(),
        }
    }

    /// A well-known account or group.
    pub fn well_known(which: WellKnown) -> io::Result<Sid> {
        // SECURITY_MAX_SID_SIZE is 68 bytes.
        let mut buf = [0u32; 17];
        let mut size = 68u32;
        // SAFETY: `buf` is writable for `size` bytes and 4-byte aligned; no domain SID is needed
        // for these kinds (null).
        let ok = unsafe {
            CreateWellKnownSid(which.kind(), null_mut(), buf.as_mut_ptr().cast(), &mut size)
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Sid::from_words(&buf, size as usize))
    }

    /// The account this process runs as (the user of its access token).
    pub fn current_user() -> io::Result<Sid> {
        let mut token: HANDLE = null_mut();
        // SAFETY: GetCurrentProcess returns a pseudo handle (no closing needed).
        let process = unsafe { GetCurrentProcess() };
        // SAFETY: `token` is a valid out pointer.
        let ok = unsafe { OpenProcessToken(process, TOKEN_QUERY, &mut token) };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        let token = OwnedHandle(token);
        // TOKEN_USER and the SID after it; u64 units for the structure's alignment.
        let mut buf = [0u64; 64];
        let mut needed = 0u32;
        // SAFETY: `buf` is writable for the size given and aligned for TOKEN_USER.
        let ok = unsafe {
            GetTokenInformation(
                token.0,
                TokenUser,
                buf.as_mut_ptr().cast(),
                (buf.len() * 8) as u32,
                &mut needed,
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: Windows wrote a TOKEN_USER at the start of `buf`.
        let user = unsafe { &*buf.as_ptr().cast::<TOKEN_USER>() };
        // SAFETY: its SID pointer points into `buf`, which is alive.
        Ok(unsafe { Sid::from_psid(user.User.Sid) })
    }

    /// The account or group named `name` (`DOMAIN\name`, `name`, or a well-known name).
    pub fn lookup(name: &str) -> io::Result<Sid> {
        let wide = to_wide(name);
        let mut sid = [0u32; 17];
        let mut sid_size = 68u32;
        let mut domain = vec![0u16; 256];
        let mut domain_len = domain.len() as u32;
        let mut kind: SID_NAME_USE = 0;
        // SAFETY: all buffers are writable for the sizes given and outlive the call.
        let ok = unsafe {
            LookupAccountNameW(
                null(),
                wide.as_ptr(),
                sid.as_mut_ptr().cast(),
                &mut sid_size,
                domain.as_mut_ptr(),
                &mut domain_len,
                &mut kind,
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Sid::from_words(&sid, sid_size as usize))
    }

    /// The account's name, `DOMAIN\name` (or `name` alone when it has no domain); the SID's
    /// string form when Windows cannot name it.
    pub fn account_name(&self) -> String {
        let mut name = vec![0u16; 256];
        let mut domain = vec![0u16; 256];
        for _ in 0..2 {
            let mut name_len = name.len() as u32;
            let mut domain_len = domain.len() as u32;
            let mut kind: SID_NAME_USE = 0;
            // SAFETY: the SID is valid; the buffers are writable for the sizes given.
            let ok = unsafe {
                LookupAccountSidW(
                    null(),
                    self.as_psid(),
                    name.as_mut_ptr(),
                    &mut name_len,
                    domain.as_mut_ptr(),
                    &mut domain_len,
                    &mut kind,
                )
            };
            if ok != 0 {
                let name = from_wide(&name).to_string_lossy().into_owned();
                let domain = from_wide(&domain).to_string_lossy().into_owned();
                return if domain.is_empty() {
                    name
                } else {
                    format!("{domain}\\{name}")
                };
            }
            if io::Error::last_os_error().raw_os_error() != Some(ERROR_INSUFFICIENT_BUFFER as i32) {
                break;
            }
            name.resize(name_len.max(256) as usize + 1, 0);
            domain.resize(domain_len.max(256) as usize + 1, 0);
        }
        self.to_string()
    }
}

struct OwnedHandle(HANDLE);

impl Drop for OwnedHandle {
    fn drop(&mut self) {
        // SAFETY: the handle was opened for this guard and is closed only here, once.
        unsafe { CloseHandle(self.0) };
    }
}
