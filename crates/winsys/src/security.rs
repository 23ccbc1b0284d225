//! Access lists (DACLs) given at creation, and reading a file's access list.

use std::ffi::c_void;
use std::fs::File;
use std::io;
use std::os::windows::io::{FromRawHandle, RawHandle};
use std::path::Path;
use std::ptr::null_mut;

use windows_sys::Win32::Foundation::{
    LocalFree, ERROR_SUCCESS, GENERIC_ALL, GENERIC_READ, GENERIC_WRITE, HANDLE,
    INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Security::Authorization::{
    GetNamedSecurityInfoW, GetSecurityInfo, SE_FILE_OBJECT,
};
use windows_sys::Win32::Security::{
    AclSizeInformation, AddAccessAllowedAceEx, GetAce, GetAclInformation, InitializeAcl,
    InitializeSecurityDescriptor, SetSecurityDescriptorControl, SetSecurityDescriptorDacl,
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, ACL_REVISION, ACL_SIZE_INFORMATION, CONTAINER_INHERIT_ACE,
    DACL_SECURITY_INFORMATION, INHERIT_ONLY_ACE, OBJECT_INHERIT_ACE, OWNER_SECURITY_INFORMATION,
    PSECURITY_DESCRIPTOR, PSID, SECURITY_ATTRIBUTES, SECURITY_DESCRIPTOR, SE_DACL_PROTECTED,
};
use windows_sys::Win32::Storage::FileSystem::{
    CreateDirectoryW, CreateFileW, CREATE_NEW, DELETE, FILE_ALL_ACCESS, FILE_APPEND_DATA,
    FILE_ATTRIBUTE_NORMAL, FILE_GENERIC_EXECUTE, FILE_GENERIC_READ, FILE_GENERIC_WRITE,
    FILE_READ_DATA, FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_WRITE_DATA,
    WRITE_DAC, WRITE_OWNER,
};
use windows_sys::Win32::System::SystemServices::{
    ACCESS_ALLOWED_ACE_TYPE, SECURITY_DESCRIPTOR_REVISION,
};

use crate::sid::{Sid, WellKnown};
use crate::wide::to_wide;

/// Access given to an account in an access list made here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Full control.
    Full,
    /// Read, write, append and delete — Windows' "Modify" — but not change the access list.
    Modify,
    /// Read only.
    Read,
}

impl Access {
    fn mask(self) -> u32 {
        match self {
            Access::Full => FILE_ALL_ACCESS,
            Access::Modify => {
                FILE_GENERIC_READ | FILE_GENERIC_WRITE | FILE_GENERIC_EXECUTE | DELETE
            }
            Access::Read => FILE_GENERIC_READ,
        }
    }
}

/// A security descriptor in absolute form with a protected DACL (inheriting nothing from its
/// folder) of the grants given.
struct Descriptor {
    sd: Box<SECURITY_DESCRIPTOR>,
    /// The ACL the descriptor points to: kept alive (and in place: a Vec's buffer does not
    /// move) as long as the descriptor.
    _acl: Vec<u32>,
}

impl Descriptor {
    fn new(grants: &[(Sid, Access)], inheritable: bool) -> io::Result<Descriptor> {
        let ace_base = std::mem::size_of::<ACCESS_ALLOWED_ACE>() - std::mem::size_of::<u32>();
        let size = std::mem::size_of::<ACL>()
            + grants
                .iter()
                .map(|(sid, _)| ace_base + sid.len)
                .sum::<usize>();
        let size = size.div_ceil(4) * 4;
        let mut acl = vec![0u32; size / 4];
        let acl_ptr = acl.as_mut_ptr().cast::<ACL>();
        // SAFETY: `acl` is writable for `size` bytes and 4-byte aligned.
        let ok = unsafe { InitializeAcl(acl_ptr, size as u32, ACL_REVISION) };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        let flags = if inheritable {
            OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
        } else {
            0
        };
        for (sid, access) in grants {
            // SAFETY: the ACL was initialised with room for every ACE; the SID is valid.
            let ok = unsafe {
                AddAccessAllowedAceEx(acl_ptr, ACL_REVISION, flags, access.mask(), sid.as_psid())
            };
            if ok == 0 {
                return Err(io::Error::last_os_error());
            }
        }
        // SAFETY: SECURITY_DESCRIPTOR is plain data for which all zeroes is a valid value.
        let mut sd: Box<SECURITY_DESCRIPTOR> = Box::new(unsafe { std::mem::zeroed() });
        let sd_ptr: PSECURITY_DESCRIPTOR = (&mut *sd as *mut SECURITY_DESCRIPTOR).cast();
        // SAFETY: `sd` is a writable SECURITY_DESCRIPTOR.
        let ok = unsafe { InitializeSecurityDescriptor(sd_ptr, SECURITY_DESCRIPTOR_REVISION) };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `sd` is initialised; the ACL lives as long as the descriptor (kept in it).
        let ok = unsafe { SetSecurityDescriptorDacl(sd_ptr, 1, acl_ptr, 0) };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `sd` is initialised; this only sets a control bit.
        let ok =
            unsafe { SetSecurityDescriptorControl(sd_ptr, SE_DACL_PROTECTED, SE_DACL_PROTECTED) };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Descriptor { sd, _acl: acl })
    }

    fn attributes(&mut self) -> SECURITY_ATTRIBUTES {
        SECURITY_ATTRIBUTES {
            nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
            lpSecurityDescriptor: (&mut *self.sd as *mut SECURITY_DESCRIPTOR).cast(),
            bInheritHandle: 0,
        }
    }
}

/// Creates a new file (never opens an existing one: `AlreadyExists`) for reading and writing
/// whose access list, given at creation and inheriting nothing, holds exactly these grants.
pub fn create_file_with_access(path: &Path, grants: &[(Sid, Access)]) -> io::Result<File> {
    let mut descriptor = Descriptor::new(grants, false)?;
    let attributes = descriptor.attributes();
    let wide = to_wide(path);
    // SAFETY: `wide` is NUL-terminated; `attributes` and the descriptor it points to outlive
    // the call; CREATE_NEW never opens an existing file.
    let handle = unsafe {
        CreateFileW(
            wide.as_ptr(),
            GENERIC_READ | GENERIC_WRITE,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            &attributes,
            CREATE_NEW,
            FILE_ATTRIBUTE_NORMAL,
            null_mut(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `handle` is a file handle just opened and owned by nobody else.
    Ok(unsafe { File::from_raw_handle(handle as RawHandle) })
}

/// Creates a new file only its creator (the account this process runs as) can open: one ACE,
/// full control for that account, protected from the folder's inherited entries.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    create_file_with_access(path, &[(Sid::current_user()?, Access::Full)])
}

/// Creates a folder whose access list, given at creation and inheriting nothing from its
/// parent, holds exactly these grants, inherited by the files and folders made in it.
pub fn create_dir_with_access(path: &Path, grants: &[(Sid, Access)]) -> io::Result<()> {
    let mut descriptor = Descriptor::new(grants, true)?;
    let attributes = descriptor.attributes();
    let wide = to_wide(path);
    // SAFETY: `wide` is NUL-terminated; `attributes` and its descriptor outlive the call.
    let ok = unsafe { CreateDirectoryW(wide.as_ptr(), &attributes) };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// One entry of an access list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ace {
    /// ACCESS_ALLOWED_ACE_TYPE (0), ACCESS_DENIED_ACE_TYPE (1), …
    pub kind: u8,
    /// OBJECT_INHERIT_ACE, INHERIT_ONLY_ACE, …
    pub flags: u8,
    pub mask: u32,
    /// The account, for the allow and deny entries (None for other kinds).
    pub sid: Option<Sid>,
}

/// A file's owner and access list as Windows reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dacl {
    pub owner: Option<Sid>,
    /// None for a NULL access list: everyone may do everything.
    pub entries: Option<Vec<Ace>>,
}

/// Rights that let an account read a file or change it (or its access list).
const READ_OR_CHANGE: u32 = FILE_READ_DATA
    | FILE_WRITE_DATA
    | FILE_APPEND_DATA
    | WRITE_DAC
    | WRITE_OWNER
    | GENERIC_READ
    | GENERIC_WRITE
    | GENERIC_ALL;

impl Dacl {
    /// The accounts other than the file's owner, the account this process runs as, SYSTEM and
    /// the Administrators that the access list allows to read or change the file (`Everyone`
    /// for a NULL access list).
    pub fn others_who_can_read_or_change(&self) -> io::Result<Vec<Sid>> {
        let Some(entries) = &self.entries else {
            return Ok(vec![Sid::well_known(WellKnown::Everyone)?]);
        };
        let mut trusted = vec![
            Sid::current_user()?,
            Sid::well_known(WellKnown::System)?,
            Sid::well_known(WellKnown::Administrators)?,
        ];
        trusted.extend(self.owner.clone());
        let mut others: Vec<Sid> = Vec::new();
        for ace in entries {
            let Some(sid) = &ace.sid else { continue };
            let applies = u32::from(ace.flags) & INHERIT_ONLY_ACE == 0;
            if ace.kind == ACCESS_ALLOWED_ACE_TYPE as u8
                && applies
                && ace.mask & READ_OR_CHANGE != 0
                && !trusted.contains(sid)
                && !others.contains(sid)
            {
                others.push(sid.clone());
            }
        }
        Ok(others)
    }
}

/// What GetSecurityInfo / GetNamedSecurityInfoW return; the descriptor is freed on drop.
struct SecurityInfo {
    owner: PSID,
    dacl: *mut ACL,
    descriptor: PSECURITY_DESCRIPTOR,
}

impl Drop for SecurityInfo {
    fn drop(&mut self) {
        if !self.descriptor.is_null() {
            // SAFETY: Windows allocated the descriptor with LocalAlloc for the caller to free;
            // it is freed only here, once.
            unsafe { LocalFree(self.descriptor) };
        }
    }
}

impl SecurityInfo {
    fn empty() -> SecurityInfo {
        SecurityInfo {
            owner: null_mut(),
            dacl: null_mut(),
            descriptor: null_mut(),
        }
    }

    fn dacl(&self) -> io::Result<Dacl> {
        let owner = if self.owner.is_null() {
            None
        } else {
            // SAFETY: the owner SID lives in the descriptor, alive while `self` is.
            Some(unsafe { Sid::from_psid(self.owner) })
        };
        if self.dacl.is_null() {
            return Ok(Dacl {
                owner,
                entries: None,
            });
        }
        let mut info = ACL_SIZE_INFORMATION::default();
        // SAFETY: the ACL lives in the descriptor; `info` is writable for its size.
        let ok = unsafe {
            GetAclInformation(
                self.dacl,
                (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
                std::mem::size_of::<ACL_SIZE_INFORMATION>() as u32,
                AclSizeInformation,
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut entries = Vec::new();
        for index in 0..info.AceCount {
            let mut ace: *mut c_void = null_mut();
            // SAFETY: `index` is below the ACL's entry count; `ace` is a valid out pointer.
            let ok = unsafe { GetAce(self.dacl, index, &mut ace) };
            if ok == 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: every ACE starts with an ACE_HEADER; it lives in the descriptor.
            let header = unsafe { *ace.cast::<ACE_HEADER>() };
            // Allow and deny entries share one layout: header, mask, SID.
            let (mask, sid) = if header.AceType <= 1 {
                let entry = ace.cast::<ACCESS_ALLOWED_ACE>();
                // SAFETY: an allow or deny ACE is an ACCESS_ALLOWED_ACE in layout.
                let mask = unsafe { (*entry).Mask };
                let start = ace
                    .cast::<u8>()
                    .wrapping_add(std::mem::offset_of!(ACCESS_ALLOWED_ACE, SidStart));
                // SAFETY: the SID starts at SidStart, inside the ACE, in the live descriptor.
                let sid = unsafe { Sid::from_psid(start.cast()) };
                (mask, Some(sid))
            } else {
                (0, None)
            };
            entries.push(Ace {
                kind: header.AceType,
                flags: header.AceFlags,
                mask,
                sid,
            });
        }
        Ok(Dacl {
            owner,
            entries: Some(entries),
        })
    }
}

/// The owner and access list of an open file (opened with the right to read its security, as
/// `File::open` does).
pub fn dacl_of_file(file: &File) -> io::Result<Dacl> {
    use std::os::windows::io::AsRawHandle;
    let mut info = SecurityInfo::empty();
    // SAFETY: the handle is open for the life of `file`; the out pointers are valid and the
    // descriptor they fill is freed by `info`.
    let rc = unsafe {
        GetSecurityInfo(
            file.as_raw_handle() as HANDLE,
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
            &mut info.owner,
            null_mut(),
            &mut info.dacl,
            null_mut(),
            &mut info.descriptor,
        )
    };
    if rc != ERROR_SUCCESS {
        return Err(io::Error::from_raw_os_error(rc as i32));
    }
    info.dacl()
}

/// The owner and access list of the file or folder at `path`.
pub fn dacl_of_path(path: &Path) -> io::Result<Dacl> {
    let wide = to_wide(path);
    let mut info = SecurityInfo::empty();
    // SAFETY: `wide` is NUL-terminated; the out pointers are valid and the descriptor they
    // fill is freed by `info`.
    let rc = unsafe {
        GetNamedSecurityInfoW(
            wide.as_ptr(),
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
            &mut info.owner,
            null_mut(),
            &mut info.dacl,
            null_mut(),
            &mut info.descriptor,
        )
    };
    if rc != ERROR_SUCCESS {
        return Err(io::Error::from_raw_os_error(rc as i32));
    }
    info.dacl()
}
