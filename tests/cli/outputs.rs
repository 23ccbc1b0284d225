//! Files written for people (`--out FILE`) never harm anything else: not the store, not the
//! installation key, not the vendor's key or ledger (under any name), not a device, not an
//! existing file unless `--force` says so; a failed write leaves no empty or partial output.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

/// A desk whose store and installation key exist.
fn desk_with_key(w: &World) {
    w.desk("d", &["hwid", "--out", &w.p("first.hwid")]).ok();
    assert!(w.path("d.sqlite").exists() && w.path("d.installation-key").exists());
}

/// The error object of a refused `--json` run.
#[track_caller]
fn error_of(run: &Run) -> Value {
    assert_ne!(run.code, 0, "not refused: {}", run.stdout);
    serde_json::from_str(run.stderr.trim())
        .unwrap_or_else(|e| panic!("not a JSON error ({e}): {}", run.stderr))
}

#[track_caller]
fn refused_with(run: Run, code: &str, words: &str) {
    let e = error_of(&run);
    assert_eq!(e["code"], code, "{e}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(message.contains(words), "expected '{words}' in: {message}");
}

/// The bytes of each file, to show they did not change.
fn bytes(paths: &[&Path]) -> Vec<Vec<u8>> {
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// No temporary file of ours is left in `dir`.
#[track_caller]
fn no_temporary_files(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".licdesk-tmp") || n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[track_caller]
fn hwid_refused_at(w: &World, out: &str, code: &str, words: &str) {
    let store = w.path("d.sqlite");
    let key = w.path("d.installation-key");
    let before = bytes(&[&store, &key]);
    let run = w.desk("d", &["--json", "hwid", "--force", "--out", out]);
    refused_with(run, code, words);
    assert_eq!(bytes(&[&store, &key]), before, "nothing was changed");
    no_temporary_files(w.dir.path());
}

#[test]
fn an_output_at_the_store_is_refused_and_the_store_left_as_it_was() {
    let w = World::new();
    desk_with_key(&w);
    hwid_refused_at(
        &w,
        &w.p("d.sqlite"),
        "output_protected",
        "this desk's store",
    );
}

#[test]
fn an_output_at_a_symbolic_link_to_the_store_is_refused() {
    let w = World::new();
    desk_with_key(&w);
    std::os::unix::fs::symlink(w.path("d.sqlite"), w.path("link.hwid")).unwrap();
    hwid_refused_at(&w, &w.p("link.hwid"), "output_protected", "store");
    assert!(std::fs::symlink_metadata(w.path("link.hwid"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_output_at_the_store_through_a_parent_folder_path_is_refused() {
    let w = World::new();
    desk_with_key(&w);
    std::fs::create_dir(w.path("sub")).unwrap();
    let out = w.path("sub").join("..").join("d.sqlite");
    hwid_refused_at(&w, &out.display().to_string(), "output_protected", "store");
    // The store's SQLite siblings too, existing or not.
    let wal = w.path("sub").join("..").join("d.sqlite-wal");
    hwid_refused_at(&w, &wal.display().to_string(), "output_protected", "store");
    assert!(!w.path("d.sqlite-journal").exists());
    hwid_refused_at(&w, &w.p("d.sqlite-journal"), "output_protected", "store");
    assert!(!w.path("d.sqlite-journal").exists());
}

#[test]
fn an_output_at_a_hard_link_to_the_store_is_refused() {
    let w = World::new();
    desk_with_key(&w);
    std::fs::hard_link(w.path("d.sqlite"), w.path("hard.hwid")).unwrap();
    hwid_refused_at(&w, &w.p("hard.hwid"), "output_protected", "store");
}

#[test]
fn an_output_at_the_installation_key_is_refused_and_the_key_kept() {
    let w = World::new();
    desk_with_key(&w);
    hwid_refused_at(
        &w,
        &w.p("d.installation-key"),
        "output_protected",
        "installation key",
    );
    // Also from a command that writes a request.
    let v = w.vendor();
    let (base, base_file) = w.issue_base(&v, "Outputs GmbH", "10", &[]);
    w.desk("d", &["trust", "add", &v.public]).ok();
    w.desk("d", &["import", &base_file]).ok();
    let before = bytes(&[&w.path("d.installation-key")]);
    let run = w.desk(
        "d",
        &[
            "--json",
            "request",
            "--license",
            &base,
            "--role",
            "main",
            "--this-machine",
            "--force",
            "--out",
            &w.p("d.installation-key"),
        ],
    );
    refused_with(run, "output_protected", "installation key");
    assert_eq!(bytes(&[&w.path("d.installation-key")]), before);
}

#[test]
fn an_output_at_the_vendor_key_or_its_public_key_is_refused() {
    let w = World::new();
    let v = w.vendor();
    let files = [Path::new(&v.key), Path::new(&v.public)];
    let before = bytes(&files);
    for out in [&v.key, &v.public] {
        let run = w.issuer(&[
            "--json",
            "issue",
            "--key",
            &v.key,
            "--customer",
            "Outputs GmbH",
            "--users",
            "10",
            "--force",
            "--out",
            out,
        ]);
        refused_with(run, "output_protected", "key");
        assert_eq!(bytes(&files), before);
    }
    no_temporary_files(w.dir.path());
}

#[test]
fn an_output_at_the_ledger_is_refused_before_the_ledger_changes() {
    let w = World::new();
    let v = w.vendor();
    let (base, base_file) = w.issue_base(&v, "Ledger GmbH", "10", &[]);
    w.desk("d", &["trust", "add", &v.public]).ok();
    w.desk("d", &["import", &base_file]).ok();
    let req = w.p("main.actreq");
    main_request(&w, "d", &base, &req).ok();
    // The ledger exists (another license activated there).
    let (other, other_file) = w.issue_base(&v, "Other GmbH", "10", &[]);
    w.desk("other", &["trust", "add", &v.public]).ok();
    w.desk("other", &["import", &other_file]).ok();
    let other_req = w.p("other.actreq");
    main_request(&w, "other", &other, &other_req).ok();
    w.activate(&v, &other_req).0.ok();
    let ledger = Path::new(&v.ledger);
    let before = bytes(&[ledger]);
    let dump = w.ledger_dump(&v);
    let run = w.issuer(&[
        "--json",
        "activate",
        "--key",
        &v.key,
        "--ledger",
        &v.ledger,
        "--request",
        &req,
        "--force",
        "--out",
        &v.ledger,
    ]);
    refused_with(run, "output_protected", "ledger");
    assert_eq!(bytes(&[ledger]), before);
    assert_eq!(w.ledger_dump(&v), dump, "the activation was not recorded");
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let w = World::new();
    desk_with_key(&w);
    let out = w.path("mine.hwid");
    std::fs::write(&out, "someone's file").unwrap();
    let run = w.desk("d", &["--json", "hwid", "--out", &w.p("mine.hwid")]);
    assert!(error_of(&run)["hint"]
        .as_str()
        .is_some_and(|h| h.contains("--force")));
    refused_with(run, "file_exists", "already exists");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "someone's file");
    w.desk("d", &["hwid", "--force", "--out", &w.p("mine.hwid")])
        .ok();
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("-----BEGIN"));

    // The vendor tool alike.
    let v = w.vendor();
    let cert = w.path("cert.lic");
    std::fs::write(&cert, "an older certificate").unwrap();
    let issue = |force: bool| {
        let mut args = vec![
            "--json",
            "issue",
            "--key",
            &v.key,
            "--customer",
            "Force GmbH",
            "--users",
            "10",
        ];
        if force {
            args.push("--force");
        }
        let out = w.p("cert.lic");
        args.extend(["--out", &out]);
        w.issuer(&args)
    };
    let run = issue(false);
    assert!(error_of(&run)["hint"]
        .as_str()
        .is_some_and(|h| h.contains("--force")));
    refused_with(run, "file_exists", "already exists");
    assert_eq!(
        std::fs::read_to_string(&cert).unwrap(),
        "an older certificate"
    );
    issue(true).ok();
    assert!(std::fs::read_to_string(&cert)
        .unwrap()
        .starts_with("-----BEGIN"));
    no_temporary_files(w.dir.path());
}

#[test]
fn keygen_keeps_an_existing_key_unless_forced_and_never_writes_its_public_key_over_it() {
    let w = World::new();
    let v = w.vendor();
    let files = [Path::new(&v.key), Path::new(&v.public)];
    let before = bytes(&files);
    let run = w.issuer(&["--json", "keygen", "--out", &v.key]);
    assert!(error_of(&run)["hint"]
        .as_str()
        .is_some_and(|h| h.contains("--force")));
    refused_with(run, "file_exists", "already exists");
    assert_eq!(bytes(&files), before);

    // A private key named like its public key file would be overwritten by it.
    let run = w.issuer(&["--json", "keygen", "--out", &w.p("odd.vpub")]);
    refused_with(run, "output_protected", "private key");
    assert!(!w.path("odd.vpub").exists());

    w.issuer(&["keygen", "--force", "--out", &v.key]).ok();
    assert_ne!(bytes(&files), before, "replaced when forced");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&v.key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_device_or_a_named_pipe_is_refused_as_an_output() {
    let w = World::new();
    desk_with_key(&w);
    hwid_refused_at(&w, "/dev/null", "output_not_regular", "device");
    let fifo = w.path("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    hwid_refused_at(&w, &w.p("pipe"), "output_not_regular", "named pipe");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());

    let v = w.vendor();
    let run = w.issuer(&[
        "--json",
        "issue",
        "--key",
        &v.key,
        "--customer",
        "Null GmbH",
        "--users",
        "10",
        "--force",
        "--out",
        "/dev/null",
    ]);
    refused_with(run, "output_not_regular", "device");
}

#[test]
fn temporary_files_of_killed_writers_are_swept_by_the_next_write() {
    let w = World::new();
    desk_with_key(&w);
    // pids above the kernel's limit (4194304) never run.
    let orphan = w.path(".out.hwid.99999998.00000000000000aa.licdesk-tmp");
    std::fs::write(&orphan, "half a file").unwrap();
    let live = w.path(&format!(
        ".out.hwid.{}.00000000000000bb.licdesk-tmp",
        std::process::id()
    ));
    std::fs::write(&live, "a live writer's").unwrap();
    w.desk("d", &["hwid", "--out", &w.p("out.hwid")]).ok();
    assert!(!orphan.exists(), "the dead writer's file is swept");
    assert!(live.exists(), "a live writer's file is left alone");

    let v = w.vendor();
    let orphan = w.path(".cert.lic.99999997.00000000000000cc.licdesk-tmp");
    std::fs::write(&orphan, "half a certificate").unwrap();
    w.issuer(&[
        "issue",
        "--key",
        &v.key,
        "--customer",
        "Sweep GmbH",
        "--users",
        "10",
        "--out",
        &w.p("cert.lic"),
    ])
    .ok();
    assert!(!orphan.exists());
}

#[test]
fn a_full_disk_leaves_no_empty_or_partial_output_and_says_the_disk_is_full() {
    if !root_or_skipped_knowingly("a_full_disk_leaves_no_empty_or_partial_output") {
        return;
    }
    let w = World::new();
    desk_with_key(&w);
    let v = w.vendor();
    let full = w.path("full");
    std::fs::create_dir(&full).unwrap();
    // A small file system of its own, in a private mount namespace, filled up before the
    // writes; what is left in it is listed from inside.
    let script = r#"
        set -u
        mount -t tmpfs -o size=64k tmpfs "$FULL" || exit 90
        dd if=/dev/zero of="$FULL/filler" bs=4k count=1000 2>/dev/null
        "$ISSUER" --json issue --key "$KEY" --customer "Full GmbH" --users 10 --out "$FULL/cert.lic"
        echo "issuer exit $?"
        "$LICDESK" --store "$STORE" --json hwid --out "$FULL/this.hwid"
        echo "desk exit $?"
        ls -A "$FULL"
    "#;
    let out = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", script])
        .env("FULL", &full)
        .env("ISSUER", binary("licdesk-issuer"))
        .env("LICDESK", binary("licdesk"))
        .env("KEY", &v.key)
        .env("STORE", w.path("d.sqlite"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("issuer exit 1"), "{stdout}{stderr}");
    assert!(stdout.contains("desk exit 1"), "{stdout}{stderr}");
    let errors: Vec<Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    for e in &errors {
        assert_eq!(e["code"], "disk_full", "{e}");
        assert!(
            e["message"].as_str().unwrap().contains("the disk is full"),
            "{e}"
        );
    }
    let left: Vec<&str> = stdout.lines().filter(|l| !l.contains(" exit ")).collect();
    assert_eq!(
        left,
        ["filler"],
        "no output, empty or partial, and no temporary file"
    );
}
