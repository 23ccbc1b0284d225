//! This machine's hardware, read with targeted reads only (never a full system scan), hashed at
//! once into `licdesk_core::Component`s. The tolerance rule that compares two machines lives in
//! `licdesk_core::hwid`.
//!
//! Reading and assembling are split: [`read`] does the I/O, [`assemble`] is a pure function that
//! the tests drive with synthetic readings.
//!
//! What is read: on Linux (and other Unix systems) the machine id (`/etc/machine-id`), the
//! firmware's product UUID (where readable), the CPU and the network cards with their place on
//! the bus; on Windows the machine GUID (`HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid`)
//! in the machine id's role, the SMBIOS system UUID ([`smbios`]) as the product UUID, the CPU,
//! the physical ethernet and wifi cards ([`adapters`]) and the system volume's serial number.

use licdesk_core::{Component, ComponentKind, Hardware};
pub use operator::{describe as describe_operator, operator};

pub mod adapters;
mod operator;
pub mod smbios;
#[cfg(windows)]
mod windows;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MachineError {
    #[error("this machine has no machine id (/etc/machine-id is missing or empty), so License Desk cannot tell it apart from others: create one with 'systemd-machine-id-setup' (as root) and try again")]
    NoMachineId,
    /// Windows: the machine GUID, set when Windows is installed, is missing.
    #[error("this Windows machine has no machine GUID (the registry value HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MachineGuid is missing or empty), so License Desk cannot tell it apart from others: ask an administrator to restore it (Windows sets it at installation) and try again")]
    NoMachineGuid,
    /// A system other than Unix and Windows: its hardware is not read, so no hardware
    /// description is made there rather than a weaker one.
    #[error("reading this machine's hardware is not supported on this system (License Desk reads it on Linux and Windows): make hardware-ID files and activation requests on one of those")]
    NotSupported,
}

/// Raw readings of this machine. They never leave this crate unhashed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings {
    pub machine_id: Option<String>,
    pub product_uuid: Option<String>,
    pub cpu: Option<String>,
    /// Network interfaces: name and MAC address, and what the operating system says beyond it.
    pub nics: Vec<NicReading>,
    pub host_name: Option<String>,
    /// The system volume's serial number (Windows).
    pub system_volume: Option<String>,
}

/// One network interface as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NicReading {
    pub name: String,
    pub mac: [u8; 6],
    /// Where the card sits on its bus (Linux: the device path under /sys/devices, such as
    /// `pci0000:00/0000:00:03.0`), when the operating system says.
    pub bus: Option<String>,
    /// Whether the MAC address is the card's own (`Some(true)`), or one software assigned —
    /// random or set by hand (`Some(false)`); None when the operating system does not say.
    pub mac_is_permanent: Option<bool>,
}

impl NicReading {
    /// A card known by name and MAC address only.
    pub fn new(name: &str, mac: [u8; 6]) -> NicReading {
        NicReading {
            name: name.to_string(),
            mac,
            bus: None,
            mac_is_permanent: None,
        }
    }

    /// The card's identity, as stable as the operating system allows: its place on the bus and
    /// its own MAC address; its place alone when software assigned the address (it can change);
    /// the MAC address alone when nothing more is known.
    pub fn identity(&self) -> String {
        let mac = licdesk_core::hex::encode_separated(&self.mac, ':');
        match (&self.bus, self.mac_is_permanent) {
            (Some(bus), Some(false)) => format!("bus {bus}"),
            (Some(bus), _) => format!("bus {bus} mac {mac}"),
            (None, _) => mac,
        }
    }
}

/// Reads this machine and describes it.
pub fn this_machine() -> Result<Hardware, MachineError> {
    if !cfg!(any(unix, windows)) {
        return Err(MachineError::NotSupported);
    }
    assemble(&read())
}

#[cfg(not(windows))]
fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The readings of this Windows machine (see the crate documentation).
#[cfg(windows)]
pub fn read() -> Readings {
    windows::read()
}

/// The CPU: model and count.
fn cpu() -> Option<String> {
    sysinfo::System::new_with_specifics(sysinfo::RefreshKind::nothing())
        .ok()
        .and_then(|mut sys| {
            sys.refresh_cpu_list(sysinfo::CpuRefreshKind::nothing());
            let cpus = sys.cpus();
            cpus.first()
                .map(|c| format!("{} x{}", c.brand().trim(), cpus.len()))
        })
}

fn host_name() -> Option<String> {
    sysinfo::System::host_name().ok().filter(|h| !h.is_empty())
}

/// The readings: machine id, firmware product UUID (often readable by root only), CPU model and
/// count, network cards' MAC addresses, host name.
#[cfg(not(windows))]
pub fn read() -> Readings {
    let machine_id = machine_id();
    let product_uuid = sysinfo::Product::uuid()
        .ok()
        .filter(|u| !u.trim().is_empty());
    let cpu = cpu();
    let nics = sysinfo::Networks::new_with_refreshed_list()
        .map(|networks| {
            networks
                .iter()
                .map(|(name, data)| {
                    let name = name.to_string_lossy().into_owned();
                    NicReading {
                        bus: bus_of(&name),
                        mac_is_permanent: mac_is_permanent(&name),
                        mac: data.mac_address().0,
                        name,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Readings {
        machine_id,
        product_uuid,
        cpu,
        nics,
        host_name: host_name(),
        system_volume: None,
    }
}

/// The Unix machine id (systemd's, or D-Bus's where systemd is absent); None elsewhere.
#[cfg(not(windows))]
fn machine_id() -> Option<String> {
    if cfg!(unix) {
        read_trimmed("/etc/machine-id").or_else(|| read_trimmed("/var/lib/dbus/machine-id"))
    } else {
        None
    }
}

#[cfg(not(windows))]
/// Where a Linux network card sits on its bus: its device path below /sys/devices (None for a
/// software interface, which has no device, and elsewhere than Linux).
fn bus_of(name: &str) -> Option<String> {
    if !cfg!(target_os = "linux") || name.contains('/') || name.starts_with('.') {
        return None;
    }
    let device = std::fs::canonicalize(format!("/sys/class/net/{name}/device")).ok()?;
    device
        .strip_prefix("/sys/devices")
        .ok()
        .map(|p| p.to_string_lossy().trim_start_matches('/').to_string())
        .filter(|p| !p.is_empty())
}

#[cfg(not(windows))]
/// Whether Linux says the card's MAC address is its own (`addr_assign_type` 0) or one software
/// assigned (1 random, 2 stolen, 3 set).
fn mac_is_permanent(name: &str) -> Option<bool> {
    if !cfg!(target_os = "linux") || name.contains('/') || name.starts_with('.') {
        return None;
    }
    read_trimmed(&format!("/sys/class/net/{name}/addr_assign_type"))?
        .parse::<u8>()
        .ok()
        .map(|t| t == 0)
}

/// Interfaces that software creates and removes (bridges, container and VM taps, tunnels):
/// they come and go, so they are no part of a machine's identity.
const VIRTUAL_PREFIXES: &[&str] = &[
    "lo", "docker", "br-", "veth", "virbr", "vnet", "tun", "tap", "wg", "zt", "cni", "flannel",
    "cali", "vxlan", "dummy",
];

/// Whether an interface is a network card that identifies the machine: not a software interface
/// (by name), and its MAC address neither all-zero nor multicast. Locally administered addresses
/// are kept: virtual machines' cards (such as 52:54:00:… on KVM) have them and are stable.
pub fn is_identifying_nic(name: &str, mac: &[u8; 6]) -> bool {
    mac != &[0; 6] && mac[0] & 0x01 == 0 && !VIRTUAL_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Hashes the readings into a hardware description (pure).
pub fn assemble(r: &Readings) -> Result<Hardware, MachineError> {
    let machine_id = r.machine_id.as_deref().ok_or(if cfg!(windows) {
        MachineError::NoMachineGuid
    } else {
        MachineError::NoMachineId
    })?;
    let mut parts = vec![Component::from_raw(ComponentKind::MachineId, machine_id)];
    if let Some(u) = &r.product_uuid {
        parts.push(Component::from_raw(ComponentKind::ProductUuid, u));
    }
    if let Some(c) = &r.cpu {
        parts.push(Component::from_raw(ComponentKind::Cpu, c));
    }
    for nic in r
        .nics
        .iter()
        .filter(|n| is_identifying_nic(&n.name, &n.mac))
    {
        parts.push(Component::from_raw(ComponentKind::Nic, &nic.identity()));
    }
    if let Some(v) = &r.system_volume {
        parts.push(Component::from_raw(ComponentKind::SystemVolume, v));
    }
    // The host name is only a label for people: one that is not a plain text (a kernel takes
    // any bytes) is left out rather than carried into files and onto screens.
    let label = r
        .host_name
        .clone()
        .filter(|h| licdesk_core::check_text(h, licdesk_core::hwid::MAX_LABEL_CHARS).is_ok());
    Ok(Hardware::from_components(parts, label))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings() -> Readings {
        Readings {
            machine_id: Some("0123456789abcdef0123456789abcdef".into()),
            product_uuid: None,
            cpu: Some("Xeon x2".into()),
            nics: vec![
                NicReading::new("eth0", [0x52, 0x54, 0, 0x12, 0x34, 0x56]),
                NicReading::new("docker0", [0x02, 0x42, 0xac, 0x11, 0, 2]),
                NicReading::new("veth12ab", [0x6e, 0x42, 0xac, 0x11, 0, 3]),
                NicReading::new("lo", [0; 6]),
            ],
            host_name: Some("main-1".into()),
            system_volume: None,
        }
    }

    #[test]
    fn only_identifying_network_cards_count() {
        assert!(
            is_identifying_nic("eth0", &[0x52, 0x54, 0, 0, 0, 1]),
            "a KVM card"
        );
        assert!(is_identifying_nic("enp3s0", &[0x00, 0x1b, 0x21, 1, 2, 3]));
        assert!(!is_identifying_nic(
            "docker0",
            &[0x02, 0x42, 0xac, 0x11, 0, 2]
        ));
        assert!(
            !is_identifying_nic("eth1", &[0x01, 0, 0x5e, 0, 0, 1]),
            "multicast"
        );
        assert!(!is_identifying_nic("eth2", &[0; 6]), "no address");
        let hw = assemble(&readings()).unwrap();
        let nics = hw
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::Nic)
            .count();
        assert_eq!(nics, 1);
    }

    #[test]
    fn no_raw_reading_appears_in_the_description() {
        let hw = assemble(&readings()).unwrap();
        let text = format!("{hw:?}");
        for raw in ["0123456789abcdef", "52:54:00", "525400", "Xeon"] {
            assert!(!text.contains(raw), "{raw} leaked into {text}");
        }
        assert_eq!(hw.label.as_deref(), Some("main-1"));
    }

    #[test]
    fn the_id_does_not_depend_on_the_order_of_the_cards() {
        let mut r = readings();
        r.nics
            .push(NicReading::new("enp3s0", [0x00, 0x1b, 0x21, 1, 2, 3]));
        let a = assemble(&r).unwrap();
        r.nics.reverse();
        assert_eq!(assemble(&r).unwrap().id, a.id);
        assert!(a.validate().is_ok());
    }

    #[test]
    fn a_card_is_known_by_its_place_on_the_bus_and_its_own_address() {
        let card = |bus: Option<&str>, permanent: Option<bool>, mac: [u8; 6]| NicReading {
            name: "enp3s0".into(),
            mac,
            bus: bus.map(str::to_string),
            mac_is_permanent: permanent,
        };
        let own = [0x00, 0x1b, 0x21, 1, 2, 3];
        let random = [0x02, 0x99, 0x21, 7, 7, 7];
        let at = Some("pci0000:00/0000:00:03.0");
        // A software-assigned address (random, set by hand) changes: the place alone counts.
        assert_eq!(
            card(at, Some(false), own).identity(),
            card(at, Some(false), random).identity()
        );
        // The card's own address counts with its place.
        assert_ne!(
            card(at, Some(true), own).identity(),
            card(Some("pci0000:00/0000:00:04.0"), Some(true), own).identity()
        );
        // Nothing more known (a software interface, another system): the address alone, as
        // before — a card's identity then is what it always was.
        assert_eq!(card(None, None, own).identity(), "00:1b:21:01:02:03");
        assert_eq!(card(None, Some(false), own).identity(), "00:1b:21:01:02:03");
    }

    #[test]
    fn a_card_read_with_more_identity_is_a_replaced_card_the_machine_stays_itself() {
        // An upgrade that reads the bus place as well changes the card's hash, as replacing the
        // card would: the tolerance rule keeps the machine (anchor and CPU match).
        let before = assemble(&readings()).unwrap();
        let mut r = readings();
        r.nics[0].bus = Some("pci0000:00/0000:00:03.0".into());
        r.nics[0].mac_is_permanent = Some(true);
        let after = assemble(&r).unwrap();
        assert_ne!(before.id, after.id);
        assert!(before.is_same_machine(&after));
    }

    #[test]
    fn a_machine_without_a_machine_id_is_refused_with_advice() {
        let r = Readings {
            machine_id: None,
            ..readings()
        };
        let err = assemble(&r).unwrap_err().to_string();
        let advice = if cfg!(windows) {
            "MachineGuid"
        } else {
            "systemd-machine-id-setup"
        };
        assert!(err.contains(advice), "{err}");
    }

    #[test]
    fn the_system_volume_is_a_component_of_its_own() {
        let r = Readings {
            system_volume: Some("1a2b-3c4d".into()),
            ..readings()
        };
        let hw = assemble(&r).unwrap();
        let volumes: Vec<_> = hw
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::SystemVolume)
            .collect();
        assert_eq!(volumes.len(), 1);
        assert_ne!(hw.id, assemble(&readings()).unwrap().id);
        // Another volume alone: the same machine.
        let other = assemble(&Readings {
            system_volume: Some("9999-0000".into()),
            ..readings()
        })
        .unwrap();
        assert!(hw.is_same_machine(&other));
    }

    #[test]
    fn this_machine_is_readable_and_stable() {
        let a = this_machine().expect("this machine");
        let b = this_machine().expect("this machine");
        assert_eq!(a.id, b.id);
        assert!(a
            .components
            .iter()
            .any(|c| c.kind == ComponentKind::MachineId));
    }

    /// Windows (or Wine): the machine GUID is the anchor, and at least three components are
    /// read (under Wine: the GUID, the SMBIOS UUID, the CPU, the host's cards, the volume).
    #[cfg(windows)]
    #[test]
    fn this_windows_machine_is_read_with_its_machine_guid() {
        let r = read();
        let guid = licdesk_winsys::machine_guid().unwrap().unwrap();
        assert_eq!(r.machine_id.as_deref(), Some(guid.as_str()));
        let hw = this_machine().unwrap();
        assert!(hw.components.len() >= 3, "{r:?}");
        assert!(hw
            .components
            .contains(&Component::from_raw(ComponentKind::MachineId, &guid)));
        // The volume read is the one Windows reports, in the form `vol` shows it.
        let serial = licdesk_winsys::system_volume_serial().unwrap();
        assert_eq!(
            r.system_volume,
            Some(format!("{:04x}-{:04x}", serial >> 16, serial & 0xffff))
        );
        // The SMBIOS UUID, when there is one, has the form Linux gives it.
        if let Some(uuid) = &r.product_uuid {
            assert_eq!(uuid.len(), 36, "{uuid}");
            assert_eq!(uuid, &uuid.to_lowercase());
        }
        for nic in &r.nics {
            assert!(is_identifying_nic(&nic.name, &nic.mac), "{nic:?}");
        }
    }
}
