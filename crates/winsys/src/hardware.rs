//! What Windows says about this machine's hardware: the machine GUID, the raw SMBIOS table, the
//! network adapters and the system volume. Raw values: hashing them is the caller's business.

use std::io;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{ERROR_BUFFER_OVERFLOW, ERROR_NO_DATA, ERROR_SUCCESS};
use windows_sys::Win32::NetworkManagement::IpHelper::{
    GetAdaptersAddresses, GAA_FLAG_INCLUDE_ALL_INTERFACES, GAA_FLAG_SKIP_ANYCAST,
    GAA_FLAG_SKIP_DNS_SERVER, GAA_FLAG_SKIP_MULTICAST, GAA_FLAG_SKIP_UNICAST,
    IP_ADAPTER_ADDRESSES_LH,
};
use windows_sys::Win32::Networking::WinSock::AF_UNSPEC;
use windows_sys::Win32::Storage::FileSystem::GetVolumeInformationW;
use windows_sys::Win32::System::SystemInformation::{
    GetSystemFirmwareTable, GetWindowsDirectoryW, RSMB,
};

use crate::registry::Key;
use crate::wide::{from_wide, from_wide_ptr, to_wide};

/// The machine GUID Windows sets at installation
/// (`HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid`, 64-bit view); None when absent.
pub fn machine_guid() -> io::Result<Option<String>> {
    let Some(key) = Key::local_machine(r"SOFTWARE\Microsoft\Cryptography")? else {
        return Ok(None);
    };
    Ok(key
        .string("MachineGuid")?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty()))
}

/// The firmware's SMBIOS data as `GetSystemFirmwareTable('RSMB', 0)` gives it: the
/// `RawSMBIOSData` header (calling method, major and minor version, DMI revision, length) and the
/// structure table. Empty when the firmware has none.
pub fn smbios_table() -> io::Result<Vec<u8>> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let size = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        // SAFETY: `buf` is writable for `size` bytes (zero on the first call, which only asks
        // for the size, with a null buffer as allowed).
        let needed = unsafe {
            GetSystemFirmwareTable(
                RSMB,
                0,
                if buf.is_empty() {
                    null_mut()
                } else {
                    buf.as_mut_ptr()
                },
                size,
            )
        };
        if needed == 0 {
            let e = io::Error::last_os_error();
            return if buf.is_empty() && e.raw_os_error() == Some(0) {
                Ok(Vec::new())
            } else {
                Err(e)
            };
        }
        if needed <= size {
            buf.truncate(needed as usize);
            return Ok(buf);
        }
        buf.resize(needed as usize, 0);
    }
}

/// A network adapter as `GetAdaptersAddresses` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adapter {
    /// The adapter's name: its GUID in braces, as the network class registry knows it.
    pub name: String,
    pub description: String,
    pub friendly_name: String,
    /// The interface type (IANA ifType: 6 ethernet, 71 wifi, 24 loopback, 131 tunnel, 23 PPP…).
    pub if_type: u32,
    /// The hardware address, as long as it is (6 bytes for ethernet and wifi).
    pub address: Vec<u8>,
}

/// This machine's network adapters, all of them (virtual, loopback and down ones included).
pub fn adapters() -> io::Result<Vec<Adapter>> {
    let flags = GAA_FLAG_SKIP_UNICAST
        | GAA_FLAG_SKIP_ANYCAST
        | GAA_FLAG_SKIP_MULTICAST
        | GAA_FLAG_SKIP_DNS_SERVER
        | GAA_FLAG_INCLUDE_ALL_INTERFACES;
    // u64 units: the list Windows writes holds 8-byte aligned structures.
    let mut buf: Vec<u64> = vec![0; 2048];
    loop {
        let mut bytes = u32::try_from(buf.len() * 8).unwrap_or(u32::MAX);
        let first = buf.as_mut_ptr().cast::<IP_ADAPTER_ADDRESSES_LH>();
        // SAFETY: `buf` is writable for `bytes` bytes, aligned for the structures, and outlives
        // the call.
        let rc =
            unsafe { GetAdaptersAddresses(AF_UNSPEC as u32, flags, null(), first, &mut bytes) };
        match rc {
            ERROR_SUCCESS => break,
            ERROR_NO_DATA => return Ok(Vec::new()),
            ERROR_BUFFER_OVERFLOW => buf.resize((bytes as usize).div_ceil(8) + 1, 0),
            _ => return Err(io::Error::from_raw_os_error(rc as i32)),
        }
    }
    let mut list = Vec::new();
    let mut next = buf.as_ptr().cast::<IP_ADAPTER_ADDRESSES_LH>();
    while !next.is_null() {
        // SAFETY: `next` is the first entry Windows wrote into `buf` or a `Next` link of one;
        // the list lives in `buf`, which is neither changed nor freed while it is read.
        let entry = unsafe { &*next };
        // SAFETY: AdapterName is a NUL-terminated ANSI string inside the list (or null).
        let name = unsafe { cstr(entry.AdapterName) };
        // SAFETY: Description is a NUL-terminated UTF-16 string inside the list (or null).
        let description = unsafe { from_wide_ptr(entry.Description) };
        // SAFETY: FriendlyName is a NUL-terminated UTF-16 string inside the list (or null).
        let friendly_name = unsafe { from_wide_ptr(entry.FriendlyName) };
        let len = (entry.PhysicalAddressLength as usize).min(entry.PhysicalAddress.len());
        list.push(Adapter {
            name,
            description: description.to_string_lossy().into_owned(),
            friendly_name: friendly_name.to_string_lossy().into_owned(),
            if_type: entry.IfType,
            address: entry.PhysicalAddress[..len].to_vec(),
        });
        next = entry.Next;
    }
    Ok(list)
}

/// # Safety
/// `p` is null or points to a NUL-terminated string valid during the call.
unsafe fn cstr(p: *const u8) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: as the caller guarantees.
    let s = unsafe { std::ffi::CStr::from_ptr(p.cast()) };
    s.to_string_lossy().into_owned()
}

/// What the network class registry key
/// (`HKLM\SYSTEM\CurrentControlSet\Control\Class\{4d36e972-e325-11ce-bfc1-08002be10318}\NNNN`)
/// says about one adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkClassEntry {
    /// `NetCfgInstanceId`: the adapter's GUID in braces, as [`Adapter::name`].
    pub instance_id: String,
    /// `Characteristics`: NCF_* flags (0x4 NCF_PHYSICAL, 0x1 NCF_VIRTUAL).
    pub characteristics: Option<u32>,
    /// `DeviceInstanceID`: the Plug and Play device, such as `PCI\VEN_8086&DEV_100E&…\3&…`.
    pub device_instance: Option<String>,
    /// `NetworkAddress`: a MAC address set by hand in the driver's settings, when one is.
    pub network_address: Option<String>,
}

const NETWORK_CLASS: &str =
    r"SYSTEM\CurrentControlSet\Control\Class\{4d36e972-e325-11ce-bfc1-08002be10318}";

/// The entries of the network class registry key (none when it does not exist, as under Wine).
pub fn network_class_entries() -> io::Result<Vec<NetworkClassEntry>> {
    let Some(class) = Key::local_machine(NETWORK_CLASS)? else {
        return Ok(Vec::new());
    };
    let mut entries = Vec::new();
    for name in class.subkey_names()? {
        // Subkeys other than the numbered ones ("Properties") cannot be opened by everyone.
        let Ok(Some(key)) = class.subkey(&name) else {
            continue;
        };
        let Some(instance_id) = key.string("NetCfgInstanceId").ok().flatten() else {
            continue;
        };
        entries.push(NetworkClassEntry {
            instance_id,
            characteristics: key.dword("Characteristics").ok().flatten(),
            device_instance: key.string("DeviceInstanceID").ok().flatten(),
            network_address: key
                .string("NetworkAddress")
                .ok()
                .flatten()
                .filter(|a| !a.trim().is_empty()),
        });
    }
    Ok(entries)
}

/// The serial number of the volume Windows is installed on (the root of the Windows folder's
/// drive), set when the volume was formatted.
pub fn system_volume_serial() -> io::Result<u32> {
    let mut dir = [0u16; 261];
    // SAFETY: `dir` is writable for the number of UTF-16 units given.
    let len = unsafe { GetWindowsDirectoryW(dir.as_mut_ptr(), dir.len() as u32) };
    if len == 0 || len as usize >= dir.len() {
        return Err(io::Error::last_os_error());
    }
    let windows = std::path::PathBuf::from(from_wide(&dir[..len as usize]));
    let root = windows
        .ancestors()
        .last()
        .map(|r| r.as_os_str().to_os_string())
        .unwrap_or_default();
    let mut root = root.to_string_lossy().into_owned();
    if !root.ends_with('\\') {
        root.push('\\');
    }
    let root = to_wide(root);
    let mut serial = 0u32;
    // SAFETY: `root` is NUL-terminated; `serial` is a valid out pointer; the buffers not asked
    // for are null with size 0, as the function allows.
    let ok = unsafe {
        GetVolumeInformationW(
            root.as_ptr(),
            null_mut(),
            0,
            &mut serial,
            null_mut(),
            null_mut(),
            null_mut(),
            0,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(serial)
}
