//! Importing files: each refusal with a clear message and the store's content unchanged, the
//! same file twice, two imports at the same time, and a full disk.

use crate::support::*;

#[test]
fn a_failover_certificate_without_its_base_is_refused_naming_the_base() {
    let w = World::new();
    let v = setup(&w);
    let (base, _) = w.issue_base(&v, "Missing Base KG", "10", &[]);
    let (_, ff) = w.issue_failover(&v, &base);
    refused_import(&w, &ff, &base);
}

#[test]
fn empty_truncated_binary_and_huge_files_are_refused() {
    let w = World::new();
    let v = setup(&w);
    let (_, bf) = w.issue_base(&v, "Files", "10", &[]);
    let text = std::fs::read(&bf).unwrap();
    std::fs::write(w.path("empty.lic"), b"").unwrap();
    std::fs::write(w.path("truncated.lic"), &text[..text.len() / 2]).unwrap();
    std::fs::write(
        w.path("binary.lic"),
        [0x7f, b'E', b'L', b'F', 0, 1, 2, 0xff, 0xfe],
    )
    .unwrap();
    // 50 MB, sparse: refused from its size, without reading it.
    let huge = std::fs::File::create(w.path("huge.lic")).unwrap();
    huge.set_len(50 * 1024 * 1024).unwrap();
    refused_import(&w, &w.p("empty.lic"), "empty");
    refused_import(&w, &w.p("truncated.lic"), "cut off");
    refused_import(&w, &w.p("binary.lic"), "not text");
    refused_import(&w, &w.p("huge.lic"), "52428800 bytes");
    refused_import(&w, &w.p("does-not-exist.lic"), "no such file");
}

#[test]
fn importing_the_same_file_twice_adds_nothing_and_is_not_an_error() {
    let w = World::new();
    let v = setup(&w);
    let (_, bf) = w.issue_base(&v, "Twice", "10", &[]);
    w.desk("main", &["import", &bf]).ok();
    let before = w.dump("main");
    let out = w.desk("main", &["--json", "import", &bf]).ok().json();
    assert_eq!(out["files"][0]["status"], "unchanged");
    assert_eq!(w.dump("main"), before);
    assert_eq!(w.desk("main", &["--json", "list"]).ok().json()["total"], 1);
}

#[test]
fn two_imports_writing_at_the_same_time_both_succeed() {
    let w = World::new();
    let v = setup(&w);
    let files: Vec<String> = (0..8)
        .map(|i| w.issue_base(&v, &format!("Parallel {i}"), "10", &[]).1)
        .collect();
    for round in files.chunks(2) {
        let spawn = |f: &str| {
            std::process::Command::new(binary("licdesk"))
                .args(["--store", &w.p("main.sqlite"), "import", f])
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| spawn(&round[0]));
            let b = s.spawn(|| spawn(&round[1]));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    }
    assert_eq!(w.desk("main", &["--json", "list"]).ok().json()["total"], 8);
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
