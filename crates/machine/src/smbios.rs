//! The firmware's system UUID from raw SMBIOS data (pure; Windows hands the table over with
//! `GetSystemFirmwareTable('RSMB')`, Linux reads the same value from
//! `/sys/class/dmi/id/product_uuid`).
//!
//! The data starts with Windows' `RawSMBIOSData` header — calling method (1 byte), major and
//! minor version (1 byte each), DMI revision (1 byte), table length (4 bytes, little-endian) —
//! followed by the structures. Each structure is a formatted part (type, length, handle, fields)
//! and a string set ending with two NUL bytes. The System Information structure (type 1) holds
//! the UUID at offset 8 (16 bytes; SMBIOS 2.1 and later).

/// Length of the `RawSMBIOSData` header before the structure table.
const HEADER: usize = 8;
/// SMBIOS type 1, System Information.
const SYSTEM_INFORMATION: u8 = 1;
/// SMBIOS type 127, end of table.
const END_OF_TABLE: u8 = 127;
/// The UUID's offset in the type 1 structure.
const UUID_OFFSET: usize = 8;

/// The system UUID in the form Linux shows it (lowercase, `8-4-4-4-12`), or None when the table
/// has none: no type 1 structure, one too short for a UUID, a UUID of all zeros (not present)
/// or all ones (not set). A truncated or damaged table gives None, never a panic.
pub fn system_uuid(raw: &[u8]) -> Option<String> {
    let header = raw.get(..HEADER)?;
    let (major, minor) = (header[1], header[2]);
    let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let table = raw.get(HEADER..)?;
    let table = &table[..length.min(table.len())];
    let uuid = find_structure(table, SYSTEM_INFORMATION)?.get(UUID_OFFSET..UUID_OFFSET + 16)?;
    if uuid.iter().all(|&b| b == 0) || uuid.iter().all(|&b| b == 0xff) {
        return None;
    }
    // From SMBIOS 2.6 on, the first three fields are little-endian (as in RFC 4122's memory
    // layout on x86); before, all bytes are in network order. A version of 0 is unknown: taken
    // as a current one.
    let little_endian = major == 0 || (major, minor) >= (2, 6);
    let mut b = [0u8; 16];
    b.copy_from_slice(uuid);
    if little_endian {
        b[..4].reverse();
        b[4..6].reverse();
        b[6..8].reverse();
    }
    let hex = licdesk_core::hex::encode(&b);
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// The formatted part of the first structure of type `kind`.
fn find_structure(table: &[u8], kind: u8) -> Option<&[u8]> {
    let mut at = 0;
    while at + 4 <= table.len() {
        let (this, length) = (table[at], usize::from(table[at + 1]));
        if length < 4 {
            return None; // damaged: a structure is at least its 4-byte header
        }
        let formatted = table.get(at..at + length)?;
        if this == kind {
            return Some(formatted);
        }
        if this == END_OF_TABLE {
            return None;
        }
        // Skip the string set: it ends with two NUL bytes (right after the formatted part when
        // the structure has no strings).
        let strings = table.get(at + length..)?;
        let end = strings.windows(2).position(|w| w == [0, 0])?;
        at += length + end + 2;
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A table as Windows gives it: the header for SMBIOS `major.minor` and the structures.
    fn raw(major: u8, minor: u8, structures: &[Vec<u8>]) -> Vec<u8> {
        let table: Vec<u8> = structures.concat();
        let mut out = vec![0, major, minor, 0];
        out.extend_from_slice(&(table.len() as u32).to_le_bytes());
        out.extend(table);
        out
    }

    /// A structure with its formatted part (after the 4-byte header) and strings.
    fn structure(kind: u8, fields: &[u8], strings: &[&str]) -> Vec<u8> {
        let mut s = vec![kind, (4 + fields.len()) as u8, 0x00, 0x01];
        s.extend_from_slice(fields);
        if strings.is_empty() {
            s.extend([0, 0]);
        } else {
            for text in strings {
                s.extend(text.as_bytes());
                s.push(0);
            }
            s.push(0);
        }
        s
    }

    const UUID: [u8; 16] = [
        0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
        0xff,
    ];

    fn system(uuid: [u8; 16]) -> Vec<u8> {
        // Manufacturer, product, version, serial (string numbers), then the UUID, wake-up type.
        let mut fields = vec![1, 2, 3, 4];
        fields.extend(uuid);
        fields.push(6);
        structure(1, &fields, &["QEMU", "Standard PC", "pc-1.0", "0"])
    }

    fn bios() -> Vec<u8> {
        structure(
            0,
            &[1, 2, 0, 0xe8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            &["SeaBIOS", "1.16"],
        )
    }

    fn end() -> Vec<u8> {
        structure(127, &[], &[])
    }

    #[test]
    fn the_uuid_of_a_current_table_has_its_first_fields_little_endian() {
        let table = raw(3, 4, &[bios(), system(UUID), end()]);
        assert_eq!(
            system_uuid(&table).as_deref(),
            Some("00112233-4455-6677-8899-aabbccddeeff")
        );
        assert_eq!(
            system_uuid(&raw(2, 6, &[system(UUID)])).as_deref(),
            Some("00112233-4455-6677-8899-aabbccddeeff")
        );
    }

    #[test]
    fn the_uuid_of_an_old_table_is_in_network_order() {
        let table = raw(2, 5, &[bios(), system(UUID), end()]);
        assert_eq!(
            system_uuid(&table).as_deref(),
            Some("33221100-5544-7766-8899-aabbccddeeff")
        );
    }

    #[test]
    fn no_uuid_all_zeros_or_all_ones_is_none() {
        assert_eq!(system_uuid(&raw(3, 0, &[bios(), end()])), None);
        assert_eq!(system_uuid(&raw(3, 0, &[system([0; 16]), end()])), None);
        assert_eq!(system_uuid(&raw(3, 0, &[system([0xff; 16]), end()])), None);
        // A type 1 structure of SMBIOS 2.0, too short for a UUID.
        let short = structure(1, &[1, 2, 3, 4], &["a"]);
        assert_eq!(system_uuid(&raw(2, 0, &[short, end()])), None);
        // The end-of-table structure ends the search.
        assert_eq!(system_uuid(&raw(3, 0, &[end(), system(UUID)])), None);
    }

    #[test]
    fn a_truncated_or_damaged_table_never_panics() {
        let whole = raw(3, 4, &[bios(), system(UUID), end()]);
        for cut in 0..whole.len() {
            let _ = system_uuid(&whole[..cut]);
        }
        // A length beyond the data, a zero structure length, garbage.
        let mut long = whole.clone();
        long[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(system_uuid(&long).is_some());
        let mut zero = whole.clone();
        zero[HEADER + 1] = 0;
        assert_eq!(system_uuid(&zero), None);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..300 {
            let garbage: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let _ = system_uuid(&garbage);
        }
    }
}
