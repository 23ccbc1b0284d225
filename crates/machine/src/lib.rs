//! This machine's hardware, read with targeted reads only (never a full system scan), hashed at
//! once into `licdesk_core::Component`s. The tolerance rule that compares two machines lives in
//! `licdesk_core::hwid`.
//!
//! Reading and assembling are split: [`read`] does the I/O, [`assemble`] is a pure function that
//! the tests drive with synthetic readings.

use licdesk_core::{Component, ComponentKind, Hardware};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MachineError {
    #[error("this machine has no machine id (/etc/machine-id is missing or empty), so License Desk cannot tell it apart from others: create one with 'systemd-machine-id-setup' (as root) and try again")]
    NoMachineId,
}

/// Raw readings of this machine. They never leave this crate unhashed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings {
    pub machine_id: Option<String>,
    pub product_uuid: Option<String>,
    pub cpu: Option<String>,
    /// Network interfaces: name and MAC address.
    pub nics: Vec<(String, [u8; 6])>,
    pub host_name: Option<String>,
}

/// Reads this machine and describes it.
pub fn this_machine() -> Result<Hardware, MachineError> {
    assemble(&read())
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The readings: machine id, firmware product UUID (often readable by root only), CPU model and
/// count, network cards' MAC addresses, host name.
pub fn read() -> Readings {
    let machine_id =
        read_trimmed("/etc/machine-id").or_else(|| read_trimmed("/var/lib/dbus/machine-id"));
    let product_uuid = sysinfo::Product::uuid()
        .ok()
        .filter(|u| !u.trim().is_empty());
    let cpu = sysinfo::System::new_with_specifics(sysinfo::RefreshKind::nothing())
        .ok()
        .and_then(|mut sys| {
            sys.refresh_cpu_list(sysinfo::CpuRefreshKind::nothing());
            let cpus = sys.cpus();
            cpus.first()
                .map(|c| format!("{} x{}", c.brand().trim(), cpus.len()))
        });
    let nics = sysinfo::Networks::new_with_refreshed_list()
        .map(|networks| {
            networks
                .iter()
                .map(|(name, data)| (name.to_string_lossy().into_owned(), data.mac_address().0))
                .collect()
        })
        .unwrap_or_default();
    let host_name = sysinfo::System::host_name().ok().filter(|h| !h.is_empty());
    Readings {
        machine_id,
        product_uuid,
        cpu,
        nics,
        host_name,
    }
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
    let machine_id = r.machine_id.as_deref().ok_or(MachineError::NoMachineId)?;
    let mut parts = vec![Component::from_raw(ComponentKind::MachineId, machine_id)];
    if let Some(u) = &r.product_uuid {
        parts.push(Component::from_raw(ComponentKind::ProductUuid, u));
    }
    if let Some(c) = &r.cpu {
        parts.push(Component::from_raw(ComponentKind::Cpu, c));
    }
    for (_, mac) in r
        .nics
        .iter()
        .filter(|(name, mac)| is_identifying_nic(name, mac))
    {
        let text = licdesk_core::hex::encode_separated(mac, ':');
        parts.push(Component::from_raw(ComponentKind::Nic, &text));
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
                ("eth0".into(), [0x52, 0x54, 0, 0x12, 0x34, 0x56]),
                ("docker0".into(), [0x02, 0x42, 0xac, 0x11, 0, 2]),
                ("veth12ab".into(), [0x6e, 0x42, 0xac, 0x11, 0, 3]),
                ("lo".into(), [0; 6]),
            ],
            host_name: Some("main-1".into()),
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
        r.nics.push(("enp3s0".into(), [0x00, 0x1b, 0x21, 1, 2, 3]));
        let a = assemble(&r).unwrap();
        r.nics.reverse();
        assert_eq!(assemble(&r).unwrap().id, a.id);
        assert!(a.validate().is_ok());
    }

    #[test]
    fn a_machine_without_a_machine_id_is_refused_with_advice() {
        let r = Readings {
            machine_id: None,
            ..readings()
        };
        let err = assemble(&r).unwrap_err().to_string();
        assert!(err.contains("systemd-machine-id-setup"), "{err}");
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
}
