//! Bulk imports in the window, through the import's path field as reseller staff paste a folder
//! of vendor files: thousands of files with a progress bar that moves, the summary by reason, the
//! list of files filtered and read, the results staying until closed, the log read back; Cancel
//! part way (the store holds exactly what the summary says, a second import finishes the rest);
//! a second import while one runs; a tampered journal counted as refused; a folder that does not
//! exist.

use std::path::{Path, PathBuf};
use std::time::Duration;

use licdesk_core::Variant;
use licdesk_desk::Desk;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// `count` base certificates of the demo vendor in `folder`, named `{prefix}-00000.lic` on.
fn bases(
    demo: &licdesk_issuer::VendorKey,
    folder: &Path,
    prefix: &str,
    count: usize,
) -> Vec<String> {
    std::fs::create_dir_all(folder).unwrap();
    (0..count)
        .map(|n| {
            let (_, text) = licdesk_issuer::issue_base(
                demo,
                &format!("Massenimport {prefix} {n:05}"),
                Variant::Users10,
                vec![],
                None,
                1,
            )
            .unwrap();
            std::fs::write(folder.join(format!("{prefix}-{n:05}.lic")), &text).unwrap();
            text
        })
        .collect()
}

/// The number at the start of `text` after `after` ("1,234" → 1234).
fn number_after(text: &str, after: &str) -> usize {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("'{after}' in {text}"))
        + after.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("a number after '{after}' in {text}"))
}

fn licenses_in_store(home: &AppHome) -> u64 {
    Desk::open(&home.store)
        .unwrap()
        .list("", 0, 1)
        .unwrap()
        .total
}

/// Records every state of the progress bar the window shows (a test-side observer of the page).
const WATCH_PROGRESS: &str = "window.seenProgress = [];
    const counts = document.getElementById('import-counts');
    new MutationObserver(() => {
      const bar = document.getElementById('import-progress');
      window.seenProgress.push([Number(bar.value), Number(bar.max), counts.textContent]);
    }).observe(counts, {childList: true, characterData: true, subtree: true});
    return true;";

#[test]
fn two_thousand_files_from_a_folder_path_show_progress_a_summary_by_reason_a_filtered_list_and_a_log(
) {
    let dir = tempfile::tempdir().unwrap();
    // "Open log" starts the desktop's xdg-open: here a stand-in that notes what it was asked.
    let programs = dir.path().join("programs");
    std::fs::create_dir(&programs).unwrap();
    let xdg_open = programs.join("xdg-open");
    let stand_in = |status: u8| {
        std::fs::write(
            &xdg_open,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened\"\nexit {status}\n"
            ),
        )
        .unwrap();
        std::fs::set_permissions(
            &xdg_open,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
    };
    stand_in(0);
    let home = AppHome::in_dir(dir.path()).with_programs(&programs);
    let demo = demo_vendor(dir.path()).unwrap();
    let folder = dir.path().join("Lieferung März");
    let texts = bases(&demo, &folder, "base", 1_880);
    // Refused: another certificate's signature (60), a vendor this desk does not trust (40),
    // empty files (20).
    let other_signature = texts[0]
        .lines()
        .find(|l| l.starts_with("Signature: "))
        .unwrap()
        .to_string();
    for (n, text) in texts[1..=60].iter().enumerate() {
        let own = text.lines().find(|l| l.starts_with("Signature: ")).unwrap();
        std::fs::write(
            folder.join(format!("changed-{n:05}.lic")),
            text.replace(own, &other_signature),
        )
        .unwrap();
    }
    let stranger = licdesk_issuer::keygen(
        &dir.path().join("stranger.key"),
        "Stranger",
        licdesk_issuer::IfExists::Refuse,
    )
    .unwrap();
    bases(&stranger, &folder, "stranger", 40);
    for n in 0..20 {
        std::fs::write(folder.join(format!("empty-{n:05}.lic")), "").unwrap();
    }
    let app = App::launch(&home);
    wait_rows(&app, 0);

    let started = std::time::Instant::now();
    app.s().execute(WATCH_PROGRESS, vec![]).unwrap();
    submit_import_paths(&app, &folder.display().to_string());
    let panel = wait_import_summary(&app);
    let took = started.elapsed();
    assert!(
        panel.contains("Import finished: 1,880 of 2,000 files accepted."),
        "{panel}"
    );
    // The bar moved: states between empty and full, in order, with their counts.
    let seen = app
        .s()
        .execute("return window.seenProgress;", vec![])
        .unwrap();
    let seen: Vec<(u64, u64, String)> = serde_json::from_value(seen).unwrap();
    // (Before the files are counted, the bar has no value and no counts.)
    let seen: Vec<(u64, u64, String)> = seen.into_iter().filter(|s| !s.2.is_empty()).collect();
    let between: Vec<&(u64, u64, String)> = seen
        .iter()
        .filter(|(v, max, _)| *v > 0 && v < max)
        .collect();
    assert!(between.len() >= 2, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    assert!(seen.iter().all(|(_, max, _)| *max == 2_000), "{seen:?}");
    assert!(
        between[0]
            .2
            .starts_with("250 of 2,000 files · accepted 250 · "),
        "{seen:?}"
    );
    // The summary: accepted by what the files did, refused by reason.
    let tally = app.s().text_of("#import-tally").unwrap();
    for line in [
        "Accepted: 1,880",
        "Base licenses imported: 1,880",
        "Already there: 0",
        "Refused: 120",
        "60 files: The signature does not match: the file was changed after it was signed.",
        "40 files: The file is signed by a vendor key this License Desk does not trust.",
        "20 files: The file is empty.",
    ] {
        assert!(tally.contains(line), "'{line}' in {tally}");
    }
    app.shot("bulk-import-summary");

    // The list: one Tab stop, only the rows in view in the page, whatever the number of files.
    let list = app
        .s()
        .execute(
            "const box = document.getElementById('import-files');
             const rows = box.querySelectorAll('[role=option]');
             return [rows.length, rows[0].getAttribute('aria-setsize'), box.tabIndex,
                     box.querySelectorAll('[tabindex]').length, document.documentElement.scrollHeight <= window.innerHeight + 1];",
            vec![],
        )
        .unwrap();
    let list: (usize, String, i64, usize, bool) = serde_json::from_value(list).unwrap();
    assert!(
        list.0 <= 9 && list.1 == "2000" && list.2 == 0 && list.3 == 0 && list.4,
        "{list:?}"
    );
    // Filtered by reason, then by text; one refused file's reason read.
    click(&app, "#import-filter option[value='reason:bad_signature']");
    let first = wait_text(&app, "#import-files", "changed-");
    assert_eq!(
        app.s()
            .attribute(
                &app.s().find("#import-files [role=option]").unwrap(),
                "aria-setsize"
            )
            .unwrap()
            .as_deref(),
        Some("60"),
        "{first}"
    );
    let search = app.s().find("#import-search").unwrap();
    app.s().type_text(&search, "changed-00007").unwrap();
    let row = wait_text(&app, "#import-files", "changed-00007.lic");
    assert!(!row.contains("changed-00008"), "{row}");
    assert!(
        row.contains("changed-00007.lic: refused. The signature does not match"),
        "{row}"
    );
    let detail = app.s().text_of("#import-file-detail").unwrap();
    assert!(
        detail.contains(&folder.join("changed-00007.lic").display().to_string())
            && detail.contains("The signature does not match"),
        "{detail}"
    );
    // The keyboard: Tab from the text filter into the list (one stop), the arrow keys inside
    // it, Tab out of it at once.
    app.s().clear(&search).unwrap();
    click(&app, "#import-filter option[value='all']");
    app.s().type_text(&search, "\u{E004}").unwrap(); // Tab
    wait_focus(&app, "import-files");
    let listbox = app.s().find("#import-files").unwrap();
    app.s().type_text(&listbox, "\u{E015}\u{E015}").unwrap(); // ArrowDown twice
    let active = app
        .s()
        .attribute(&listbox, "aria-activedescendant")
        .unwrap();
    assert_eq!(active.as_deref(), Some("import-file-2"));
    app.s().type_text(&listbox, "\u{E004}").unwrap();
    let after = focused(&app);
    assert!(
        after != "import-files" && !after.starts_with("vlist"),
        "{after}"
    );

    // The results stay while the user works on: a license opened, the language switched.
    let first_row = app
        .s()
        .wait_for("a row of the list", WAIT, |s| {
            Ok(s.find_all("#rows tr[data-license]")?.into_iter().next())
        })
        .unwrap();
    let license = app
        .s()
        .attribute(&first_row, "data-license")
        .unwrap()
        .unwrap();
    open_detail(&app, &license);
    click(&app, "#lang-de");
    let german = wait_text(&app, "#import-summary", "Import abgeschlossen");
    assert!(
        german.contains("1.880 von 2.000 Dateien übernommen"),
        "{german}"
    );
    assert!(!hidden(&app, "#import-panel"));
    app.shot("bulk-import-summary-de");
    click(&app, "#lang-en");

    // The log: beside the store, UTF-8 with a byte-order mark, a line per file, no cell a
    // spreadsheet would run as a formula.
    let log = PathBuf::from(app.s().text_of("#import-log-text .mono").unwrap());
    assert_eq!(
        log.parent().unwrap(),
        home.store.parent().unwrap().join("import-logs")
    );
    let text = std::fs::read_to_string(&log).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines[0], "file,kind,result,reason code,reason text,license");
    assert_eq!(lines.len(), 2_001);
    let refused: Vec<&&str> = lines.iter().filter(|l| l.contains(",refused,")).collect();
    assert_eq!(refused.len(), 120);
    assert!(refused
        .iter()
        .any(|l| l.contains("changed-00007.lic,base-certificate,refused,bad_signature,")));
    assert!(lines
        .iter()
        .any(|l| l.contains("Lieferung März/base-00000.lic,base-certificate,accepted,,")));
    for line in &lines {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t']), "{line}");
        }
    }
    // "Open log" hands this log, and only it, to the desktop's opener; when no program opens
    // CSV files, the panel says so.
    click(&app, "#import-log-open");
    let opened = programs.join("opened");
    app.s()
        .wait_for(
            "the log to be handed to xdg-open",
            Duration::from_secs(10),
            |_| {
                Ok(std::fs::read_to_string(&opened)
                    .ok()
                    .filter(|t| t.ends_with('\n')))
            },
        )
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap(),
        format!("{}\n", log.canonicalize().unwrap().display())
    );
    stand_in(3);
    click(&app, "#import-log-open");
    app.s()
        .wait_for(
            "the panel to say, in sight, that the log could not be opened",
            Duration::from_secs(10),
            |s| {
                Ok(s.text_of("#import-log-note").ok().filter(|t| {
                    t.contains("The log could not be opened.")
                        && t.contains("No program on this computer is set up to open CSV files")
                }))
            },
        )
        .unwrap();
    // Closed, it is gone.
    click(&app, "#import-close");
    assert!(hidden(&app, "#import-panel"));
    eprintln!("2,000 files imported through the window in {took:?}");
}

#[test]
fn a_cancelled_import_keeps_what_it_committed_refuses_a_second_import_meanwhile_and_a_new_one_finishes_the_rest(
) {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let folder = dir.path().join("vendor");
    bases(&demo, &folder, "base", 3_000);
    let late = dir.path().join("late");
    bases(&demo, &late, "late", 1);
    let app = App::launch(&home);
    wait_rows(&app, 0);
    // When the bar first moves: another folder submitted in the path field (a second import
    // while this one runs), then Cancel.
    app.s()
        .execute(
            "const second = arguments[0];
             const counts = document.getElementById('import-counts');
             let asked = false;
             new MutationObserver(() => {
               if (asked || Number(document.getElementById('import-progress').value) === 0) return;
               asked = true;
               document.getElementById('import-path').value = second;
               document.getElementById('import-path-form').requestSubmit();
               document.getElementById('import-cancel').click();
             }).observe(counts, {childList: true, characterData: true, subtree: true});
             return true;",
            vec![serde_json::json!(late.display().to_string())],
        )
        .unwrap();
    submit_import_paths(&app, &folder.display().to_string());
    let panel = wait_import_summary(&app);
    let done = number_after(&panel, "Import cancelled after ");
    let accepted = number_after(&panel, "files: ");
    assert!(
        done > 0
            && done < 3_000
            && (done - licdesk_desk::IMPORT_FIRST_WINDOW_FILES)
                .is_multiple_of(licdesk_desk::IMPORT_WINDOW_FILES),
        "{panel}"
    );
    assert_eq!(accepted, done, "{panel}");
    assert!(
        panel.contains(&format!(
            "the other {} files were not imported",
            fmt(3_000 - done)
        )),
        "{panel}"
    );
    let busy = app.s().text_of("#import-busy").unwrap();
    assert_eq!(
        busy,
        "An import is already running: late not imported. Import them again when it has finished."
    );
    // The store holds exactly what the summary says was imported; the second folder, nothing.
    assert_eq!(licenses_in_store(&home), done as u64);
    app.shot("bulk-import-cancelled");

    // The same folder again: the rest imported, the first part already there.
    let panel = import_through_picker(&app, &[&folder]);
    assert!(
        panel.contains(&format!(
            "Import finished: {} of 3,000 files accepted.",
            fmt(3_000 - done)
        )),
        "{panel}"
    );
    let tally = app.s().text_of("#import-tally").unwrap();
    assert!(
        tally.contains(&format!("Already there: {}", fmt(done))),
        "{tally}"
    );
    assert_eq!(licenses_in_store(&home), 3_000);
}

/// `n` as the English window writes it (1,250).
fn fmt(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn a_tampered_journal_is_counted_as_refused_and_a_folder_that_does_not_exist_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let (base, _fo, journal) =
        standby_with_journal(dir.path(), &home, &[("load", 30), ("idle", 2)]);
    // The journal re-signed with another key: another installation's, recorded as tampered.
    let text = std::fs::read_to_string(&journal).unwrap();
    let verified = licdesk_core::Envelope::parse(text.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap();
    let payload: licdesk_core::usage::UsageJournal = verified.payload().unwrap();
    let forged = write(
        dir.path(),
        "forged.journal",
        &licdesk_core::seal(
            licdesk_core::FileKind::UsageJournal,
            &payload,
            &licdesk_core::SigningKey::from_bytes(&[4; 32]),
        ),
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let panel = import_through_picker(&app, &[&journal, &forged]);
    assert!(
        panel.contains("Import finished: 1 of 2 files accepted."),
        "{panel}"
    );
    let tally = app.s().text_of("#import-tally").unwrap();
    assert!(
        tally.contains("Usage journals evaluated and recorded: 1")
            && tally.contains("Refused: 1")
            && tally.contains("cannot be trusted"),
        "{tally}"
    );
    assert!(
        panel.contains("forged.journal: the usage journal of"),
        "{panel}"
    );

    // A folder that does not exist: said at the field, nothing imported.
    let missing = dir.path().join("Lieferung April");
    submit_import_paths(&app, &missing.display().to_string());
    let error = wait_text(&app, "#import-path-error", "does not exist");
    assert!(
        error.starts_with(&format!(
            "{} does not exist: check the path of the folder or file to import.",
            missing.display()
        )),
        "{error}"
    );
    assert_eq!(focused(&app), "import-path");
    click(&app, "#lang-de");
    wait_text(
        &app,
        "#import-path-error",
        &format!(
            "{} existiert nicht: Prüfen Sie den Pfad des Ordners oder der Datei",
            missing.display()
        ),
    );
}
