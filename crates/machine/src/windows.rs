//! Reading this Windows machine (through `licdesk-winsys`): the machine GUID as the machine id,
//! the SMBIOS system UUID as the product UUID, the CPU, the physical network cards and the
//! system volume's serial number.

use crate::adapters::{cards, AdapterReading};
use crate::{cpu, host_name, smbios, Readings};

pub(crate) fn read() -> Readings {
    let machine_id = licdesk_winsys::machine_guid().ok().flatten();
    let product_uuid = licdesk_winsys::smbios_table()
        .ok()
        .and_then(|raw| smbios::system_uuid(&raw));
    let system_volume = licdesk_winsys::system_volume_serial()
        .ok()
        .filter(|&serial| serial != 0)
        .map(|serial| format!("{:04x}-{:04x}", serial >> 16, serial & 0xffff));
    Readings {
        machine_id,
        product_uuid,
        cpu: cpu(),
        nics: cards(&adapters()),
        host_name: host_name(),
        system_volume,
    }
}

/// The adapters with what the network class registry says about each.
fn adapters() -> Vec<AdapterReading> {
    let Ok(list) = licdesk_winsys::adapters() else {
        return Vec::new();
    };
    let class = licdesk_winsys::network_class_entries().unwrap_or_default();
    list.into_iter()
        .map(|a| {
            let entry = class
                .iter()
                .find(|e| e.instance_id.eq_ignore_ascii_case(&a.name));
            AdapterReading {
                physical: entry
                    .and_then(|e| e.characteristics)
                    .map(|c| c & NCF_PHYSICAL != 0),
                device_instance: entry.and_then(|e| e.device_instance.clone()),
                address_overridden: entry.is_some_and(|e| e.network_address.is_some()),
                name: a.name,
                description: a.description,
                if_type: a.if_type,
                address: a.address,
            }
        })
        .collect()
}

/// The network class registry's flag for an adapter that is a physical device.
const NCF_PHYSICAL: u32 = 0x4;
