//! A store that cannot be opened: the Licenses screen says what went wrong and what to do, for
//! that reason and in the user's language — never an empty list as if there were no licenses.

use licdesk_tests::app::{App, AppHome};

use crate::support::*;

/// What the window shows in place of the licenses: the error state's text, and whether the list
/// (with its "no licenses" text) can be seen at all.
fn error_state(app: &App) -> (String, bool) {
    let text = wait_text(app, "#store-error", "");
    (text, !hidden(app, ".licenses") || !hidden(app, "#empty"))
}

#[test]
fn a_file_that_is_not_a_store_says_to_restore_it_and_shows_no_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    std::fs::write(
        &home.store,
        "these are not the bytes of a database, but a text file\n".repeat(100),
    )
    .unwrap();
    let app = App::launch(&home);
    let (text, list_shown) = error_state(&app);
    assert!(!list_shown, "the licenses list shows beside the error");
    assert!(
        text.starts_with("The store is damaged, or is not a License Desk store"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Restore {} from a backup.", home.store.display())),
        "{text}"
    );
    assert!(!text.contains("No licenses yet"), "{text}");
    // What the desk said, as the technical detail.
    assert!(text.contains("Details:"), "{text}");
    assert!(hidden(&app, "#error-banner"), "said twice");
    app.shot("store-error-damaged");
    // In German, the desk's English only behind the disclosure.
    click(&app, "#lang-de");
    let text = wait_text(
        &app,
        "#store-error",
        "Der Datenbestand ist beschädigt oder kein Datenbestand von License Desk",
    );
    assert!(text.contains("Stellen Sie"), "{text}");
    assert!(text.contains("Technische Details"), "{text}");
    // The file is as it was: nothing was written over it.
    assert!(std::fs::read_to_string(&home.store)
        .unwrap()
        .starts_with("these are not the bytes"));
}

#[test]
fn a_store_of_a_newer_version_says_to_update_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    {
        let conn = rusqlite::Connection::open(&home.store).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&home.store).unwrap();
    let app = App::launch(&home);
    let (text, list_shown) = error_state(&app);
    assert!(!list_shown, "the licenses list shows beside the error");
    assert!(
        text.starts_with("The store was written by a newer License Desk")
            && text.contains("Install that version of License Desk (or a newer one)"),
        "{text}"
    );
    // The screen says it once, where the licenses would be: not a live banner too.
    assert!(hidden(&app, "#error-banner"));
    // The other screens still work: this machine's hardware ID needs no store.
    click(&app, "#tab-machine");
    wait_text(&app, "#machine-hwid", "-");
    click(&app, "#tab-licenses");
    assert!(!hidden(&app, "#store-error"));
    assert_eq!(std::fs::read(&home.store).unwrap(), before);
}
