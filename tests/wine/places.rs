//! Where the Windows build keeps things and which names it writes: the per-user store under
//! %LOCALAPPDATA%, Windows paths, and file names Windows cannot hold refused before anything is
//! written.

use crate::support::*;

#[test]
fn the_store_is_kept_per_user_under_local_app_data() {
    let machine = Machine::new("places");
    // No --store and no LICDESK_STORE: the platform's place (made on first use).
    machine.licdesk(&["list"]).ok();
    let users = machine.drive_c().join("users");
    let stores: Vec<_> = std::fs::read_dir(&users)
        .expect("C:\\users")
        .filter_map(|user| {
            let store = user
                .ok()?
                .path()
                .join("AppData/Local/License Desk/store.sqlite");
            store.exists().then_some(store)
        })
        .collect();
    assert_eq!(
        stores.len(),
        1,
        "one store under C:\\users\\*\\AppData\\Local\\License Desk"
    );
}

#[test]
fn a_file_name_windows_cannot_hold_is_refused_before_anything_is_written() {
    let machine = Machine::new("places");
    for name in [
        "NUL.hwid",
        "com1.hwid",
        "standby 2026-12-03T09:30.hwid",
        "standby?.hwid",
    ] {
        let run = machine.desk("names", &["hwid", "--out", &machine.win(name)]);
        assert_ne!(run.code, 0, "{name} was accepted: {}", run.stdout);
        assert!(
            run.stderr.contains("Windows") && run.stderr.contains(name),
            "{name}: {}",
            run.stderr
        );
    }
    let written: Vec<_> = std::fs::read_dir(machine.host_path(""))
        .expect("the test folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().ends_with(".hwid"))
        .collect();
    assert!(written.is_empty(), "written: {written:?}");
    // A name Windows can hold is written.
    machine
        .desk(
            "names",
            &[
                "hwid",
                "--out",
                &machine.win("standby 2026-12-03 09h30.hwid"),
            ],
        )
        .ok();
    assert!(machine.exists("standby 2026-12-03 09h30.hwid"));
}
