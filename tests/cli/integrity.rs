//! The licensing rules hold against a customer who tries to cheat with the shipped tools, a text
//! editor and sqlite3, and every fault ends in a clear message with nothing lost (issue 9). One
//! test per class reproduces the attack or fault; each refusal leaves the store as it was.

use licdesk_core::usage::UsageJournal;
use licdesk_core::{seal, ActivationResponse, Envelope, FileKind, Timestamp};

use crate::standby::{
    activated_standby, at, check, installation_key, journal, now, resigned, standby_request, HOUR,
};
use crate::support::*;

fn vendor_key(v: &Vendor) -> licdesk_issuer::VendorKey {
    licdesk_issuer::VendorKey::load(std::path::Path::new(&v.key)).unwrap()
}

/// The payload of the self-signed file `file` (a request, a journal).
fn payload<T: serde::Serialize + serde::de::DeserializeOwned>(file: &str) -> T {
    let text = std::fs::read_to_string(file).unwrap();
    Envelope::parse(text.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap()
        .payload()
        .unwrap()
}

/// The vendor-signed payload of `file`, verified with the vendor's key.
fn vendor_payload<T: serde::Serialize + serde::de::DeserializeOwned>(v: &Vendor, file: &str) -> T {
    let text = std::fs::read_to_string(file).unwrap();
    Envelope::parse(text.as_bytes())
        .unwrap()
        .verify(&vendor_key(v).key.verifying_key())
        .unwrap()
        .payload()
        .unwrap()
}

fn crlf(file: &str, out: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(out, text.replace('\n', "\r\n")).unwrap();
    out.to_string()
}

fn release_standby(w: &World, v: &Vendor, fo: &str, name: &str) -> String {
    let relreq = w.p(&format!("{name}.relreq"));
    w.desk(
        "standby",
        &[
            "standby",
            "release-request",
            "--failover",
            fo,
            "--reason",
            "new hardware",
            "--out",
            &relreq,
        ],
    )
    .ok();
    let release = w.p(&format!("{name}.release"));
    crate::standby::vendor_releases(w, v, &relreq, &release).ok();
    release
}

// ---------------------------------------------------------------------------------------------
// 1. Replay of signed files

#[test]
fn a_released_standby_is_not_reactivated_by_its_old_response_re_encoded_r4() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let release = release_standby(&w, &v, &fo, "first");
    w.desk("standby", &["import", &release]).ok();
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");
    // The customer registers the released machine again, as if to ask for a new activation.
    w.desk(
        "standby",
        &["standby", "register", "--failover", &fo, "--this-machine"],
    )
    .ok();

    // Every response file in the world, re-encoded with CRLF line ends: none re-activates.
    let before = w.dump("standby");
    for entry in std::fs::read_dir(w.path("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("actresp") {
            continue;
        }
        let replay = crlf(
            path.to_str().unwrap(),
            &format!("{}.crlf.actresp", path.display()),
        );
        let out = w.desk("standby", &["--json", "import", &replay]).json();
        let status = out["files"][0]["status"].as_str().unwrap_or_default();
        assert!(
            status == "unchanged" || status == "refused",
            "a replayed response was applied: {out}"
        );
    }
    assert_eq!(w.dump("standby"), before);
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert_eq!(
        detail["failovers"][0]["standby"]["status"], "pending",
        "{detail}"
    );
    // The release itself, re-encoded, is the same release: already imported.
    let again = crlf(&release, &w.p("release.crlf.release"));
    let out = w.desk("standby", &["--json", "import", &again]).ok().json();
    assert_eq!(out["files"][0]["status"], "unchanged", "{out}");
    assert_eq!(w.dump("standby"), before);
}

#[test]
fn an_older_response_cannot_bring_back_the_limits_a_newer_one_replaced_r12() {
    let w = World::new();
    // Activated with the standard five days (120 h).
    let (v, _base, fo) = activated_standby(&w);
    // Two re-activation requests; the vendor answers the first with 120 h and the second,
    // later, with 48 h.
    let first = w.p("again-1.actreq");
    standby_request(&w, "standby", &fo, &[], &first).ok();
    let second = w.p("again-2.actreq");
    standby_request(&w, "standby", &fo, &[], &second).ok();
    let (run, lax) = w.activate(&v, &first);
    run.ok();
    let lax_copy = w.p("lax.actresp");
    std::fs::copy(&lax, &lax_copy).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(10));
    let (run, strict) = w.activate_with(
        &v,
        &second,
        &[
            "--limit-hours",
            "48",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
        ],
    );
    run.ok();
    let strict_limits = vendor_payload::<ActivationResponse>(&v, &strict).limits;
    let lax_limits = vendor_payload::<ActivationResponse>(&v, &lax_copy).limits;
    assert_ne!(strict_limits, lax_limits);
    // The newer (48 h) is imported first; the older (120 h) after it is superseded.
    w.desk("standby", &["import", &strict]).ok();
    let before = w.dump("standby");
    w.desk("standby", &["import", &lax_copy])
        .refused("moves forward only");
    assert_eq!(w.dump("standby"), before);
    let run = w.desk("standby", &["--json", "import", &lax_copy]);
    assert_eq!(run.json()["files"][0]["error"]["code"], "superseded");
    let notice = w.desk("standby", &["show", &fo]).ok().stdout;
    assert!(notice.contains("48 hours"), "{notice}");
}

// ---------------------------------------------------------------------------------------------
// 2. History rewritten in the journal

/// A standby under load for 130 h, its journal imported on the reseller's desk ("main"):
/// a running violation.
fn violation_reported(w: &World) -> (String, i64) {
    let t0 = now() - 130 * HOUR;
    let file = journal(w, &[("load", t0)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    (file, t0)
}

#[test]
fn an_entry_backdated_into_time_already_reported_is_refused_on_the_standby_r12() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let (_, t0) = violation_reported(&w);
    let before = w.dump("standby");
    // "Idle since shortly after the load began": before the export that reported the load.
    w.desk(
        "standby",
        &[
            "journal",
            "append",
            "--state",
            "idle",
            "--at",
            &at(t0 + HOUR),
        ],
    )
    .refused("latest export");
    assert_eq!(w.dump("standby"), before);
    // Not even at the very time of the last entry: entries are strictly later.
    w.desk(
        "standby",
        &["journal", "append", "--state", "idle", "--at", &at(t0)],
    )
    .refused("not after the journal's last entry");
    assert_eq!(w.dump("standby"), before);
}

#[test]
fn a_journal_rewritten_with_a_backdated_entry_is_tampered_and_the_violation_stays_r12() {
    let w = World::new();
    let (_v, _base, fo) = activated_standby(&w);
    let (file, t0) = violation_reported(&w);
    // The customer forges the next journal with the installation key (sqlite3 and a script on
    // the standby can do as much): an idle entry one hour after the load began.
    let key = installation_key(&w);
    let forged = resigned(&file, &key, |j: &mut UsageJournal| {
        let seq = j.entries.len() as u64;
        let previous = j.entries.last().unwrap().hash.clone();
        let at = Timestamp::from_unix(t0 + HOUR);
        let state = licdesk_core::usage::UsageState::Idle;
        j.entries.push(licdesk_core::usage::JournalEntry {
            seq,
            at,
            state,
            hash: licdesk_core::usage::chain_hash(&previous, seq, at, state),
        });
        j.exported_at = j.exported_at.plus_seconds(60);
    });
    let path = w.p("forged.journal");
    std::fs::write(&path, forged).unwrap();
    w.desk("main", &["import", &path]).tampered("backdated");
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} over the five-day limit")),
        "{}",
        run.stdout
    );
}

#[test]
fn a_stale_journal_is_never_plain_ok_unaccounted_time_is_not_idle_r12() {
    let w = World::new();
    let (_v, _base, fo) = activated_standby(&w);
    let key = installation_key(&w);
    let file = journal(&w, &[("load", now() - 2 * HOUR)]);
    // Exported 131 h ago under load (the clock set back on the standby, say), nothing since.
    let stale = resigned(&file, &key, |j: &mut UsageJournal| {
        let t0 = now() - 140 * HOUR;
        j.entries.clear();
        let at = Timestamp::from_unix(t0);
        let state = licdesk_core::usage::UsageState::Load;
        j.entries.push(licdesk_core::usage::JournalEntry {
            seq: 0,
            at,
            state,
            hash: licdesk_core::usage::chain_hash(licdesk_core::usage::GENESIS, 0, at, state),
        });
        j.exported_at = Timestamp::from_unix(now() - 131 * HOUR);
    });
    let path = w.p("stale.journal");
    std::fs::write(&path, stale).unwrap();
    w.desk("main", &["import", &path]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo}: 131.0 h unaccounted for"))
            && run.stdout.contains("at worst"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("'{fo}_unaccounted_hours'=131.0h")),
        "{}",
        run.stdout
    );

    // Idle at the export 30 h ago: a warning, not yet critical.
    let w = World::new();
    let (_v, _base, fo) = activated_standby(&w);
    let key = installation_key(&w);
    let file = journal(&w, &[("load", now() - 2 * HOUR)]);
    let idle = resigned(&file, &key, |j: &mut UsageJournal| {
        let t0 = now() - 45 * HOUR;
        j.entries.clear();
        let mut previous = licdesk_core::usage::GENESIS.to_string();
        for (seq, (at, state)) in [
            (t0, licdesk_core::usage::UsageState::Load),
            (t0 + 10 * HOUR, licdesk_core::usage::UsageState::Idle),
        ]
        .into_iter()
        .enumerate()
        {
            let at = Timestamp::from_unix(at);
            let hash = licdesk_core::usage::chain_hash(&previous, seq as u64, at, state);
            previous = hash.clone();
            j.entries.push(licdesk_core::usage::JournalEntry {
                seq: seq as u64,
                at,
                state,
                hash,
            });
        }
        j.exported_at = Timestamp::from_unix(now() - 30 * HOUR);
    });
    let path = w.p("idle.journal");
    std::fs::write(&path, idle).unwrap();
    w.desk("main", &["import", &path]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo}: 30.0 h unaccounted for")),
        "{}",
        run.stdout
    );
}

#[test]
fn the_standbys_own_desk_keeps_its_journal_live_and_has_nothing_unaccounted_r12() {
    let w = World::new();
    let (_v, _base, fo) = activated_standby(&w);
    let run = check(&w, "standby");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        !run.stdout.contains(&format!("{fo}_unaccounted_hours")),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Violations lost

#[test]
fn a_violation_survives_release_and_a_new_standby_until_acknowledged_r12_r4() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    // A past violation: 130 h under load, then 30 h idle.
    let t0 = now() - 170 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 130 * HOUR)]);
    // The standby's own desk imports its journal (it holds the standby); so does the reseller.
    w.desk("standby", &["import", &file]).ok();
    assert_eq!(check(&w, "standby").code, 2);
    // The standby is released and a new machine takes the FailoverSuite.
    let release = release_standby(&w, &v, &fo, "old");
    w.desk("standby", &["import", &release]).ok();
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "after the release: {}", run.stdout);
    let new_key = licdesk_core::SigningKey::from_bytes(&[9; 32]);
    let (hwid, new_id) = hwid_file(&w, "new-standby", &new_key);
    let req = w.p("new.actreq");
    standby_request(&w, "standby", &fo, &["--hwid-file", &hwid], &req).ok();
    let (run, resp) = w.activate(&v, &req);
    run.ok();
    w.desk("standby", &["import", &resp]).ok();
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "after the new standby: {}", run.stdout);
    assert!(run.stdout.contains("has ended"), "{}", run.stdout);
    // The new standby's own clean journal does not wipe it either.
    let clean = resigned(&file, &new_key, |j: &mut UsageJournal| {
        j.installation_key = licdesk_core::InstallationKey::of(&new_key.verifying_key());
        j.hardware_id = new_id.clone();
        j.activation = std::fs::read_to_string(&resp).unwrap();
        j.entries.clear();
        j.exported_at = Timestamp::from_unix(now() + 60);
    });
    let path = w.p("new.journal");
    std::fs::write(&path, clean).unwrap();
    let out = w.desk("standby", &["--json", "import", &path]).ok().json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
    let run = check(&w, "standby");
    assert_eq!(
        run.code, 2,
        "after the new standby's journal: {}",
        run.stdout
    );
    assert!(run.stdout.contains("has ended"), "{}", run.stdout);
    // Acknowledged with a reason, it is no longer reported.
    w.desk(
        "standby",
        &[
            "journal",
            "acknowledge",
            "--failover",
            &fo,
            "--reason",
            "the old standby ran the main system's load during its repair",
        ],
    )
    .ok();
    let run = check(&w, "standby");
    assert_eq!(run.code, 0, "{}", run.stdout);
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["usage"]["open_violations"]
        .as_array()
        .unwrap()
        .is_empty());
}

// ---------------------------------------------------------------------------------------------
// 5. Panics

#[test]
fn a_vendor_signed_response_with_a_multi_byte_nonce_is_refused_not_a_panic() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let resp_files: Vec<_> = std::fs::read_dir(w.path(""))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()?.to_str()? == "actresp").then_some(p)
        })
        .collect();
    let genuine: ActivationResponse = vendor_payload(&v, resp_files[0].to_str().unwrap());
    let key = vendor_key(&v);
    let before = w.dump("standby");
    for nonce in ["ééééééééééééééé", "\u{1b}[2J", "", "AB", &"0".repeat(65)] {
        let mut hostile = genuine.clone();
        hostile.request_nonce = nonce.to_string();
        let file = w.p("hostile.actresp");
        std::fs::write(
            &file,
            seal(FileKind::ActivationResponse, &hostile, &key.key),
        )
        .unwrap();
        let run = w.desk("standby", &["--json", "import", &file]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let out = run.json();
        assert_eq!(out["files"][0]["status"], "refused", "{out}");
        assert!(
            out["files"][0]["message"]
                .as_str()
                .unwrap()
                .contains("nonce"),
            "{out}"
        );
        assert_eq!(w.dump("standby"), before);
    }
    // In a bulk run with 300 good files, the hostile one is refused and the rest imported.
    let mut hostile = genuine.clone();
    hostile.request_nonce = "ü".repeat(40);
    let bad = w.p("bulk-hostile.actresp");
    std::fs::write(&bad, seal(FileKind::ActivationResponse, &hostile, &key.key)).unwrap();
    let mut args = vec!["--json".to_string(), "import".to_string(), bad.clone()];
    for n in 0..300 {
        let (_, f) = w.issue_base(&v, &format!("Bulk {n} GmbH"), "10", &[]);
        args.push(f);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    w.desk("bulkdesk", &["trust", "add", &v.public]).ok();
    let run = w.desk("bulkdesk", &args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let out = run.json();
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), 301);
    assert_eq!(
        files.iter().filter(|f| f["status"] == "imported").count(),
        300,
        "{out}"
    );
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert_eq!(detail["failovers"][0]["license"], fo.as_str());
}

#[test]
fn times_outside_the_years_1970_to_9999_are_refused_not_a_panic() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let before = w.dump("standby");
    for time in [
        "9999-12-31T23:59:59-01:00",
        "0000-01-01T00:00:00+01:00",
        "1969-12-31T23:59:59Z",
    ] {
        let run = w.desk(
            "standby",
            &["journal", "append", "--state", "load", "--at", time],
        );
        assert_ne!(run.code, 0, "{time} was taken");
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(w.dump("standby"), before, "{time}");
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Faults

#[test]
fn parallel_journal_appends_all_land_in_order() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    // Eight appends at once, as the suite's service and an administrator might.
    let handles: Vec<_> = (0..8)
        .map(|n| {
            let store = w.p("standby.sqlite");
            std::thread::spawn(move || {
                std::process::Command::new(binary("licdesk"))
                    .args([
                        "--store",
                        &store,
                        "journal",
                        "append",
                        "--state",
                        if n % 2 == 0 { "load" } else { "idle" },
                    ])
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let file = w.p("parallel.journal");
    w.desk("standby", &["journal", "export", "--out", &file])
        .ok();
    let journal: UsageJournal = payload(&file);
    assert_eq!(journal.entries.len(), 8);
    assert!(journal.intervals().is_ok());
}

#[test]
fn check_answers_unknown_for_a_damaged_store_and_changes_nothing() {
    let w = World::new();
    let v = w.vendor();
    w.desk("desk", &["trust", "add", &v.public]).ok();
    let files: Vec<String> = (0..150)
        .map(|n| w.issue_base(&v, &format!("Damage {n} AG"), "25", &[]).1)
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    w.desk("desk", &args).ok();
    assert_eq!(check(&w, "desk").code, 0);
    let store = w.path("desk.sqlite");

    // An empty file: UNKNOWN, and it stays empty.
    let empty = w.path("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let run = w.desk("empty", &["check"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("empty"), "{}", run.stdout);
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    assert!(!w.path("empty.sqlite-wal").exists());

    // A table dropped: UNKNOWN naming it.
    let dropped = w.path("dropped.sqlite");
    std::fs::copy(&store, &dropped).unwrap();
    {
        let conn = rusqlite::Connection::open(&dropped).unwrap();
        conn.execute_batch("DROP TRIGGER violations_are_kept; DROP TABLE violations;")
            .unwrap();
    }
    let run = w.desk("dropped", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("violations"), "{}", run.stdout);

    // A page overwritten in the middle of the file: UNKNOWN naming the damage.
    let damaged = w.path("damaged.sqlite");
    {
        let conn = rusqlite::Connection::open(&store).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    std::fs::copy(&store, &damaged).unwrap();
    let mut bytes = std::fs::read(&damaged).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 10, "{pages} pages");
    let page = pages / 2;
    for b in &mut bytes[page * 4096..(page + 1) * 4096] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let run = w.desk("damaged", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("damaged"), "{}", run.stdout);
    assert_eq!(
        std::fs::read(&damaged).unwrap(),
        bytes,
        "check changed the file"
    );
}

#[test]
fn a_full_disk_says_so_and_changes_nothing() {
    if !is_root() {
        panic!("this test mounts a small file system in a private mount namespace: run it as root (make test does)");
    }
    let w = World::new();
    let v = w.vendor();
    let files: Vec<String> = (0..400)
        .map(|n| {
            w.issue_base(&v, &format!("Full {n} KG"), "250", &["XOM.11000:Fax:2"])
                .1
        })
        .collect();
    std::fs::write(w.path("files.txt"), files.join("\n")).unwrap();
    let mnt = w.path("small");
    std::fs::create_dir(&mnt).unwrap();
    // In a private mount namespace: a 1 MiB file system holding the store, filled up, then a
    // bulk import; the store is copied out before and after.
    let script = format!(
        r#"set -e
mount -t tmpfs -o size=1m tmpfs '{mnt}'
'{licdesk}' --store '{mnt}/desk.sqlite' trust add '{public}' >/dev/null
cp '{mnt}/desk.sqlite' '{out}/before.sqlite'
dd if=/dev/zero of='{mnt}/reserve' bs=4k count=64 2>/dev/null
dd if=/dev/zero of='{mnt}/filler' bs=4k 2>/dev/null || true
rm -f '{mnt}/reserve'
set +e
xargs -a '{out}/files.txt' -d '\n' '{licdesk}' --store '{mnt}/desk.sqlite' --json import > '{out}/import.json' 2> '{out}/import.err'
echo $? > '{out}/import.code'
rm -f '{mnt}/filler'
'{licdesk}' --store '{mnt}/desk.sqlite' list >/dev/null
cp '{mnt}/desk.sqlite' '{out}/after.sqlite'
"#,
        mnt = mnt.display(),
        licdesk = binary("licdesk").display(),
        public = v.public,
        out = w.path("").display(),
    );
    let status = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "bash", "-c", &script])
        .status()
        .expect("unshare");
    assert!(status.success(), "the namespace script failed");
    let code = std::fs::read_to_string(w.path("import.code")).unwrap();
    assert_ne!(code.trim(), "0", "the import on a full disk succeeded");
    let out = std::fs::read_to_string(w.path("import.json")).unwrap();
    let err = std::fs::read_to_string(w.path("import.err")).unwrap();
    assert!(
        out.contains("disk is full") || err.contains("disk is full"),
        "{out}{err}"
    );
    assert!(
        !out.contains("savepoint") && !err.contains("savepoint"),
        "{out}{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let dump = |p: &str| {
        let store = licdesk_store::Store::open(&w.path(p)).unwrap();
        licdesk_store::Queries::dump(&store).unwrap()
    };
    assert_eq!(dump("before.sqlite"), dump("after.sqlite"));
}

// ---------------------------------------------------------------------------------------------
// 8. Issuer

#[test]
fn the_vendor_refuses_a_request_that_reuses_another_requests_nonce() {
    let w = World::new();
    let v = w.vendor();
    let (base_a, file_a) = w.issue_base(&v, "Kunde A GmbH", "25", &[]);
    let (base_b, file_b) = w.issue_base(&v, "Kunde B GmbH", "10", &[]);
    for (desk, file) in [("a", &file_a), ("b", &file_b)] {
        w.desk(desk, &["trust", "add", &v.public]).ok();
        w.desk(desk, &["import", file]).ok();
    }
    let req_a = w.p("a.actreq");
    w.desk(
        "a",
        &[
            "request",
            "--license",
            &base_a,
            "--role",
            "main",
            "--out",
            &req_a,
        ],
    )
    .ok();
    let (run, resp_a) = w.activate(&v, &req_a);
    run.ok();
    // The same request again: the same response.
    let (run, again) = w.activate(&v, &req_a);
    run.ok();
    assert_eq!(
        std::fs::read_to_string(&again).unwrap(),
        std::fs::read_to_string(&resp_a).unwrap()
    );
    // Customer B's request, re-signed by B's desk with A's nonce.
    let req_b = w.p("b.actreq");
    w.desk(
        "b",
        &[
            "request",
            "--license",
            &base_b,
            "--role",
            "main",
            "--out",
            &req_b,
        ],
    )
    .ok();
    let nonce_a: licdesk_core::ActivationRequest = payload(&req_a);
    let mut request_b: licdesk_core::ActivationRequest = payload(&req_b);
    request_b.nonce = nonce_a.nonce.clone();
    let forged = w.p("b-forged.actreq");
    std::fs::write(
        &forged,
        seal(FileKind::ActivationRequest, &request_b, &desk_key(&w, "b")),
    )
    .unwrap();
    let before = w.ledger_dump(&v);
    let (run, out) = w.activate(&v, &forged);
    run.refused("already used by another request");
    assert_eq!(w.ledger_dump(&v), before);
    assert!(
        !std::path::Path::new(&out).exists()
            || std::fs::read_to_string(&out).unwrap() != std::fs::read_to_string(&resp_a).unwrap()
    );
    // A nonce that is not 64 hex characters is refused too.
    request_b.nonce = "é".repeat(32);
    std::fs::write(
        &forged,
        seal(FileKind::ActivationRequest, &request_b, &desk_key(&w, "b")),
    )
    .unwrap();
    let (run, _) = w.activate(&v, &forged);
    run.refused("nonce");
    assert_eq!(w.ledger_dump(&v), before);
}

// ---------------------------------------------------------------------------------------------
// 9. Unbounded

#[test]
fn the_status_line_stays_under_one_kilobyte_with_every_problem_below_it() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let file = journal(&w, &[("load", now() - 3 * HOUR)]);
    let text = std::fs::read_to_string(&file).unwrap();
    // 120 journals whose signature fails, each reported until dismissed.
    let mut paths = Vec::new();
    for n in 0..120 {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let sig = lines
            .iter()
            .position(|l| l.starts_with("Signature: "))
            .unwrap();
        // Another valid-looking signature per file: each is its own tampered journal.
        let mut raw = [0u8; 64];
        raw[0] = n as u8;
        raw[1] = (n >> 8) as u8;
        use base64::Engine;
        lines[sig] = format!(
            "Signature: {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        );
        let path = w.p(&format!("bad-{n}.journal"));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        paths.push(path);
    }
    let mut args = vec!["import"];
    args.extend(paths.iter().map(String::as_str));
    let _ = w.desk("main", &args);
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    let first = run.stdout.lines().next().unwrap();
    assert!(first.len() <= 1024, "{} bytes: {first}", first.len());
    assert!(first.contains("more problems below"), "{first}");
    assert_eq!(
        run.stdout
            .lines()
            .skip(1)
            .filter(|l| l.contains("is tampered"))
            .count(),
        120,
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Untrusted text

#[test]
fn a_dismissal_reason_with_hidden_characters_is_refused_and_nothing_changes() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let file = journal(&w, &[("load", now() - 3 * HOUR)]);
    let text = std::fs::read_to_string(&file).unwrap();
    // One journal whose signature fails: reported until dismissed.
    let damaged: String = text
        .lines()
        .map(|l| match l.strip_prefix("Signature: ") {
            Some(sig) => format!(
                "Signature: {}",
                sig.replacen('A', "B", 1).replacen('a', "b", 1)
            ),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let bad = w.p("bad.journal");
    std::fs::write(&bad, damaged).unwrap();
    let _ = w.desk("main", &["import", &bad]);
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    let hash = run
        .stdout
        .lines()
        .nth(1)
        .and_then(|l| l.split("--journal ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_string();
    let before = w.dump("main");
    for reason in ["looked into \u{1b}[2J", "ok \u{202e}looc", "two\nlines"] {
        w.desk(
            "main",
            &["journal", "dismiss", "--journal", &hash, "--reason", reason],
        )
        .refused("reason");
        assert_eq!(w.dump("main"), before, "{reason:?}");
    }
    w.desk(
        "main",
        &[
            "journal",
            "dismiss",
            "--journal",
            &hash,
            "--reason",
            "Prüfung: Übertragungsfehler",
        ],
    )
    .ok();
    assert_eq!(check(&w, "main").code, 0);
}
