//! Hardware IDs: another machine has another one and keeps it, a hardware-ID file names no raw MAC
//! address or machine ID, and mistyped license numbers and hardware IDs are caught by their check
//! characters.

use crate::support::*;

#[test]
fn mistyped_license_numbers_and_hardware_ids_are_caught_by_their_check_characters() {
    let w = World::new();
    let v = setup(&w);
    let (base, bf) = w.issue_base(&v, "Typo GmbH", "10", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    w.desk("main", &["import", &bf, &ff]).ok();
    let before = w.dump("main");
    let mut typo: Vec<char> = base.chars().collect();
    let i = typo.len() - 4;
    typo[i] = if typo[i] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    w.desk("main", &["show", &typo]).refused("check characters");
    let id = typed_hwid("typo standby").to_string();
    let swapped: String = {
        let mut c: Vec<char> = id.chars().collect();
        let (a, b) = if c[0] != c[1] { (0, 1) } else { (1, 2) };
        c.swap(a, b);
        c.into_iter().collect()
    };
    w.desk(
        "main",
        &["standby", "register", "--failover", &fo, "--hwid", &swapped],
    )
    .refused("check characters");
    w.desk(
        "main",
        &["standby", "register", "--failover", &fo, "--hwid", "ABCD"],
    )
    .refused("expected a hardware ID like");
    assert_eq!(w.dump("main"), before);
}

#[test]
fn another_machine_has_another_hardware_id_and_keeps_it() {
    if !root_or_skipped_knowingly("another_machine_has_another_hardware_id_and_keeps_it") {
        return;
    }
    let w = World::new();
    let this = w.desk("main", &["--json", "hwid"]).ok().json();
    let other = w
        .desk_on_machine(&STANDBY_1, "standby", &["--json", "hwid"])
        .ok()
        .json();
    let again = w
        .desk_on_machine(&STANDBY_1, "standby", &["--json", "hwid"])
        .ok()
        .json();
    assert_ne!(this["hardware_id"], other["hardware_id"]);
    assert_eq!(other["hardware_id"], again["hardware_id"]);
    assert_eq!(other["label"], "standby-1");
    let third = w
        .desk_on_machine(&STANDBY_2, "standby", &["--json", "hwid"])
        .ok()
        .json();
    assert_ne!(third["hardware_id"], other["hardware_id"]);
}

#[test]
fn a_hardware_id_file_names_no_raw_mac_address_or_machine_id() {
    let w = World::new();
    let file = w.p("this.hwid");
    w.desk("main", &["hwid", "--out", &file]).ok();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("-----BEGIN LICDESK HARDWARE ID-----"));
    let body: String = text
        .lines()
        .skip_while(|l| !l.is_empty())
        .skip(1)
        .take_while(|l| !l.starts_with("-----"))
        .collect();
    use base64::Engine;
    let payload = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap();
    let machine_id = std::fs::read_to_string("/etc/machine-id").unwrap_or_default();
    if !machine_id.trim().is_empty() {
        assert!(
            !payload.contains(machine_id.trim()),
            "raw machine id in {payload}"
        );
    }
    for entry in std::fs::read_dir("/sys/class/net")
        .into_iter()
        .flatten()
        .flatten()
    {
        let mac = std::fs::read_to_string(entry.path().join("address")).unwrap_or_default();
        let mac = mac.trim();
        if !mac.is_empty() && mac != "00:00:00:00:00:00" {
            assert!(
                !payload.to_lowercase().contains(mac),
                "raw MAC {mac} in {payload}"
            );
            assert!(
                !payload.to_lowercase().contains(&mac.replace(':', "")),
                "raw MAC {mac} in {payload}"
            );
        }
    }
}
