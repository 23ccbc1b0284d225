//! Saving the files people carry: the path the desk suggests (the documents folder, a name made
//! of customer and license), the field a path is typed or pasted into, and the "Choose…" button
//! of the native Save dialog beside it (which WebDriver cannot drive: the field is the way in).

use licdesk_core::Variant;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;
use std::path::{Path, PathBuf};

use crate::support::*;

/// Makes `home`'s documents folder one of its own (XDG `user-dirs.dirs`, as a desktop writes it)
/// and returns it.
fn documents_folder(home: &AppHome, name: &str) -> PathBuf {
    let documents = home.home.join(name);
    std::fs::create_dir_all(&documents).unwrap();
    let config = home.home.join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("user-dirs.dirs"),
        format!("XDG_DOCUMENTS_DIR=\"{}\"\n", documents.display()),
    )
    .unwrap();
    documents
}

/// The value of the path field `css` once the desk has suggested one.
fn suggested(app: &App, css: &str) -> String {
    let field = app.s().find(css).unwrap();
    app.s()
        .wait_for("a suggested path", WAIT, |s| {
            Ok(s.attribute(&field, "value")?.filter(|v| !v.is_empty()))
        })
        .unwrap()
}

#[test]
fn a_request_is_saved_in_the_documents_folder_under_the_customer_and_license_it_is_for() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let documents = documents_folder(&home, "Dokumente");
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    // A name with characters no file name may hold on Windows: they do not reach the name.
    let base = b.base(&demo, "Müller: Büro/Technik GmbH", Variant::Users25, &[]);
    let fo = b.failover(&demo, &base);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let (file, hwid) = hardware_id_file(dir.path(), "standby");
    register_from_file(&app, fo.as_str(), &file, "hot", None);
    wait_text(&app, "#status-text", "Next: export the activation request.");

    click(&app, &format!(".export-standby[data-failover='{fo}']"));
    let path = suggested(&app, "#export-path");
    let expected = documents.join(format!(
        "Müller Büro Technik GmbH – {fo} – standby {}.actreq",
        &hwid[..4]
    ));
    assert_eq!(Path::new(&path), expected);
    // The native Save dialog is one button away, labelled in the user's language; the field
    // stays for a path typed or pasted (a UNC path on a server).
    assert_eq!(app.s().text_of("#export-choose").unwrap(), "Choose…");
    click(&app, "#lang-de");
    wait_text(&app, "#export-choose", "Auswählen…");
    click(&app, "#lang-en");
    app.shot("export-suggested-path");
    // Exported as suggested: the file is there, under that name.
    click(&app, "#export-submit");
    wait_text(&app, "#export-result", "The request was written to");
    assert!(std::fs::read_to_string(&expected)
        .unwrap()
        .starts_with("-----BEGIN LICDESK ACTIVATION REQUEST-----"));
    click(&app, "#export-cancel");
    // The next suggestion does not overwrite it.
    click(&app, &format!(".export-standby[data-failover='{fo}']"));
    let again = suggested(&app, "#export-path");
    assert_eq!(
        Path::new(&again),
        documents.join(format!(
            "Müller Büro Technik GmbH – {fo} – standby {}-2.actreq",
            &hwid[..4]
        ))
    );
    click(&app, "#export-cancel");

    // This machine's hardware-ID file: in the documents folder too, with its own Choose….
    click(&app, "#tab-machine");
    let path = suggested(&app, "#hwfile-path");
    assert_eq!(Path::new(&path).parent(), Some(documents.as_path()));
    assert!(path.ends_with(".hwid"), "{path}");
    assert_eq!(app.s().text_of("#hwfile-choose").unwrap(), "Choose…");
}

#[test]
fn without_a_documents_folder_the_home_folder_is_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A documents folder named that does not exist: the home folder instead.
    let config = home.home.join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("user-dirs.dirs"),
        format!(
            "XDG_DOCUMENTS_DIR=\"{}\"\n",
            home.home.join("gone").display()
        ),
    )
    .unwrap();
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Ohne Dokumente AG", Variant::Users10, &[]);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    click(&app, "#export-main");
    let path = suggested(&app, "#export-path");
    let home_dir = std::env::var_os("HOME").map(PathBuf::from).unwrap();
    assert_eq!(
        Path::new(&path),
        home_dir.join(format!("Ohne Dokumente AG – {base} – main system.actreq"))
    );
}
