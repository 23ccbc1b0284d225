//! Hardware identity, pure part: hashed components, the short code people read, and the
//! tolerance rule that decides whether two component sets are the same machine.
//!
//! # The tolerance rule
//! A machine is described by hashed components of these kinds: the operating system's machine id,
//! the firmware's product UUID (when readable), the CPU (model and core count) and each network
//! card that is not a software interface — known by its place on the bus and its own MAC address
//! where the operating system says, by its place alone when software assigned its address, else by
//! its MAC address (see `licdesk-machine` for which cards count and how they are read) — and, on
//! Windows, the system volume (its serial number). Two descriptions are **the same machine** when
//! 1. an *anchor* matches: the machine id, or the product UUID where both have one; and
//! 2. a *hardware witness* matches as well — the CPU, or at least one network card, or the other
//!    anchor — whenever both descriptions read hardware of the same kind (a CPU on both sides, or
//!    network cards on both). When they have no such kind in common (one side's CPU or cards
//!    could not be read), there is nothing to compare and the anchor alone decides.
//!
//! So replacing one part — a network card, or the CPU — leaves the machine itself; reinstalling the
//! operating system leaves it itself where the firmware has a product UUID; a clone of the disk
//! into other hardware (same machine id, other CPU and other cards) is another machine; so is
//! a new main board with a reinstalled system. Hashes are salted per kind, so no raw MAC address
//! or serial number is in any file.
//!
//! The **system volume** is part of the code (a hardware-ID file names it) but is never an
//! anchor nor a witness: a copy of the disk carries the volume's serial number into other
//! hardware along with the machine id, so it says nothing the machine id does not. A disk clone
//! with the same volume is still another machine, and a new or reformatted volume alone (with
//! the machine id and a hardware witness kept) leaves the machine itself.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hex;
use crate::ids::HardwareId;
use crate::value::{validate_text, ValueError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    MachineId,
    ProductUuid,
    Cpu,
    Nic,
    /// The volume the operating system is on (Windows: its serial number). Never an anchor nor
    /// a witness (module documentation).
    SystemVolume,
}

impl ComponentKind {
    fn salt(self) -> &'static str {
        match self {
            ComponentKind::MachineId => "machine-id",
            ComponentKind::ProductUuid => "product-uuid",
            ComponentKind::Cpu => "cpu",
            ComponentKind::Nic => "nic",
            ComponentKind::SystemVolume => "system-volume",
        }
    }
}

/// One hashed component: kind and 128 bits of a salted SHA-256, in hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub kind: ComponentKind,
    pub hash: String,
}

impl Component {
    /// Hashes a raw reading (a MAC address, a machine id): the raw value never leaves this call.
    pub fn from_raw(kind: ComponentKind, raw: &str) -> Self {
        let mut h = Sha256::new();
        h.update(b"licdesk-hwid-v1\0");
        h.update(kind.salt().as_bytes());
        h.update(b"\0");
        h.update(raw.trim().to_ascii_lowercase().as_bytes());
        Component {
            kind,
            hash: hex::encode(&h.finalize()[..16]),
        }
    }

    pub fn is_well_formed(&self) -> bool {
        self.hash.len() == 32 && hex::is_lower_hex(&self.hash)
    }
}

/// The longest host-name label a hardware description may carry (a DNS name has at most 253).
pub const MAX_LABEL_CHARS: usize = 255;

/// A machine as files carry it: its code, and where known its hashed components and a label
/// (the host name) for people. A hardware ID typed in by hand has no components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hardware {
    pub id: HardwareId,
    pub components: Vec<Component>,
    pub label: Option<String>,
}

impl Hardware {
    /// Describes a machine from its components; the code is derived from them.
    pub fn from_components(mut components: Vec<Component>, label: Option<String>) -> Self {
        components.sort();
        components.dedup();
        Hardware {
            id: code_of(&components),
            components,
            label,
        }
    }

    /// A machine known only by a code typed in or pasted.
    pub fn from_code(id: HardwareId) -> Self {
        Hardware {
            id,
            components: Vec::new(),
            label: None,
        }
    }

    /// Checks that the label (the host name, for people) is a plain text, that the components
    /// are well formed and that the code is the one they give.
    pub fn validate(&self) -> Result<(), ValueError> {
        if let Some(label) = &self.label {
            validate_text("host name", label, MAX_LABEL_CHARS)?;
        }
        if self.components.is_empty() {
            return Ok(());
        }
        if self.components.len() > 64 || !self.components.iter().all(Component::is_well_formed) {
            return Err(ValueError::MalformedComponents);
        }
        let mut sorted = self.components.clone();
        sorted.sort();
        sorted.dedup();
        if code_of(&sorted) != self.id {
            return Err(ValueError::HardwareIdMismatch {
                id: self.id.clone(),
            });
        }
        Ok(())
    }

    /// Whether `self` and `other` denote the same machine: equal codes, or the tolerance rule
    /// (module documentation) on the components.
    pub fn is_same_machine(&self, other: &Hardware) -> bool {
        self.id == other.id || same_machine(&self.components, &other.components)
    }
}

fn code_of(sorted: &[Component]) -> HardwareId {
    let mut h = Sha256::new();
    h.update(b"licdesk-hwid-code-v1\0");
    for c in sorted {
        h.update(c.kind.salt().as_bytes());
        h.update(b":");
        h.update(c.hash.as_bytes());
        h.update(b"\n");
    }
    HardwareId::from_digest(&h.finalize())
}

/// The tolerance rule on two component sets (see module documentation).
pub fn same_machine(a: &[Component], b: &[Component]) -> bool {
    let of = |set: &[Component], kind| -> Vec<String> {
        set.iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.hash.clone())
            .collect()
    };
    let shares = |kind| {
        let (x, y) = (of(a, kind), of(b, kind));
        x.iter().any(|h| y.contains(h))
    };
    let machine_id = shares(ComponentKind::MachineId);
    let product_uuid = shares(ComponentKind::ProductUuid);
    if !(machine_id || product_uuid) {
        return false;
    }
    let hardware_on_both = [ComponentKind::Cpu, ComponentKind::Nic]
        .iter()
        .any(|&k| !of(a, k).is_empty() && !of(b, k).is_empty());
    let witness =
        (machine_id && product_uuid) || shares(ComponentKind::Cpu) || shares(ComponentKind::Nic);
    witness || !hardware_on_both
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComponentKind::*;

    fn c(kind: ComponentKind, raw: &str) -> Component {
        Component::from_raw(kind, raw)
    }

    fn machine(parts: &[(ComponentKind, &str)]) -> Vec<Component> {
        parts.iter().map(|&(k, r)| c(k, r)).collect()
    }

    fn check(a: &[(ComponentKind, &str)], b: &[(ComponentKind, &str)], same: bool) {
        assert_eq!(
            same_machine(&machine(a), &machine(b)),
            same,
            "{a:?} vs {b:?}"
        );
        assert_eq!(same_machine(&machine(b), &machine(a)), same, "symmetry");
    }

    const ORIGINAL: &[(ComponentKind, &str)] = &[
        (MachineId, "m1"),
        (Cpu, "xeon x4"),
        (Nic, "52:54:00:00:00:01"),
        (Nic, "52:54:00:00:00:02"),
    ];

    #[test]
    fn a_machine_is_itself() {
        check(ORIGINAL, ORIGINAL, true);
    }

    #[test]
    fn replacing_one_network_card_keeps_the_machine() {
        check(
            ORIGINAL,
            &[
                (MachineId, "m1"),
                (Cpu, "xeon x4"),
                (Nic, "52:54:00:00:00:01"),
                (Nic, "52:54:00:00:00:99"),
            ],
            true,
        );
        check(
            &[(MachineId, "m1"), (Cpu, "xeon x4"), (Nic, "aa")],
            &[(MachineId, "m1"), (Cpu, "xeon x4"), (Nic, "bb")],
            true,
        );
    }

    #[test]
    fn replacing_the_cpu_keeps_the_machine() {
        check(
            ORIGINAL,
            &[
                (MachineId, "m1"),
                (Cpu, "epyc x8"),
                (Nic, "52:54:00:00:00:01"),
                (Nic, "52:54:00:00:00:02"),
            ],
            true,
        );
    }

    #[test]
    fn a_disk_clone_in_other_hardware_is_another_machine() {
        check(
            ORIGINAL,
            &[
                (MachineId, "m1"),
                (Cpu, "epyc x8"),
                (Nic, "52:54:00:00:00:77"),
            ],
            false,
        );
    }

    #[test]
    fn a_reinstall_keeps_the_machine_only_with_a_product_uuid() {
        check(
            &[
                (MachineId, "m1"),
                (ProductUuid, "u1"),
                (Cpu, "xeon"),
                (Nic, "n1"),
            ],
            &[
                (MachineId, "m2"),
                (ProductUuid, "u1"),
                (Cpu, "xeon"),
                (Nic, "n1"),
            ],
            true,
        );
        check(
            &[(MachineId, "m1"), (Cpu, "xeon"), (Nic, "n1")],
            &[(MachineId, "m2"), (Cpu, "xeon"), (Nic, "n1")],
            false,
        );
    }

    #[test]
    fn machine_id_alone_suffices_when_neither_side_has_hardware_readings() {
        check(&[(MachineId, "m1")], &[(MachineId, "m1")], true);
        check(&[(MachineId, "m1")], &[(MachineId, "m2")], false);
    }

    #[test]
    fn a_witness_is_needed_only_where_both_sides_read_the_same_kind_of_hardware() {
        // Nothing comparable (one side's CPU, the other's cards): the machine id decides.
        check(
            &[(MachineId, "m1"), (Cpu, "xeon x4")],
            &[(MachineId, "m1"), (Nic, "n1")],
            true,
        );
        check(
            &[(MachineId, "m1"), (Cpu, "xeon x4")],
            &[(MachineId, "m1")],
            true,
        );
        // Cards on both sides, none shared, the CPU read on one side only: another machine.
        check(
            &[(MachineId, "m1"), (Cpu, "xeon x4"), (Nic, "n1")],
            &[(MachineId, "m1"), (Nic, "n2")],
            false,
        );
        // The same, with the CPU read on both sides and shared: a witness.
        check(
            &[(MachineId, "m1"), (Cpu, "xeon x4"), (Nic, "n1")],
            &[(MachineId, "m1"), (Cpu, "xeon x4"), (Nic, "n2")],
            true,
        );
        // Without a matching anchor, shared hardware is not enough.
        check(
            &[(MachineId, "m1"), (Nic, "n1")],
            &[(MachineId, "m2"), (Nic, "n1")],
            false,
        );
    }

    #[test]
    fn the_system_volume_is_neither_an_anchor_nor_a_witness() {
        // A disk clone into other hardware carries the volume along: still another machine.
        check(
            &[
                (MachineId, "m1"),
                (SystemVolume, "v1"),
                (Cpu, "xeon x4"),
                (Nic, "n1"),
            ],
            &[
                (MachineId, "m1"),
                (SystemVolume, "v1"),
                (Cpu, "epyc x8"),
                (Nic, "n2"),
            ],
            false,
        );
        // The volume alone is no anchor.
        check(
            &[(MachineId, "m1"), (SystemVolume, "v1"), (Cpu, "xeon x4")],
            &[(MachineId, "m2"), (SystemVolume, "v1"), (Cpu, "xeon x4")],
            false,
        );
        // A new or reformatted volume alone keeps the machine.
        check(
            &[
                (MachineId, "m1"),
                (SystemVolume, "v1"),
                (Cpu, "xeon x4"),
                (Nic, "n1"),
            ],
            &[
                (MachineId, "m1"),
                (SystemVolume, "v2"),
                (Cpu, "xeon x4"),
                (Nic, "n1"),
            ],
            true,
        );
        // A volume read on both sides is no hardware to compare: the anchor decides.
        check(
            &[(MachineId, "m1"), (SystemVolume, "v1")],
            &[(MachineId, "m1"), (SystemVolume, "v2")],
            true,
        );
        assert_eq!(
            serde_json::to_string(&SystemVolume).unwrap(),
            "\"system-volume\""
        );
        assert_ne!(c(SystemVolume, "x").hash, c(MachineId, "x").hash);
    }

    #[test]
    fn two_different_machines_are_different() {
        check(
            ORIGINAL,
            &[
                (MachineId, "m2"),
                (Cpu, "xeon x4"),
                (Nic, "52:54:00:00:00:01"),
            ],
            false,
        );
    }

    #[test]
    fn the_code_follows_from_the_components_and_tampering_is_seen() {
        let hw = Hardware::from_components(machine(ORIGINAL), Some("main-1".into()));
        assert!(hw.validate().is_ok());
        let mut reordered = machine(ORIGINAL);
        reordered.reverse();
        assert_eq!(Hardware::from_components(reordered, None).id, hw.id);
        let mut forged = hw.clone();
        forged.components[0] = c(MachineId, "other");
        assert!(forged
            .validate()
            .unwrap_err()
            .to_string()
            .contains("does not belong"));
    }

    #[test]
    fn a_host_name_label_with_hidden_characters_is_refused() {
        for label in ["main-1", "файловый-сервер", "خادم", "サーバー"] {
            let hw = Hardware::from_components(machine(ORIGINAL), Some(label.into()));
            assert_eq!(hw.validate(), Ok(()), "{label}");
        }
        for label in [
            "main\u{1b}[2J",
            "\u{1b}]0;pwned\u{7}",
            "evil\u{202E}txt",
            "a\u{200B}b",
            "",
        ] {
            let hw = Hardware::from_components(machine(ORIGINAL), Some(label.into()));
            let err = hw.validate().unwrap_err().to_string();
            assert!(err.contains("host name"), "{label:?}: {err}");
            // A typed code carries no components, but a label is checked all the same.
            let typed = Hardware {
                label: Some(label.into()),
                ..Hardware::from_code(hw.id.clone())
            };
            assert!(typed.validate().is_err(), "{label:?}");
        }
    }

    #[test]
    fn no_raw_value_appears_in_a_component() {
        let raw = "52:54:00:12:34:56";
        let comp = c(Nic, raw);
        assert!(!comp.hash.contains("525400"));
        assert!(comp.is_well_formed());
        assert_ne!(comp.hash, c(MachineId, raw).hash, "salted per kind");
    }
}
