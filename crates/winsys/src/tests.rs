//! These tests run on Windows, or under Wine (`cargo test --target x86_64-pc-windows-gnu -p
//! licdesk-winsys`, Wine being the runner). Where they can, they compare with what Windows' own
//! tools say (`reg`, `cmd /c vol`).
#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use super::*;
use std::process::Command;

/// Wine keeps a file's access list as the Unix file's mode: what it reports is derived from the
/// mode (SYSTEM, the owner, Everyone), so entries for other accounts and groups do not show.
fn under_wine() -> bool {
    crate::registry::Key::local_machine(r"Software\Wine")
        .unwrap()
        .is_some()
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(out.status.success(), "{program} {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_machine_guid_is_the_one_the_registry_tool_shows() {
    let guid = machine_guid().unwrap().expect("a machine GUID");
    let shown = run(
        "reg",
        &[
            "query",
            r"HKLM\SOFTWARE\Microsoft\Cryptography",
            "/v",
            "MachineGuid",
        ],
    );
    let value = shown
        .lines()
        .find(|l| l.contains("MachineGuid"))
        .and_then(|l| l.split_whitespace().last())
        .unwrap();
    assert_eq!(guid, value);
    assert_eq!(guid.len(), 36, "{guid}");
}

#[test]
fn the_smbios_table_has_its_header_and_structures() {
    let table = smbios_table().unwrap();
    assert!(table.len() > 8, "{} bytes", table.len());
    let length = u32::from_le_bytes([table[4], table[5], table[6], table[7]]) as usize;
    assert_eq!(
        length,
        table.len() - 8,
        "the header's length is the table's"
    );
    assert!(table[1] >= 2, "SMBIOS major version {}", table[1]);
    // The first structure is a whole one: its length byte covers at least its header.
    assert!(table[8 + 1] >= 4);
}

#[test]
fn the_adapters_are_listed_with_their_type_and_address() {
    let list = adapters().unwrap();
    assert!(!list.is_empty());
    for a in &list {
        assert!(a.name.starts_with('{') && a.name.ends_with('}'), "{a:?}");
        assert!(a.address.len() <= 8, "{a:?}");
    }
    assert!(
        list.iter().any(|a| a.if_type == 24),
        "the loopback adapter is listed: {list:?}"
    );
    // Every numbered entry of the network class key names an adapter by its GUID.
    for entry in network_class_entries().unwrap() {
        assert!(entry.instance_id.starts_with('{'), "{entry:?}");
    }
}

#[test]
fn the_system_volume_serial_is_the_one_vol_shows() {
    let serial = system_volume_serial().unwrap();
    let shown = run("cmd", &["/c", "vol", "c:"]);
    let expected = format!("{:04X}-{:04X}", serial >> 16, serial & 0xffff);
    assert!(shown.contains(&expected), "{expected} in {shown:?}");
}

#[test]
fn a_running_process_is_running_and_an_ended_one_is_not() {
    assert_eq!(is_running(std::process::id()), Some(true));
    let mut child = Command::new("cmd").args(["/c", "exit 0"]).spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    drop(child);
    assert_eq!(is_running(pid), Some(false));
    assert_eq!(is_running(0xFFFF_FFF0), Some(false), "no such process");
}

#[test]
fn sids_have_their_string_form_and_names() {
    let everyone = Sid::well_known(WellKnown::Everyone).unwrap();
    assert_eq!(everyone.to_string(), "S-1-1-0");
    let admins = Sid::well_known(WellKnown::Administrators).unwrap();
    assert_eq!(admins.to_string(), "S-1-5-32-544");
    assert_eq!(Sid::lookup("Administrators").unwrap(), admins);
    let me = Sid::current_user().unwrap();
    assert!(me.to_string().starts_with("S-1-5-"), "{me}");
    let name = me.account_name();
    assert!(!name.starts_with("S-1-"), "{name}");
    assert_eq!(Sid::lookup(&name).unwrap(), me, "{name}");
}

#[test]
fn a_private_file_has_one_entry_its_creator_with_full_control() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    let mut file = create_private_file(&path).unwrap();
    std::io::Write::write_all(&mut file, b"secret").unwrap();
    drop(file);
    assert_eq!(std::fs::read(&path).unwrap(), b"secret");
    let dacl = dacl_of_path(&path).unwrap();
    let entries = dacl.entries.clone().expect("an access list");
    let me = Sid::current_user().unwrap();
    let expected = if under_wine() {
        // Wine reports the mode 0600 it gave the Unix file: SYSTEM and the owner.
        vec![Sid::well_known(WellKnown::System).unwrap(), me]
    } else {
        vec![me]
    };
    let sids: Vec<Sid> = entries.iter().filter_map(|e| e.sid.clone()).collect();
    assert_eq!(sids, expected, "{dacl:?}");
    for entry in &entries {
        assert_eq!(entry.kind, 0, "allow");
        assert_eq!(entry.mask & 0x1f01ff, 0x1f01ff, "full control");
    }
    assert_eq!(dacl.others_who_can_read_or_change().unwrap(), vec![]);
    // The same through an open file.
    let open = std::fs::File::open(&path).unwrap();
    assert_eq!(dacl_of_file(&open).unwrap(), dacl);
    let again = create_private_file(&path).unwrap_err();
    assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
}

#[test]
fn a_file_everyone_may_read_names_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    let me = Sid::current_user().unwrap();
    let everyone = Sid::well_known(WellKnown::Everyone).unwrap();
    let users = Sid::well_known(WellKnown::Users).unwrap();
    let system = Sid::well_known(WellKnown::System).unwrap();
    drop(
        create_file_with_access(
            &path,
            &[
                (me, Access::Full),
                (system, Access::Full),
                (everyone.clone(), Access::Read),
                (users.clone(), Access::Modify),
            ],
        )
        .unwrap(),
    );
    let dacl = dacl_of_path(&path).unwrap();
    let expected = if under_wine() {
        // Groups other than Everyone have no place in a Unix mode.
        vec![everyone]
    } else {
        assert_eq!(dacl.entries.as_ref().map(Vec::len), Some(4), "{dacl:?}");
        vec![everyone, users]
    };
    assert_eq!(
        dacl.others_who_can_read_or_change().unwrap(),
        expected,
        "SYSTEM and the owner are not others: {dacl:?}"
    );
}

#[test]
fn a_shared_folder_gives_its_entries_to_what_is_made_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("License Desk");
    let users = Sid::well_known(WellKnown::Users).unwrap();
    let grants = [
        (Sid::well_known(WellKnown::System).unwrap(), Access::Full),
        (
            Sid::well_known(WellKnown::Administrators).unwrap(),
            Access::Full,
        ),
        (users.clone(), Access::Modify),
    ];
    create_dir_with_access(&path, &grants).unwrap();
    assert!(path.is_dir());
    let dacl = dacl_of_path(&path).unwrap();
    let entries = dacl.entries.clone().unwrap();
    for entry in &entries {
        assert_eq!(
            entry.flags & 0x3,
            0x3,
            "inherited by files and folders: {dacl:?}"
        );
    }
    let sids: Vec<Sid> = entries.iter().filter_map(|e| e.sid.clone()).collect();
    if under_wine() {
        // The Unix mode Wine keeps has room for SYSTEM and the owner only; no one else.
        let me = Sid::current_user().unwrap();
        assert_eq!(sids, vec![grants[0].0.clone(), me], "{dacl:?}");
        assert_eq!(dacl.others_who_can_read_or_change().unwrap(), vec![]);
    } else {
        let given: Vec<Sid> = grants.iter().map(|(sid, _)| sid.clone()).collect();
        assert_eq!(sids, given, "{dacl:?}");
        assert_eq!(dacl.others_who_can_read_or_change().unwrap(), vec![users]);
    }
    let again = create_dir_with_access(&path, &grants).unwrap_err();
    assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
}

#[test]
fn a_file_made_without_an_access_list_shows_what_it_inherits() {
    // What a program that does not care gets: under Wine, the mode the umask leaves (readable
    // by Everyone); on Windows, the folder's inherited entries.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain");
    std::fs::write(&path, b"x").unwrap();
    let dacl = dacl_of_path(&path).unwrap();
    if under_wine() {
        assert_eq!(
            dacl.others_who_can_read_or_change().unwrap(),
            vec![Sid::well_known(WellKnown::Everyone).unwrap()],
            "{dacl:?}"
        );
    } else {
        assert!(dacl.entries.is_some_and(|e| !e.is_empty()));
    }
}

#[test]
fn known_folders_are_where_windows_keeps_them() {
    let data = known_folder(KnownFolder::ProgramData).unwrap();
    assert!(data.is_absolute() && data.is_dir(), "{data:?}");
    assert_eq!(
        data.file_name().unwrap().to_string_lossy().to_lowercase(),
        "programdata"
    );
    let local = known_folder(KnownFolder::LocalAppData).unwrap();
    assert!(local.is_absolute() && local.ends_with("Local"), "{local:?}");
}
