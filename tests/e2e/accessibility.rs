//! Accessibility: axe-core's rules run in the real window on every screen — the licenses list,
//! the journals banner, the detail of a license with a standby and of one with a five-day
//! violation, the register, export and reason dialogs, the import panel after refused files,
//! this machine and the vendor keys — in English and in German, and find no serious or critical
//! violation.
//!
//! axe-core is fetched by scripts/setup.sh (a pinned version from the npm registry) into the
//! target folder. It is run through WebDriver: its source is executed inside the script
//! WebDriver runs, which the page's CSP does not govern, so the product carries nothing for it.

use licdesk_core::{Role, StandbyMode, Variant};
use licdesk_desk::{IfExists, MachineChoice};
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// The axe-core version scripts/setup.sh fetches (its `AXE_VERSION=`).
fn axe_version() -> String {
    let setup = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/setup.sh"),
    )
    .unwrap();
    setup
        .lines()
        .find_map(|l| l.strip_prefix("AXE_VERSION="))
        .expect("scripts/setup.sh names AXE_VERSION")
        .trim()
        .to_string()
}

/// axe-core's source, from where scripts/setup.sh put it.
fn axe_source() -> String {
    let version = axe_version();
    let path = licdesk_tests::target_debug()
        .join("..")
        .join(format!("axe-core-{version}/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core {version} is not at {} ({e}): run `make setup` (scripts/setup.sh fetches it \
             from the npm registry into the target folder)",
            path.display()
        )
    })
}

/// Loads axe-core into the page once (its source runs inside the WebDriver script, where the
/// page's CSP does not apply); `window.axe` stays for the page's life.
fn load_axe(app: &App, source: &str) {
    let loaded = app
        .s()
        .execute(
            &format!("if (!window.axe) {{\n{source}\n}}\nreturn typeof window.axe.run;"),
            vec![],
        )
        .unwrap();
    assert_eq!(loaded, "function", "axe-core did not load");
}

/// Runs axe-core on the whole page, its experimental rules too (label-content-name-mismatch is
/// one: a name that does not hold the visible text): how many rules it applied, and each
/// serious or critical violation as "rule (impact) on target: help. summary".
const RUN_AXE: &str = "const experimental = Object.fromEntries(
    window.axe.getRules(['experimental']).map((rule) => [rule.ruleId, { enabled: true }]));
  return window.axe.run(document, { resultTypes: ['violations'], rules: experimental }).then((r) => [
    r.passes.length + r.violations.length + r.incomplete.length,
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}) on ${n.target.join(' ')}: ${v.help}. ${n.failureSummary || ''}`.trim())),
  ]);";

fn serious_violations(app: &App) -> Vec<String> {
    let result = app.s().execute(RUN_AXE, vec![]).unwrap();
    let rules = result[0].as_u64().unwrap();
    assert!(rules > 20, "axe-core applied only {rules} rules");
    result[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The serious and critical violations on the screen shown, in English and then in German
/// (the screen is left in English), each prefixed with the screen and the language.
fn check_screen(app: &App, screen: &str, found: &mut Vec<String>) {
    for (lang, button, shows) in [
        ("en", "#lang-en", "Licenses"),
        ("de", "#lang-de", "Lizenzen"),
    ] {
        click(app, button);
        wait_text(app, "#tab-licenses", shows);
        let violations = serious_violations(app);
        eprintln!(
            "{screen} ({lang}): {} serious or critical",
            violations.len()
        );
        app.shot(&format!(
            "accessibility-{}-{lang}",
            screen.replace(' ', "-")
        ));
        found.extend(
            violations
                .into_iter()
                .map(|v| format!("{screen} ({lang}): {v}")),
        );
    }
    click(app, "#lang-en");
    wait_text(app, "#tab-licenses", "Licenses");
}

/// A store with a license whose standby (this machine) is active, and one whose FailoverSuite
/// has no standby registered here and a usage journal with an ended five-day violation; a
/// journal whose signature fails (the journals banner); and files to import, some refused.
struct Store {
    dir: tempfile::TempDir,
    home: AppHome,
    active: licdesk_core::LicenseNumber,
    active_fo: licdesk_core::LicenseNumber,
    violated: licdesk_core::LicenseNumber,
    violated_fo: licdesk_core::LicenseNumber,
    journal: std::path::PathBuf,
    unverified: std::path::PathBuf,
}

fn store() -> Store {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // An ended violation: 150 h under load, then idle for 28 h.
    let (violated, violated_fo, journal) =
        standby_with_journal(dir.path(), &home, &[("load", 150), ("idle", 28)]);
    let text = std::fs::read_to_string(&journal).unwrap();
    let unverified = write(
        dir.path(),
        "changed.journal",
        &with_payload_changed(&text, 1, 10),
    );
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let active = b.base(
        &demo,
        "Barrierefrei GmbH",
        Variant::Users250,
        &[("XOM.11000", "Fax Gateway", 2)],
    );
    let fo = b.failover(&demo, &active);
    b.desk
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Hot)
        .unwrap();
    let request = dir.path().join("active.actreq");
    b.desk
        .write_request(&fo, Role::Standby, None, &request, IfExists::Refuse)
        .unwrap();
    // The vendor's ledger of the first license has this machine as its standby already (R4):
    // this one is another vendor ledger's.
    let ledger = dir.path().join("other-ledger");
    std::fs::create_dir_all(&ledger).unwrap();
    let (ok, err, response) = vendor_activates(&ledger, &request);
    assert!(ok, "{err}");
    b.import(&std::fs::read_to_string(response).unwrap());
    drop(b);
    Store {
        dir,
        home,
        active,
        active_fo: fo,
        violated,
        violated_fo,
        journal,
        unverified,
    }
}

#[test]
fn axe_core_finds_no_serious_or_critical_violation_on_any_screen_in_either_language() {
    let axe = axe_source();
    let s = store();
    let app = App::launch(&s.home);
    wait_rows(&app, 2);
    load_axe(&app, &axe);

    // The check itself can fail: a button without a name and one whose name does not hold its
    // visible text, put into the page for a moment, are found (critical; serious, by an
    // experimental rule), and found no more once they are gone.
    app.s()
        .execute(
            "const head = document.querySelector('.topbar');
             const unnamed = document.createElement('button'); unnamed.id = 'axe-unnamed';
             const mismatch = document.createElement('button'); mismatch.id = 'axe-mismatch';
             mismatch.textContent = 'Import'; mismatch.setAttribute('aria-label', 'Close');
             head.append(unnamed, mismatch); return true;",
            vec![],
        )
        .unwrap();
    let canaries = serious_violations(&app);
    for expected in [
        "button-name (critical) on #axe-unnamed",
        "label-content-name-mismatch (serious) on #axe-mismatch",
    ] {
        assert!(
            canaries.iter().any(|v| v.starts_with(expected)),
            "axe-core did not find {expected}: {canaries:?}"
        );
    }
    app.s()
        .execute(
            "document.getElementById('axe-unnamed').remove();
             document.getElementById('axe-mismatch').remove(); return true;",
            vec![],
        )
        .unwrap();

    let mut found = Vec::new();
    // The licenses list, with the journals banner of a journal whose signature fails (opened).
    import_through_picker(&app, &[&s.unverified]);
    click(&app, "#import-close");
    click(&app, "#journals-toggle");
    wait_text(&app, "#journals-list", "Imported on");
    check_screen(&app, "licenses list and journals banner", &mut found);

    // The detail of a license with an active standby.
    open_detail(&app, s.active.as_str());
    wait_text(&app, "#detail", "Hot standby");
    check_screen(&app, "detail with an active standby", &mut found);
    // The export dialog, for this standby's release request (on this desk, a standby itself,
    // the main system's request is not offered: R4; the active standby needs no new request).
    click(
        &app,
        &format!(".release-standby[data-failover='{}']", s.active_fo),
    );
    wait_text(&app, "#export-heading", "release");
    check_screen(&app, "export dialog", &mut found);
    click(&app, "#export-cancel");

    // The detail of a license with a five-day violation, from an imported usage journal.
    open_detail(&app, s.violated.as_str());
    import_through_picker(&app, &[&s.journal]);
    let block = format!("section[data-failover='{}'] .five-days", s.violated_fo);
    wait_text(&app, &block, "Violation");
    check_screen(&app, "detail with a five-day violation", &mut found);
    // The reason dialog of acknowledging it.
    click(
        &app,
        &format!(".acknowledge-violations[data-failover='{}']", s.violated_fo),
    );
    wait_text(&app, "#reason-heading", "Acknowledge the violation");
    check_screen(&app, "reason dialog", &mut found);
    click(&app, "#reason-cancel");
    // The register dialog of its FailoverSuite.
    click(
        &app,
        &format!(".register-standby[data-failover='{}']", s.violated_fo),
    );
    wait_text(&app, "#register-heading", "Register the standby");
    check_screen(&app, "register dialog", &mut found);
    click(&app, "#register-cancel");
    // The guided Add FailoverSuite dialog of the same base license.
    click(&app, "#add-failover");
    wait_text(&app, "#add-failover-heading", "FailoverSuite");
    check_screen(&app, "add FailoverSuite dialog", &mut found);
    click(&app, "#add-failover-cancel");

    // The import panel after an import with refused files.
    let empty = write(s.dir.path(), "empty.lic", "");
    let not_ours = write(s.dir.path(), "notes.txt", "shopping list");
    let panel = import_through_picker(&app, &[&empty, &not_ours, &s.unverified]);
    assert!(panel.contains("refused"), "{panel}");
    check_screen(&app, "import panel with refused files", &mut found);

    // The Store dialog, with the report of a sync with a team's store (an empty database of
    // the tests' cluster, which receives this store's files).
    click(&app, "#import-close");
    click(&app, "#store-button");
    let team = licdesk_pgtest::shared().database("axe_store");
    let field = app.s().find("#sync-url").unwrap();
    app.s().clear(&field).unwrap();
    app.s().type_text(&field, &team).unwrap();
    click(&app, "#sync-start");
    wait_text(&app, "#sync-report", &team);
    check_screen(&app, "store dialog with a sync report", &mut found);
    click(&app, "#store-close");

    // This machine, and the vendor keys.
    click(&app, "#tab-machine");
    wait_text(
        &app,
        "#machine-hwid",
        licdesk_desk::this_machine().unwrap().id.as_str(),
    );
    check_screen(&app, "this machine", &mut found);
    click(&app, "#tab-keys");
    wait_text(&app, "#keys-rows", "built into License Desk");
    check_screen(&app, "vendor keys", &mut found);

    assert!(
        found.is_empty(),
        "{} serious or critical accessibility violations:\n{}",
        found.len(),
        found.join("\n")
    );
}
