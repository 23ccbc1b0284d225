//! Where Windows keeps programs' data.

use std::io;
use std::path::PathBuf;
use std::ptr::null_mut;

use windows_sys::Win32::System::Com::CoTaskMemFree;
use windows_sys::Win32::UI::Shell::{
    FOLDERID_LocalAppData, FOLDERID_ProgramData, SHGetKnownFolderPath, KF_FLAG_DEFAULT,
};

use crate::wide::from_wide_ptr;

/// Folders Windows keeps for programs' data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownFolder {
    /// This user's local application data (`%LOCALAPPDATA%`, `C:\Users\NAME\AppData\Local`).
    LocalAppData,
    /// Data of programs for all users (`%ProgramData%`, `C:\ProgramData`).
    ProgramData,
}

/// Where Windows keeps a known folder (`SHGetKnownFolderPath`).
pub fn known_folder(which: KnownFolder) -> io::Result<PathBuf> {
    let id = match which {
        KnownFolder::LocalAppData => FOLDERID_LocalAppData,
        KnownFolder::ProgramData => FOLDERID_ProgramData,
    };
    let mut path: *mut u16 = null_mut();
    // SAFETY: `id` is a valid GUID; `path` is a valid out pointer, freed below.
    let hr = unsafe { SHGetKnownFolderPath(&id, KF_FLAG_DEFAULT as u32, null_mut(), &mut path) };
    // SAFETY: on success `path` is a NUL-terminated string Windows allocated (null otherwise).
    let text = (hr >= 0).then(|| unsafe { from_wide_ptr(path) });
    // SAFETY: CoTaskMemFree accepts the pointer SHGetKnownFolderPath gave, null included.
    unsafe { CoTaskMemFree(path.cast_const().cast()) };
    match text {
        Some(text) if !text.is_empty() => Ok(PathBuf::from(text)),
        _ => Err(io::Error::other(format!(
            "Windows does not say where the folder {which:?} is (error {hr:#x})"
        ))),
    }
}
