//! The "This machine" and "Vendor keys" screens: shown read-only.

use licdesk_tests::app::{App, AppHome};

use crate::support::*;

#[test]
fn this_machine_and_the_vendor_keys_are_shown_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let mut b = StoreBuilder::new(dir.path(), &home);
    let real = b.trusted_vendor();
    drop(b);
    let this = licdesk_desk::this_machine().unwrap();
    let app = App::launch(&home);
    click(&app, "#tab-machine");
    let shown = wait_text(&app, "#machine-hwid", this.id.as_str());
    assert_eq!(shown, this.id.as_str());
    click(&app, "#copy-hwid");
    wait_text(&app, "#copy-status", "Copied");
    app.shot("this-machine");
    click(&app, "#tab-keys");
    let keys = wait_text(&app, "#keys-rows", "Real Vendor AG");
    assert!(
        keys.contains(real.key_id().as_str()) && keys.contains("added with licdesk trust add"),
        "{keys}"
    );
    assert!(
        keys.contains("Demo Vendor (DEMO)") && keys.contains("built into License Desk"),
        "{keys}"
    );
    let page = app.s().text_of("#view-keys").unwrap();
    assert!(page.contains("this window cannot add keys"), "{page}");
    assert!(
        app.s()
            .find_all("#view-keys input, #view-keys button:not(.copy-btn)")
            .unwrap()
            .is_empty(),
        "read-only: nothing but copy buttons"
    );
    click(
        &app,
        &format!("#view-keys [data-copy='{}']", real.key_id().as_str()),
    );
    wait_text(
        &app,
        "#status-text",
        &format!("Key ID {} copied", real.key_id().as_str()),
    );
    app.shot("vendor-keys");
}
