//! Reading the registry: an open key, its string and number values, its subkeys.

use std::io;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{
    ERROR_FILE_NOT_FOUND, ERROR_MORE_DATA, ERROR_NO_MORE_ITEMS, ERROR_SUCCESS,
};
use windows_sys::Win32::System::Registry::{
    RegCloseKey, RegEnumKeyExW, RegGetValueW, RegOpenKeyExW, HKEY, HKEY_LOCAL_MACHINE, KEY_READ,
    KEY_WOW64_64KEY, RRF_RT_REG_DWORD, RRF_RT_REG_SZ,
};

use crate::wide::{from_wide, to_wide};

/// An open registry key, closed on drop.
#[derive(Debug)]
pub(crate) struct Key(HKEY);

fn error(code: u32) -> io::Error {
    io::Error::from_raw_os_error(code as i32)
}

impl Key {
    /// Opens `HKEY_LOCAL_MACHINE\path` for reading, in the 64-bit view of the registry (the one
    /// Windows itself uses, whatever this program's bitness). None when it does not exist.
    pub(crate) fn local_machine(path: &str) -> io::Result<Option<Key>> {
        Key::open(HKEY_LOCAL_MACHINE, path)
    }

    fn open(root: HKEY, path: &str) -> io::Result<Option<Key>> {
        let path = to_wide(path);
        let mut key: HKEY = null_mut();
        // SAFETY: `path` is NUL-terminated and outlives the call; `key` is a valid out pointer.
        let rc =
            unsafe { RegOpenKeyExW(root, path.as_ptr(), 0, KEY_READ | KEY_WOW64_64KEY, &mut key) };
        match rc {
            ERROR_SUCCESS => Ok(Some(Key(key))),
            ERROR_FILE_NOT_FOUND => Ok(None),
            _ => Err(error(rc)),
        }
    }

    /// The subkey `name` of this key, when it exists.
    pub(crate) fn subkey(&self, name: &str) -> io::Result<Option<Key>> {
        Key::open(self.0, name)
    }

    /// A string value (REG_SZ); None when the value does not exist.
    pub(crate) fn string(&self, value: &str) -> io::Result<Option<String>> {
        let value = to_wide(value);
        let mut buf: Vec<u16> = vec![0; 64];
        loop {
            let mut bytes = u32::try_from(buf.len() * 2).unwrap_or(u32::MAX);
            // SAFETY: `value` is NUL-terminated; `buf` is writable for `bytes` bytes, and both
            // outlive the call; a null subkey reads the value of this open key.
            let rc = unsafe {
                RegGetValueW(
                    self.0,
                    null(),
                    value.as_ptr(),
                    RRF_RT_REG_SZ,
                    null_mut(),
                    buf.as_mut_ptr().cast(),
                    &mut bytes,
                )
            };
            match rc {
                ERROR_SUCCESS => {
                    let units = (bytes as usize / 2).min(buf.len());
                    return Ok(Some(
                        from_wide(&buf[..units]).to_string_lossy().into_owned(),
                    ));
                }
                ERROR_MORE_DATA => buf.resize(bytes as usize / 2 + 1, 0),
                ERROR_FILE_NOT_FOUND => return Ok(None),
                _ => return Err(error(rc)),
            }
        }
    }

    /// A number value (REG_DWORD); None when the value does not exist.
    pub(crate) fn dword(&self, value: &str) -> io::Result<Option<u32>> {
        let value = to_wide(value);
        let mut data: u32 = 0;
        let mut bytes = 4u32;
        // SAFETY: `value` is NUL-terminated; `data` is writable for the 4 bytes announced.
        let rc = unsafe {
            RegGetValueW(
                self.0,
                null(),
                value.as_ptr(),
                RRF_RT_REG_DWORD,
                null_mut(),
                (&mut data as *mut u32).cast(),
                &mut bytes,
            )
        };
        match rc {
            ERROR_SUCCESS => Ok(Some(data)),
            ERROR_FILE_NOT_FOUND => Ok(None),
            _ => Err(error(rc)),
        }
    }

    /// The names of this key's subkeys.
    pub(crate) fn subkey_names(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for index in 0.. {
            // A key name has at most 255 characters.
            let mut buf = [0u16; 256];
            let mut len = buf.len() as u32;
            // SAFETY: `buf` is writable for `len` UTF-16 units; the other out pointers are null
            // (not asked for), as the function allows.
            let rc = unsafe {
                RegEnumKeyExW(
                    self.0,
                    index,
                    buf.as_mut_ptr(),
                    &mut len,
                    null(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                )
            };
            match rc {
                ERROR_SUCCESS => {
                    let len = (len as usize).min(buf.len());
                    names.push(from_wide(&buf[..len]).to_string_lossy().into_owned());
                }
                ERROR_NO_MORE_ITEMS => break,
                _ => return Err(error(rc)),
            }
        }
        Ok(names)
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        // SAFETY: the key was opened by RegOpenKeyExW and is closed only here, once.
        unsafe { RegCloseKey(self.0) };
    }
}
