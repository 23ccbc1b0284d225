//! The window's side of teams: the Store dialog chooses this computer's store or a team's store
//! on PostgreSQL by its URL (a database of the tests' throwaway cluster), keeps the choice for
//! the next start, refuses a URL holding a password with the password file's hint and a store it
//! cannot reach without leaving the store it works on; Sync exchanges what each store lacks and
//! says what it did, in English and German. The team's licenses are put there with `licdesk`.

use std::path::{Path, PathBuf};

use licdesk_core::Variant;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// A database of the test cluster for one test (the cluster's superuser connects over its
/// private socket: no password), and the folder its `licdesk` runs keep their local files in.
struct Team {
    url: String,
    data: PathBuf,
}

impl Team {
    fn new(dir: &Path, test: &str) -> Team {
        Team {
            url: licdesk_pgtest::shared().database(test),
            data: dir.join("team-cli-data"),
        }
    }

    /// `licdesk --store URL ARGS`, its local files kept in the test's folder; its stdout.
    fn cli(&self, args: &[&str]) -> String {
        let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
            .arg("--store")
            .arg(&self.url)
            .args(args)
            .env_remove("LICDESK_STORE")
            .env("HOME", &self.data)
            .env("XDG_DATA_HOME", &self.data)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "licdesk {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Imports a base license of `customer`, issued by the demo vendor, into the team's store.
    fn holds(&self, dir: &Path, customer: &str) {
        let vendor = demo_vendor(dir).unwrap();
        let (_, text) =
            licdesk_issuer::issue_base(&vendor, customer, Variant::Users25, vec![], None, 1)
                .unwrap();
        let file = write(dir, &format!("{customer}.lic"), &text);
        self.cli(&["import", file.to_str().unwrap()]);
    }
}

/// A local store holding one base license of `customer`, and the app's home beside it.
fn local_store(dir: &Path, customer: &str) -> AppHome {
    let home = AppHome::in_dir(dir);
    let demo = demo_vendor(dir).unwrap();
    let mut b = StoreBuilder::new(dir, &home);
    b.base(&demo, customer, Variant::Users10, &[]);
    home
}

/// Opens the Store dialog from the toolbar with the keyboard (the toolbar is one Tab stop:
/// End moves to its last button, Store…).
fn open_store_dialog(app: &App) {
    app.s()
        .execute("document.getElementById('import-button').focus();", vec![])
        .unwrap();
    app.s().press(&[], "\u{E010}").unwrap(); // End
    wait_focus(app, "store-button");
    app.s().press(&[], "\u{E007}").unwrap(); // Enter
    app.s()
        .wait_for("the Store dialog", WAIT, |s| {
            let open = s.execute(
                "return document.getElementById('store-dialog').open && document.activeElement && document.activeElement.name === 'store-kind';",
                vec![],
            )?;
            Ok(open.as_bool().unwrap_or(false).then_some(()))
        })
        .unwrap();
}

/// Types `text` into the field `css`, emptied first.
fn type_into(app: &App, css: &str, text: &str) {
    let field = app.s().find(css).unwrap();
    app.s().clear(&field).unwrap();
    app.s().type_text(&field, text).unwrap();
}

/// Chooses the team's store at `url` in the open dialog and saves; the dialog's answer (its
/// result or its error).
fn choose_team_store(app: &App, url: &str) -> String {
    click(app, "#store-kind-team");
    type_into(app, "#store-url", url);
    click(app, "#store-save");
    app.s()
        .wait_for("the choice's answer", WAIT, |s| {
            for css in ["#store-choice-result", "#store-choice-error"] {
                if !hidden(app, css) {
                    return Ok(Some(s.text_of(css)?));
                }
            }
            Ok(None)
        })
        .unwrap()
}

/// Syncs with `url` from the open dialog; the report's text once it is there.
fn sync_with(app: &App, url: &str) -> String {
    type_into(app, "#sync-url", url);
    assert!(!disabled(app, "#sync-start"), "Sync is disabled");
    click(app, "#sync-start");
    app.s()
        .wait_for("the sync's report", IMPORT_WAIT, |s| {
            assert!(
                hidden(app, "#sync-error"),
                "the sync failed: {}",
                s.text_of("#sync-error")?
            );
            Ok((!hidden(app, "#sync-report")).then_some(()))
        })
        .unwrap();
    app.s().text_of("#sync-report").unwrap()
}

/// Waits until the header says the store is at `path` (its text, which is cut with an
/// ellipsis on screen: WebKitWebDriver reads no text from it).
fn wait_store_path(app: &App, path: &str) {
    app.s()
        .wait_for(&format!("the store at {path} in the header"), WAIT, |s| {
            let text = s.execute(
                "return document.getElementById('store-path').textContent;",
                vec![],
            )?;
            Ok(text
                .as_str()
                .is_some_and(|t| t.contains(path))
                .then_some(()))
        })
        .unwrap();
}

/// A count of the sync's report (`received-files`, `sent-audit_entries` …).
fn count(app: &App, which: &str) -> String {
    app.s()
        .text_of(&format!("#sync-report [data-count='{which}']"))
        .unwrap()
}

#[test]
fn a_teams_store_chosen_by_its_url_shows_its_licenses_and_opens_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let home = local_store(dir.path(), "Laptop Kunde");
    let team = Team::new(dir.path(), "window_choice");
    team.holds(dir.path(), "Team GmbH");
    let app = App::launch(&home);
    wait_rows(&app, 1);

    open_store_dialog(&app);
    let now = app.s().text_of("#store-dialog").unwrap();
    assert!(now.contains(&home.store.display().to_string()), "{now}");
    let answer = choose_team_store(&app, &team.url);
    assert!(
        answer.contains("works on the team's store") && answer.contains(&team.url),
        "{answer}"
    );
    wait_text(&app, "#rows", "Team GmbH");
    assert_eq!(rows(&app).len(), 1);
    wait_store_path(&app, &team.url);
    // What stays on this computer: a folder of that database's own in the user's data folder.
    let kept = app.s().text_of("#store-home").unwrap();
    let postgres_homes = home.home.join("data/license-desk/postgres");
    assert!(
        kept.contains(&postgres_homes.display().to_string()),
        "{kept}"
    );
    // The window works on that store: there is nothing to sync with it.
    type_into(&app, "#sync-url", &team.url);
    app.s()
        .wait_for("Sync disabled", WAIT, |_| {
            Ok((disabled(&app, "#sync-start") && !hidden(&app, "#sync-same")).then_some(()))
        })
        .unwrap();
    app.shot("store-dialog");

    // Kept in the settings, for this user only, without a password (there was none).
    let settings = std::fs::read_to_string(home.settings()).unwrap();
    assert!(settings.contains(&team.url), "{settings}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.settings())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    drop(app);

    // The next start opens the team's store (LICDESK_STORE, which wins, unset).
    let app = App::launch(&home.clone().without_store_env());
    let rows = wait_rows(&app, 1);
    assert!(rows[0].contains("Team GmbH"), "{rows:?}");
    // Back to this computer's store: this user's own, empty for now.
    open_store_dialog(&app);
    assert!(
        app.s()
            .text_of("#store-local")
            .unwrap()
            .contains(&home.default_store().display().to_string()),
        "this computer's store is not the user's own"
    );
    click(&app, "#store-kind-local");
    click(&app, "#store-save");
    wait_text(&app, "#store-choice-result", "this computer's store");
    wait_text(&app, "#empty", "No licenses yet");
    let settings = std::fs::read_to_string(home.settings()).unwrap();
    assert!(!settings.contains("team_store"), "{settings}");
}

#[test]
fn a_url_with_a_password_is_refused_with_the_password_files_hint_and_one_unreachable_changes_nothing(
) {
    let dir = tempfile::tempdir().unwrap();
    let home = local_store(dir.path(), "Laptop Kunde");
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_store_dialog(&app);

    let secret = "s3cret-e2e";
    let answer = choose_team_store(
        &app,
        &format!("postgres://desk:{secret}@%2Fnowhere-licdesk-e2e/store"),
    );
    assert!(
        answer.contains("postgres://desk:***@%2Fnowhere-licdesk-e2e/store holds a password")
            && answer.contains("password file (~/.pgpass"),
        "{answer}"
    );
    let page = app
        .s()
        .execute("return document.body.innerText;", vec![])
        .unwrap();
    assert!(
        !page.as_str().unwrap().contains(secret),
        "the password shown"
    );
    assert!(!home.settings().exists(), "settings written");

    let answer = choose_team_store(&app, "postgres://desk@%2Fnowhere-licdesk-e2e/store");
    assert!(
        answer.starts_with("The store could not be opened")
            && answer.contains(&format!("License Desk stays on {}", home.store.display())),
        "{answer}"
    );
    app.shot("store-unreachable");
    assert!(!home.settings().exists(), "settings written");
    click(&app, "#store-close");
    let rows = wait_rows(&app, 1);
    assert!(rows[0].contains("Laptop Kunde"), "{rows:?}");
    wait_store_path(&app, &home.store.display().to_string());
}

#[test]
fn sync_brings_the_teams_license_here_and_this_stores_to_the_team() {
    let dir = tempfile::tempdir().unwrap();
    let home = local_store(dir.path(), "Laptop Kunde");
    let team = Team::new(dir.path(), "window_sync");
    team.holds(dir.path(), "Team GmbH");
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_store_dialog(&app);

    let report = sync_with(&app, &team.url);
    assert!(
        report.contains(&format!("Synced with {}", team.url)),
        "{report}"
    );
    assert_eq!(count(&app, "received-files"), "1", "{report}");
    assert_eq!(count(&app, "sent-files"), "1", "{report}");
    assert!(
        app.s().find_all("#sync-refusals li").unwrap().is_empty(),
        "{report}"
    );
    app.shot("sync-report");
    click(&app, "#store-close");
    let rows = wait_rows(&app, 2);
    assert!(
        rows.iter().any(|r| r.contains("Team GmbH"))
            && rows.iter().any(|r| r.contains("Laptop Kunde")),
        "{rows:?}"
    );
    let listed = team.cli(&["list"]);
    assert!(
        listed.contains("Team GmbH") && listed.contains("Laptop Kunde"),
        "{listed}"
    );
    // Kept as the store synced with: offered again next time.
    open_store_dialog(&app);
    let offered = app
        .s()
        .execute("return document.getElementById('sync-url').value;", vec![])
        .unwrap();
    assert_eq!(offered.as_str(), Some(team.url.as_str()));
}

#[test]
fn a_conflict_of_sync_is_said_with_whose_registration_was_set_aside_and_by_which_rule() {
    // Both stores hold one FailoverSuite; each registered another standby for it, pending: the
    // later registration replaces the earlier one (the larger hardware ID at the same second).
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let (base, base_text) =
        licdesk_issuer::issue_base(&demo, "Konflikt AG", Variant::Users25, vec![], None, 1)
            .unwrap();
    let (fo, fo_text) = licdesk_issuer::issue_failover(&demo, &base.license).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.import(&base_text);
    b.import(&fo_text);
    let here = typed_hwid("standby-here");
    b.desk
        .register_standby(
            &fo.license,
            &licdesk_desk::MachineChoice::Typed(here.clone()),
            licdesk_core::StandbyMode::Cold,
        )
        .unwrap();
    drop(b);
    let team = Team::new(dir.path(), "window_conflict");
    for (name, text) in [("base.lic", &base_text), ("fo.lic", &fo_text)] {
        let file = write(dir.path(), name, text);
        team.cli(&["import", file.to_str().unwrap()]);
    }
    let there = typed_hwid("standby-there");
    team.cli(&[
        "standby",
        "register",
        "--failover",
        fo.license.as_str(),
        "--hwid",
        &there,
    ]);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_store_dialog(&app);
    let report = sync_with(&app, &team.url);
    let conflicts = app.s().find_all("#sync-conflicts li").unwrap();
    assert_eq!(conflicts.len(), 1, "{report}");
    let said = app.s().text(&conflicts[0]).unwrap();
    assert!(
        said.contains(fo.license.as_str())
            && said.contains("was set aside, as the later registration replaces a pending one"),
        "{said}"
    );
    // Kept the one, set the other aside, whichever store lost.
    let (kept, set_aside) = if said.contains("this store's own") {
        (&there, &here)
    } else {
        (&here, &there)
    };
    let kept_at = said.find(kept.as_str()).expect("the kept standby named");
    let aside_at = said
        .find(set_aside.as_str())
        .expect("the one set aside named");
    assert!(kept_at < aside_at, "{said}");
    // Each said in the window's language from its values: a standby, when, still pending.
    assert_eq!(said.matches("standby").count(), 2, "{said}");
    assert_eq!(said.matches("pending").count(), 3, "{said}");
    app.shot("sync-conflict");
}

#[test]
fn the_store_dialog_and_the_sync_report_speak_german() {
    let dir = tempfile::tempdir().unwrap();
    let home = local_store(dir.path(), "Laptop Kunde");
    let team = Team::new(dir.path(), "window_sync_de");
    team.holds(dir.path(), "Team GmbH");
    let app = App::launch(&home);
    wait_rows(&app, 1);
    click(&app, "#lang-de");
    wait_text(&app, "#store-button", "Datenbestand…");
    open_store_dialog(&app);
    // (Its part headings are shown in capitals.)
    let dialog = app.s().text_of("#store-dialog").unwrap().to_lowercase();
    for german in [
        "Wo der Datenbestand jetzt liegt",
        "Datenbestand dieses Computers",
        "Datenbestand eines Teams auf PostgreSQL",
        "Passwortdatei",
        "Mit dem Datenbestand eines Teams abgleichen",
    ] {
        assert!(
            dialog.contains(&german.to_lowercase()),
            "{german}: {dialog}"
        );
    }
    let report = sync_with(&app, &team.url);
    assert!(
        report.contains(&format!("Abgeglichen mit {}", team.url))
            && report.contains("Von diesem Datenbestand empfangen")
            && report.contains("An den Datenbestand des Teams gesendet")
            && report.contains("Signierte Dateien"),
        "{report}"
    );
    let english = english_left(&app);
    assert!(english.is_empty(), "English in German: {english:?}");
    app.shot("sync-report-de");
    // A URL with a password, refused in German.
    let answer = choose_team_store(&app, "postgres://desk:geheim@%2Fnirgends/store");
    assert!(
        answer.contains("enthält ein Passwort") && answer.contains("Passwortdatei"),
        "{answer}"
    );
}
