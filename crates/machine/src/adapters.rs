//! Which Windows network adapters are network cards of this machine (pure; the Windows reading
//! path fills [`AdapterReading`]s from `GetAdaptersAddresses` and the network class registry).

use crate::{is_identifying_nic, NicReading};

/// IANA interface types of cards: ethernet and wifi. Loopback (24), tunnels (131), PPP (23) and
/// the rest are software.
const CARD_TYPES: &[u32] = &[6, 71];

/// Descriptions of adapters that software makes (hypervisor switches, VPNs, tunnels, dial-up),
/// for when Windows does not say whether an adapter is physical. Lowercase, matched anywhere.
const VIRTUAL_DESCRIPTIONS: &[&str] = &[
    "hyper-v virtual",
    "vmware virtual",
    "virtualbox host-only",
    "tap-windows",
    "tap adapter",
    "wan miniport",
    "bluetooth",
    "wintun",
    "wireguard",
    "zerotier",
    "npcap",
    "teredo",
    "isatap",
    "6to4",
    "kernel debug",
    "virtual adapter",
    "wi-fi direct",
    "vpn",
];

/// One adapter as Windows describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdapterReading {
    /// Its GUID name (`{…}`).
    pub name: String,
    pub description: String,
    /// IANA interface type.
    pub if_type: u32,
    /// The hardware address, as long as Windows gives it.
    pub address: Vec<u8>,
    /// Whether Windows calls it physical (NCF_PHYSICAL in its network class registry entry);
    /// None when Windows does not say (no entry, as under Wine).
    pub physical: Option<bool>,
    /// The Plug and Play device it is (`PCI\VEN_…\…`), when known.
    pub device_instance: Option<String>,
    /// Whether a MAC address was set by hand in the driver's settings (`NetworkAddress`).
    pub address_overridden: bool,
}

/// The adapters that identify this machine, as network cards: ethernet or wifi with a 6-byte
/// address, physical where Windows says, and where it does not, no well-known software adapter.
pub fn cards(adapters: &[AdapterReading]) -> Vec<NicReading> {
    adapters
        .iter()
        .filter(|a| CARD_TYPES.contains(&a.if_type))
        .filter_map(|a| {
            let mac: [u8; 6] = a.address.as_slice().try_into().ok()?;
            let description = a.description.to_lowercase();
            let physical = match a.physical {
                Some(physical) => physical,
                None => !VIRTUAL_DESCRIPTIONS.iter().any(|v| description.contains(v)),
            };
            (physical && is_identifying_nic(&a.description, &mac)).then(|| NicReading {
                name: a.name.clone(),
                mac,
                bus: a.device_instance.clone().filter(|d| !d.trim().is_empty()),
                mac_is_permanent: a.address_overridden.then_some(false),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adapter(description: &str, if_type: u32, physical: Option<bool>) -> AdapterReading {
        AdapterReading {
            name: format!("{{{description}}}"),
            description: description.into(),
            if_type,
            address: vec![0x00, 0x1b, 0x21, 1, 2, 3],
            physical,
            ..AdapterReading::default()
        }
    }

    fn kept(list: &[AdapterReading]) -> Vec<String> {
        cards(list).into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn only_physical_ethernet_and_wifi_cards_count() {
        let list = [
            adapter("Intel(R) Ethernet Connection I219-V", 6, Some(true)),
            adapter("Intel(R) Wi-Fi 6 AX201 160MHz", 71, Some(true)),
            adapter("Software Loopback Interface 1", 24, None),
            adapter("Microsoft Teredo Tunneling Adapter", 131, None),
            adapter("WAN Miniport (PPPOE)", 23, None),
            // Windows says it is not physical, whatever its name.
            adapter("Hyper-V Virtual Ethernet Adapter", 6, Some(false)),
            adapter("Some Card", 6, Some(false)),
        ];
        assert_eq!(
            kept(&list),
            [
                "{Intel(R) Ethernet Connection I219-V}",
                "{Intel(R) Wi-Fi 6 AX201 160MHz}"
            ]
        );
    }

    #[test]
    fn where_windows_does_not_say_well_known_software_adapters_are_left_out() {
        let list = [
            adapter("Hyper-V Virtual Ethernet Adapter #2", 6, None),
            adapter("VMware Virtual Ethernet Adapter for VMnet8", 6, None),
            adapter("VirtualBox Host-Only Ethernet Adapter", 6, None),
            adapter("TAP-Windows Adapter V9", 6, None),
            adapter("Bluetooth Device (Personal Area Network)", 6, None),
            adapter("WireGuard Tunnel", 6, None),
            adapter("docker0", 6, None),
            adapter("veth1234", 6, None),
            adapter("Realtek PCIe GbE Family Controller", 6, None),
            // A virtual machine's own card is its card (as KVM's on Linux).
            adapter("Microsoft Hyper-V Network Adapter", 6, None),
            adapter("eth0", 6, None),
        ];
        assert_eq!(
            kept(&list),
            [
                "{Realtek PCIe GbE Family Controller}",
                "{Microsoft Hyper-V Network Adapter}",
                "{eth0}"
            ]
        );
    }

    #[test]
    fn a_card_without_a_proper_address_does_not_count() {
        let mut none = adapter("Intel", 6, Some(true));
        none.address = vec![0; 6];
        let mut multicast = adapter("Intel", 6, Some(true));
        multicast.address = vec![0x01, 0, 0x5e, 0, 0, 1];
        let mut long = adapter("Intel", 6, Some(true));
        long.address = vec![1, 2, 3, 4, 5, 6, 7, 8];
        assert!(cards(&[none, multicast, long]).is_empty());
    }

    #[test]
    fn a_card_is_known_by_its_device_and_an_address_set_by_hand_does_not_count() {
        let mut card = adapter("Intel", 6, Some(true));
        card.device_instance = Some(r"PCI\VEN_8086&DEV_15BC\3&11583659&0&FE".into());
        let own = cards(std::slice::from_ref(&card)).remove(0);
        assert_eq!(
            own.identity(),
            r"bus PCI\VEN_8086&DEV_15BC\3&11583659&0&FE mac 00:1b:21:01:02:03"
        );
        card.address_overridden = true;
        card.address = vec![0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
        let set = cards(&[card]).remove(0);
        assert_eq!(set.identity(), r"bus PCI\VEN_8086&DEV_15BC\3&11583659&0&FE");
    }
}
