//! Filling in the window's dialogs: registering a standby, exporting a request, giving a reason.

use licdesk_tests::app::App;
use std::path::Path;

use super::*;

/// Registers `hwid` typed into the register dialog of `failover`, in `mode`; `shot` names a
/// screenshot of the filled-in dialog.
pub fn register_typed(app: &App, failover: &str, hwid: &str, mode: &str, shot: Option<&str>) {
    click(
        app,
        &format!(".register-standby[data-failover='{failover}']"),
    );
    let input = app.s().find("#hwid-input").unwrap();
    app.s().clear(&input).unwrap();
    app.s().type_text(&input, hwid).unwrap();
    wait_text(app, "#hwid-check", "Valid hardware ID");
    assert!(checked(app, "#source-typed"), "typing chooses the typed ID");
    click(app, &format!("#mode-select option[value='{mode}']"));
    if let Some(name) = shot {
        app.shot(name);
    }
    click(app, "#register-submit");
}

/// Exports the standby activation request of `failover` to `out` through the export dialog,
/// and closes the dialog; `shot` names a screenshot of the dialog with its result.
pub fn export_request(app: &App, failover: &str, out: &Path, shot: Option<&str>) {
    click(app, &format!(".export-standby[data-failover='{failover}']"));
    // R11: the standby's (re-)activation dialog carries the standby/test-only notice.
    let notice = wait_text(app, "#export-notice", "standby or test operation only");
    assert!(notice.contains("at most five consecutive days"), "{notice}");
    let path = app.s().find("#export-path").unwrap();
    app.s()
        .wait_for("a suggested path", WAIT, |s| {
            Ok(s.attribute(&path, "value")?.filter(|v| !v.is_empty()))
        })
        .ok();
    app.s().clear(&path).unwrap();
    app.s()
        .type_text(&path, &out.display().to_string())
        .unwrap();
    click(app, "#export-submit");
    wait_text(app, "#export-result", "The request was written to");
    if let Some(name) = shot {
        app.shot(name);
    }
    click(app, "#export-cancel");
}

/// Registers this machine as the standby of `failover`, in `mode`; returns its hardware ID as the
/// dialog showed it.
pub fn register_this_machine(app: &App, failover: &str, mode: &str) -> String {
    click(
        app,
        &format!(".register-standby[data-failover='{failover}']"),
    );
    let hwid = app
        .s()
        .wait_for("this machine's hardware ID", WAIT, |s| {
            let t = s.text_of("#register-this-id")?;
            Ok(licdesk_core::HardwareId::parse(&t).is_ok().then_some(t))
        })
        .unwrap();
    click(app, "#source-this");
    click(app, &format!("#mode-select option[value='{mode}']"));
    click(app, "#register-submit");
    hwid
}

/// Registers the standby of `failover` from its hardware-ID file, in `mode`: the dialog's
/// default choice, picked with its own button (the native picker is hidden; WebDriver hands it
/// the file as a user's pick would). `shot` names a screenshot of the filled-in dialog.
pub fn register_from_file(app: &App, failover: &str, file: &Path, mode: &str, shot: Option<&str>) {
    click(
        app,
        &format!(".register-standby[data-failover='{failover}']"),
    );
    wait_focus(app, "hwid-file-button");
    assert!(
        checked(app, "#source-file"),
        "the hardware-ID file is the default"
    );
    assert_eq!(
        app.s().text_of("#hwid-file-button").unwrap(),
        "Choose file…"
    );
    wait_text(app, "#hwid-file-name", "No file chosen.");
    // The native picker (with its English "Choose File") cannot be seen, nor reached by Tab.
    let picker_hidden = app
        .s()
        .execute(
            "const e = document.getElementById('hwid-file'); const r = e.getBoundingClientRect();
             return getComputedStyle(e).opacity === '0' && r.width <= 1 && r.height <= 1 && e.tabIndex < 0;",
            vec![],
        )
        .unwrap();
    assert_eq!(picker_hidden, true, "the native picker shows");
    let input = app.s().find("#hwid-file").unwrap();
    app.s()
        .type_text(&input, &file.display().to_string())
        .unwrap();
    let name = file.file_name().unwrap().to_str().unwrap();
    wait_text(app, "#hwid-file-name", &format!("Chosen: {name}"));
    click(app, &format!("#mode-select option[value='{mode}']"));
    if let Some(name) = shot {
        app.shot(name);
    }
    click(app, "#register-submit");
}

/// Gives `reason` in the open reason dialog (the focus is in its text field) and submits it;
/// first submits it empty, which is refused in the user's language.
pub fn give_reason(app: &App, reason: &str) {
    wait_focus(app, "reason-input");
    click(app, "#reason-submit");
    wait_text(app, "#reason-error", "the reason is required");
    assert!(
        !hidden(app, "#reason-dialog"),
        "an empty reason closed the dialog"
    );
    let input = app.s().find("#reason-input").unwrap();
    app.s().type_text(&input, reason).unwrap();
    click(app, "#reason-submit");
    app.s()
        .wait_for("the reason dialog to close", WAIT, |_| {
            Ok(hidden(app, "#reason-dialog").then_some(()))
        })
        .unwrap();
}
