//! Whether another process is still running.

use windows_sys::Win32::Foundation::{
    CloseHandle, GetLastError, ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER, HANDLE, STILL_ACTIVE,
};
use windows_sys::Win32::System::Threading::{
    GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
};

struct Handle(HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle was opened by OpenProcess and is closed only here, once.
        unsafe { CloseHandle(self.0) };
    }
}

/// Whether the process `pid` is running: `Some(false)` when there is no such process or it has
/// ended, `Some(true)` when it runs (or exists but this user may not look at it), None when
/// Windows does not say.
pub fn is_running(pid: u32) -> Option<bool> {
    // SAFETY: OpenProcess takes plain values and returns a handle or null.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if handle.is_null() {
        // SAFETY: reads this thread's last error, set by the failed OpenProcess.
        let error = unsafe { GetLastError() };
        return match error {
            ERROR_INVALID_PARAMETER => Some(false),
            ERROR_ACCESS_DENIED => Some(true),
            _ => None,
        };
    }
    let handle = Handle(handle);
    let mut code = 0u32;
    // SAFETY: `handle` is open with the query right; `code` is a valid out pointer.
    let ok = unsafe { GetExitCodeProcess(handle.0, &mut code) };
    if ok == 0 {
        return None;
    }
    // A process that ended with exit code 259 looks alive: it is left alone, the safe side.
    Some(code == STILL_ACTIVE as u32)
}
