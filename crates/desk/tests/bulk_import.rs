//! The bulk import by path that `licdesk import` and the window share: windows of files, each one
//! transaction, the progress told after each, a stop between two windows that keeps what was
//! committed; what it came to (the summary), its log, and the paths a person names.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

#[path = "common/engine.rs"]
mod engine;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use licdesk_core::{
    seal, BaseCertificate, FailoverCertificate, FileKind, KeyId, LicenseNumber, LicenseProduct,
    SigningKey, Timestamp, Variant, VendorPublicKey, FAILOVER_ARTICLE,
};
use licdesk_desk::{
    files::files_to_import, import_log_csv, Desk, ErrorCode, ImportEffect, ImportOutcome,
    ImportProgress, ImportResult, ImportStatus, ImportSummary, IMPORT_FIRST_WINDOW_FILES,
    IMPORT_WINDOW_FILES,
};
use licdesk_store::Queries as _;

fn trusted_desk(dir: &Path) -> (Desk, SigningKey) {
    let mut desk = engine::test_desk(dir, "bulk_import");
    let vendor = SigningKey::from_bytes(&[77; 32]);
    let public = vendor.verifying_key();
    let vpub = dir.join("vendor.vpub");
    let key = VendorPublicKey {
        key_id: KeyId::of_public_key(&public),
        public_key: licdesk_core::trust::encode_public_key(&public),
        vendor: "Bulk Vendor".into(),
        created_at: Timestamp::from_unix(1_790_000_000),
    };
    std::fs::write(&vpub, seal(FileKind::VendorPublicKey, &key, &vendor)).unwrap();
    desk.trust_add(&vpub).unwrap();
    (desk, vendor)
}

/// `bases` base certificates and a FailoverSuite for every tenth, written to `folder`; the
/// FailoverSuites' names sort before the bases' (`a-…` before `b-…`), so that an import in the
/// given order would meet each FailoverSuite before its base.
fn vendor_files(folder: &Path, vendor: &SigningKey, bases: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(folder).unwrap();
    let mut paths = Vec::new();
    for n in 0..bases {
        let b = n.to_be_bytes();
        let base = BaseCertificate {
            license: LicenseNumber::from_random(LicenseProduct::Suite, [b[4], b[5], b[6], b[7], 1]),
            revision: 1,
            customer: format!("Bulk Kunde {n:05}"),
            variant: Variant::Users10,
            extensions: vec![],
            issued_at: Timestamp::from_unix(1_790_000_000),
        };
        let path = folder.join(format!("b-{n:05}.lic"));
        std::fs::write(&path, seal(FileKind::BaseCertificate, &base, vendor)).unwrap();
        paths.push(path);
        if n % 10 == 0 {
            let fo = FailoverCertificate {
                license: LicenseNumber::from_random(
                    LicenseProduct::FailoverSuite,
                    [b[4], b[5], b[6], b[7], 2],
                ),
                article: FAILOVER_ARTICLE.into(),
                base_license: base.license.clone(),
                issued_at: Timestamp::from_unix(1_790_000_000),
            };
            let path = folder.join(format!("a-{n:05}.lic"));
            std::fs::write(&path, seal(FileKind::FailoverCertificate, &fo, vendor)).unwrap();
            paths.push(path);
        }
    }
    paths.sort();
    paths
}

/// What the accepted files did, with their counts, in the summary's order.
fn effects_of(summary: &ImportSummary) -> Vec<(ImportEffect, usize)> {
    summary
        .accepted_by_effect
        .iter()
        .map(|e| (e.effect, e.count))
        .collect()
}

/// Why files were refused, with their counts, in the summary's order.
fn reasons_of(summary: &ImportSummary) -> Vec<(ErrorCode, usize)> {
    summary
        .refused_by_reason
        .iter()
        .map(|r| (r.code, r.count))
        .collect()
}

fn licenses(desk: &Desk) -> u64 {
    desk.list("", 0, 1).unwrap().total
}

#[test]
fn a_bulk_import_goes_a_window_at_a_time_in_order_and_tells_its_progress_after_each() {
    let dir = tempfile::tempdir().unwrap();
    let (mut desk, vendor) = trusted_desk(dir.path());
    let mut paths = vendor_files(&dir.path().join("in"), &vendor, 600);
    // A damaged file and one that is not a License Desk file, among them.
    let damaged = dir.path().join("in/c-damaged.lic");
    let text = std::fs::read_to_string(&paths[3]).unwrap();
    std::fs::write(&damaged, &text[..text.len() / 2]).unwrap();
    let notes = dir.path().join("in/d-notes.txt");
    std::fs::write(&notes, "call the vendor").unwrap();
    paths.extend([damaged, notes]);
    let total = paths.len();
    assert_eq!(total, 662);

    let mut told: Vec<ImportProgress> = Vec::new();
    let bulk = desk.import_paths_with(&paths, |p| {
        told.push(*p);
        ControlFlow::Continue(())
    });
    assert!(!bulk.cancelled);
    assert_eq!(bulk.outcomes.len(), total);
    // Before the first window, and after each: the first window, the files up to the last
    // window, and the last (as small as the first).
    let done: Vec<usize> = told.iter().map(|p| p.done).collect();
    assert!(total < IMPORT_FIRST_WINDOW_FILES + IMPORT_WINDOW_FILES);
    let windows = vec![
        0,
        IMPORT_FIRST_WINDOW_FILES,
        total - IMPORT_FIRST_WINDOW_FILES,
        total,
    ];
    assert_eq!(done, windows);
    assert!(done.len() >= 3, "more than one window: {done:?}");
    assert!(told.iter().all(|p| p.total == total));
    let last = told.last().unwrap();
    assert_eq!((last.accepted, last.unchanged, last.refused), (660, 0, 2));
    // Every FailoverSuite found its base, though it came first in the order given.
    assert!(
        bulk.outcomes
            .iter()
            .all(|o| o.result != ImportResult::Refused
                || o.file.ends_with("c-damaged.lic")
                || o.file.ends_with("d-notes.txt")),
        "{:?}",
        bulk.outcomes
            .iter()
            .find(|o| o.result == ImportResult::Refused)
    );
    assert_eq!(licenses(&desk), 600);

    let summary = bulk.summary();
    assert_eq!(
        (
            summary.total,
            summary.done,
            summary.not_imported,
            summary.cancelled
        ),
        (total, total, 0, false)
    );
    let effects = effects_of(&summary);
    assert_eq!(
        effects,
        [
            (ImportEffect::BaseImported, 600),
            (ImportEffect::FailoverAdded, 60)
        ]
    );
    let reasons = reasons_of(&summary);
    // Equal counts in the order met: the cut certificate (its first line names a base
    // certificate: the first window) before the text file (the last).
    assert_eq!(
        reasons,
        [(ErrorCode::DamagedFile, 1), (ErrorCode::NotLicenseFile, 1)]
    );
}

#[test]
fn a_stop_between_windows_keeps_what_was_committed_and_a_second_import_finishes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut desk, vendor) = trusted_desk(dir.path());
    let paths = vendor_files(&dir.path().join("in"), &vendor, 700);
    let total = paths.len(); // 700 bases and 70 FailoverSuites
                             // Stopped when told the first window is done.
    let bulk = desk.import_paths_with(&paths, |p| {
        if p.done > 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(bulk.cancelled);
    assert_eq!(bulk.outcomes.len(), IMPORT_FIRST_WINDOW_FILES);
    let summary = bulk.summary();
    assert_eq!(summary.accepted, IMPORT_FIRST_WINDOW_FILES);
    assert_eq!(summary.not_imported, total - IMPORT_FIRST_WINDOW_FILES);
    // The store holds exactly the licenses of the files the summary counts as imported (bases
    // come first: the first window is bases only).
    assert_eq!(licenses(&desk), IMPORT_FIRST_WINDOW_FILES as u64);
    for o in &bulk.outcomes {
        let license = o.license.as_ref().unwrap();
        assert!(desk.store().base(license).unwrap().is_some(), "{}", o.file);
    }

    let again = desk.import_paths_with(&paths, |_| ControlFlow::Continue(()));
    let summary = again.summary();
    assert!(!summary.cancelled);
    assert_eq!(summary.unchanged, IMPORT_FIRST_WINDOW_FILES);
    assert_eq!(summary.accepted, total - IMPORT_FIRST_WINDOW_FILES);
    assert_eq!(summary.refused, 0);
    assert_eq!(licenses(&desk), 700);

    // Stopped before the first window: nothing is read, nothing changes.
    let none = desk.import_paths_with(&paths, |_| ControlFlow::Break(()));
    assert!(none.cancelled && none.outcomes.is_empty());
    assert_eq!(none.summary().not_imported, total);
    // A stop asked after the last window stops nothing: everything was done.
    let small = vendor_files(&dir.path().join("small"), &vendor, 3);
    let all = desk.import_paths_with(&small[..1], |_| ControlFlow::Continue(()));
    assert!(!all.cancelled);
    let mut calls = 0;
    let late = desk.import_paths_with(&small[1..], |p| {
        calls += 1;
        if p.done == p.total {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(!late.cancelled && late.outcomes.len() == small.len() - 1 && calls == 2);
}

#[test]
fn a_stop_drops_the_windows_read_and_checked_ahead_unapplied() {
    let dir = tempfile::tempdir().unwrap();
    let (mut desk, vendor) = trusted_desk(dir.path());
    // Three windows: bases, bases, then the FailoverSuites.
    let bases = IMPORT_FIRST_WINDOW_FILES + IMPORT_WINDOW_FILES;
    let paths = vendor_files(&dir.path().join("in"), &vendor, bases);
    let total = paths.len();
    assert!(total > bases);
    let bulk = desk.import_paths_with(&paths, |p| {
        if p.done == 0 {
            return ControlFlow::Continue(());
        }
        // While the first window is told, the next two are read and checked ahead: time enough
        // for them to be ready before the stop, which must drop them unapplied.
        std::thread::sleep(std::time::Duration::from_millis(500));
        ControlFlow::Break(())
    });
    assert!(bulk.cancelled);
    assert_eq!(bulk.outcomes.len(), IMPORT_FIRST_WINDOW_FILES);
    assert_eq!(licenses(&desk), IMPORT_FIRST_WINDOW_FILES as u64);
    let failovers: usize = bulk
        .outcomes
        .iter()
        .map(|o| {
            let base = o.license.as_ref().unwrap();
            desk.store().failovers_of(base).unwrap().len()
        })
        .sum();
    assert_eq!(failovers, 0);
    // What was dropped is imported by the next import, all of it new.
    let again = desk.import_paths_with(&paths, |_| ControlFlow::Continue(()));
    let summary = again.summary();
    assert_eq!(
        (summary.unchanged, summary.accepted),
        (IMPORT_FIRST_WINDOW_FILES, total - IMPORT_FIRST_WINDOW_FILES)
    );
}

fn outcome(file: &str, kind: FileKind, status: ImportStatus) -> ImportOutcome {
    ImportOutcome {
        file: file.into(),
        kind: Some(kind.tag()),
        status,
        result: status.result(),
        license: None,
        message: format!("{file}: {status:?}"),
        error: None,
        activation: None,
    }
}

#[test]
fn a_tampered_journal_is_refused_and_each_accepted_file_is_counted_by_what_it_did() {
    use ImportStatus as S;
    assert_eq!(S::Tampered.result(), ImportResult::Refused);
    assert_eq!(S::Evaluated.result(), ImportResult::Accepted);
    assert_eq!(S::Released.result(), ImportResult::Accepted);
    assert_eq!(S::Unchanged.result(), ImportResult::Unchanged);
    let standby = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 2, 3, 4, 5]);
    let main = LicenseNumber::from_random(LicenseProduct::Suite, [1, 2, 3, 4, 5]);
    let mut refused = outcome("x.lic", FileKind::BaseCertificate, S::Refused);
    refused.error = Some(licdesk_desk::DeskError::new(
        ErrorCode::BadSignature,
        "changed",
    ));
    let mut standby_response = outcome("s.actresp", FileKind::ActivationResponse, S::Activated);
    standby_response.license = Some(standby);
    let mut main_response = outcome("m.actresp", FileKind::ActivationResponse, S::Activated);
    main_response.license = Some(main);
    let outcomes = vec![
        outcome("j1.journal", FileKind::UsageJournal, S::Tampered),
        outcome("j2.journal", FileKind::UsageJournal, S::Evaluated),
        outcome("j3.journal", FileKind::UsageJournal, S::Tampered),
        outcome("r.release", FileKind::Release, S::Released),
        outcome("b.lic", FileKind::BaseCertificate, S::Imported),
        outcome("b2.lic", FileKind::BaseCertificate, S::Upgraded),
        outcome("f.lic", FileKind::FailoverCertificate, S::Imported),
        outcome("same.lic", FileKind::BaseCertificate, S::Unchanged),
        standby_response,
        main_response,
        refused,
    ];
    let summary = ImportSummary::of(&outcomes, 12, true);
    assert_eq!(
        (summary.accepted, summary.unchanged, summary.refused),
        (7, 1, 3)
    );
    assert_eq!((summary.done, summary.not_imported), (11, 1));
    let effects = effects_of(&summary);
    assert_eq!(
        effects,
        [
            (ImportEffect::BaseImported, 1),
            (ImportEffect::BaseUpgraded, 1),
            (ImportEffect::FailoverAdded, 1),
            (ImportEffect::MainActivated, 1),
            (ImportEffect::StandbyActivated, 1),
            (ImportEffect::StandbyReleased, 1),
            (ImportEffect::JournalRecorded, 1),
        ]
    );
    let reasons = reasons_of(&summary);
    assert_eq!(
        reasons,
        [(ErrorCode::Tampered, 2), (ErrorCode::BadSignature, 1)]
    );
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(json["refused_by_reason"][0]["code"], "tampered");
    assert_eq!(json["accepted_by_effect"][6]["effect"], "journal_recorded");
}

#[test]
fn the_log_is_csv_with_a_byte_order_mark_and_cells_no_spreadsheet_runs_as_formulas() {
    let mut refused = outcome(
        "=HYPERLINK(\"x\").lic",
        FileKind::BaseCertificate,
        ImportStatus::Refused,
    );
    refused.error = Some(licdesk_desk::DeskError::new(ErrorCode::BadSignature, "x"));
    refused.message = "-the signature, \"changed\"".into();
    let mut accepted = outcome(
        "/home/me/Kündigung.lic",
        FileKind::BaseCertificate,
        ImportStatus::Imported,
    );
    accepted.message = "@base license imported".into();
    let text = import_log_csv(&[
        refused,
        accepted,
        outcome("+1.journal", FileKind::UsageJournal, ImportStatus::Tampered),
    ]);
    assert!(text.starts_with("\u{feff}file,kind,result,reason code,reason text,license\r\n"));
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines.len(), 5, "{lines:?}"); // the header, three files, and the end
    assert_eq!(
        lines[1],
        "\"'=HYPERLINK(\"\"x\"\").lic\",base-certificate,refused,bad_signature,\"'-the signature, \"\"changed\"\"\","
    );
    assert_eq!(
        lines[2],
        "/home/me/Kündigung.lic,base-certificate,accepted,,'@base license imported,"
    );
    assert_eq!(
        lines[3],
        "'+1.journal,usage-journal,refused,tampered,'+1.journal: Tampered,"
    );
    assert_eq!(licdesk_desk::csv_cell("\tx"), "'\tx");
    assert_eq!(licdesk_desk::csv_cell("\rx"), "\"'\rx\"");
    assert_eq!(licdesk_desk::csv_cell("a-b"), "a-b");
}

#[test]
fn each_log_is_a_new_file_beside_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = trusted_desk(dir.path());
    let outcomes = [outcome(
        "a.lic",
        FileKind::BaseCertificate,
        ImportStatus::Imported,
    )];
    let first = desk.write_import_log(&outcomes).unwrap();
    let second = desk.write_import_log(&outcomes).unwrap();
    assert_ne!(first, second);
    for log in [&first, &second] {
        assert_eq!(log.parent().unwrap(), desk.home().import_logs());
        let name = log.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("import-") && name.ends_with(".csv") && !name.contains(':'),
            "{name}"
        );
        assert_eq!(
            std::fs::read_to_string(log).unwrap(),
            import_log_csv(&outcomes)
        );
    }
}

#[test]
fn the_paths_a_person_names_are_files_or_the_files_of_a_folder_else_a_clear_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("vendor files");
    std::fs::create_dir_all(folder.join("inside")).unwrap();
    for name in ["b.lic", "a.lic"] {
        std::fs::write(folder.join(name), "x").unwrap();
    }
    std::fs::write(folder.join("inside/c.lic"), "x").unwrap();
    let single = dir.path().join("single.actresp");
    std::fs::write(&single, "x").unwrap();
    // A folder: its files by name, not the folder inside it; a file named twice, once.
    assert_eq!(
        files_to_import(&[folder.clone(), single.clone(), folder.join("a.lic")]).unwrap(),
        [folder.join("a.lic"), folder.join("b.lic"), single.clone()]
    );
    let missing = dir.path().join("no such folder");
    let e = files_to_import(&[single.clone(), missing.clone()]).unwrap_err();
    assert_eq!(e.code, ErrorCode::PathMissing);
    assert!(
        e.message.contains("no such folder") && e.message.contains("does not exist"),
        "{}",
        e.message
    );
    assert_eq!(e.params.unwrap()["path"], missing.display().to_string());
    let e = files_to_import(&[PathBuf::from("vendor files")]).unwrap_err();
    assert_eq!(e.code, ErrorCode::PathNotAbsolute);
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let e = files_to_import(&[empty]).unwrap_err();
    assert_eq!(e.code, ErrorCode::NothingToImport);
    #[cfg(unix)]
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let e = files_to_import(&[locked]).unwrap_err();
        assert_eq!(e.code, ErrorCode::Io);
    }
}

#[cfg(unix)]
fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

#[test]
fn a_copy_of_a_log_is_saved_where_a_person_chooses_and_only_a_log_is_copied() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = trusted_desk(dir.path());
    let outcomes = [outcome(
        "a.lic",
        FileKind::BaseCertificate,
        ImportStatus::Imported,
    )];
    let log = desk.write_import_log(&outcomes).unwrap();
    let copy = dir.path().join("copy.csv");
    desk.copy_import_log(&log, &copy, licdesk_desk::IfExists::Refuse)
        .unwrap();
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&log).unwrap());
    // Not over an existing file unless asked, never over the store, and nothing but a log.
    let e = desk
        .copy_import_log(&log, &copy, licdesk_desk::IfExists::Refuse)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::FileExists);
    // The store's file (an SQLite store; a PostgreSQL store has none here) and the
    // installation's key are protected.
    let protected: Vec<std::path::PathBuf> = desk
        .location()
        .file()
        .map(std::path::Path::to_path_buf)
        .into_iter()
        .chain([desk.home().installation_key().to_path_buf()])
        .collect();
    for path in &protected {
        let e = desk
            .copy_import_log(&log, path, licdesk_desk::IfExists::Replace)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::OutputProtected, "{}", path.display());
    }
    let e = desk
        .copy_import_log(
            &dir.path().join("store.sqlite"),
            &dir.path().join("x.csv"),
            licdesk_desk::IfExists::Refuse,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(!dir.path().join("x.csv").exists());
}

#[test]
fn only_this_stores_own_logs_are_handed_out_to_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = trusted_desk(dir.path());
    let outcomes = [outcome(
        "a.lic",
        FileKind::BaseCertificate,
        ImportStatus::Imported,
    )];
    let log = desk.write_import_log(&outcomes).unwrap();
    assert_eq!(
        desk.own_import_log(&log).unwrap(),
        log.canonicalize().unwrap()
    );
    let logs = desk.import_log_dir();
    // The same log named through a detour is the same file.
    let detour = logs
        .join("..")
        .join(logs.file_name().unwrap())
        .join(log.file_name().unwrap());
    assert_eq!(
        desk.own_import_log(&detour).unwrap(),
        log.canonicalize().unwrap()
    );
    // Not the store, not a file beside the logs named like one, not a log that is not there,
    // not another kind of file in the logs' folder.
    let beside = dir.path().join("import-elsewhere.csv");
    std::fs::write(&beside, "x").unwrap();
    let other_kind = logs.join("import-notes.txt");
    std::fs::write(&other_kind, "x").unwrap();
    for path in [
        dir.path().join("store.sqlite"),
        beside.clone(),
        logs.join("import-missing.csv"),
        other_kind,
        logs.clone(),
    ] {
        let e = desk.own_import_log(&path).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{}", path.display());
    }
    // A link in the logs' folder to a file elsewhere is not a log of this store.
    #[cfg(unix)]
    {
        let link = logs.join("import-link.csv");
        std::os::unix::fs::symlink(&beside, &link).unwrap();
        assert_eq!(
            desk.own_import_log(&link).unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }
}
