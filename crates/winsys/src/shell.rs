//! Opening a file in the program Windows associates with its kind (what a double click does).

use std::io;
use std::path::Path;

use windows_sys::Win32::UI::Shell::ShellExecuteW;
use windows_sys::Win32::UI::WindowsAndMessaging::SW_SHOWNORMAL;

use crate::wide::to_wide;

/// Opens `path` with its kind's program (`ShellExecuteW` with the verb "open"). Windows answers
/// a value above 32 when it started the program, else an error code (no program for the kind,
/// no such file, access denied).
pub fn open_with_associated_program(path: &Path) -> io::Result<()> {
    let verb = to_wide("open");
    let file = to_wide(path);
    // SAFETY: both strings are NUL-terminated UTF-16 buffers owned here and alive during the
    // call; the window handle, parameters and directory may be null.
    let answer = unsafe {
        ShellExecuteW(
            std::ptr::null_mut(),
            verb.as_ptr(),
            file.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            SW_SHOWNORMAL,
        )
    } as isize;
    if answer > 32 {
        Ok(())
    } else {
        // The small values are the old error codes; those that name a file or path problem
        // are the same numbers as Win32's.
        Err(io::Error::from_raw_os_error(answer as i32))
    }
}
