//! The output helper's own tests.

use super::*;

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(TEMP_SUFFIX))
        .collect()
}

#[test]
fn a_new_file_is_written_whole_and_no_temporary_file_stays() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("request.actreq");
    Output::new(&out, IfExists::Refuse).write(b"hello").unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"hello");
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn an_existing_file_is_replaced_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.hwid");
    std::fs::write(&out, "before").unwrap();
    let e = Output::new(&out, IfExists::Refuse)
        .write(b"after")
        .unwrap_err();
    assert_eq!(e.code(), "file_exists");
    // The shells word the way out (the command line: --force); the helper names no flag.
    assert!(
        e.to_string().contains("already exists: replace it") && !e.to_string().contains("--"),
        "{e}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "before");
    Output::new(&out, IfExists::Replace)
        .write(b"after")
        .unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "after");
}

#[cfg(unix)]
#[test]
fn a_link_at_the_target_is_replaced_itself_and_what_it_led_to_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "kept").unwrap();
    let out = dir.path().join("out.lic");
    std::os::unix::fs::symlink(&elsewhere, &out).unwrap();
    let e = Output::new(&out, IfExists::Refuse)
        .write(b"new")
        .unwrap_err();
    assert_eq!(e.code(), "file_exists");
    Output::new(&out, IfExists::Replace).write(b"new").unwrap();
    assert!(std::fs::symlink_metadata(&out).unwrap().is_file());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "kept");
}

#[test]
fn a_protected_file_is_refused_under_any_name() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let store = dir.path().join("store.sqlite");
    std::fs::write(&store, "the store").unwrap();
    let hard = dir.path().join("hard-link");
    std::fs::hard_link(&store, &hard).unwrap();
    #[cfg_attr(not(unix), allow(unused_mut))] // links are made on Unix only
    let mut names = vec![
        store.clone(),
        sub.join("..").join("store.sqlite"),
        hard.clone(),
        // A sibling that does not exist yet.
        sub.join("../store.sqlite-wal"),
    ];
    #[cfg(unix)]
    {
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&store, &link).unwrap();
        names.push(link);
        let folder_link = dir.path().join("folder-link");
        std::os::unix::fs::symlink(dir.path(), &folder_link).unwrap();
        names.push(folder_link.join("store.sqlite-shm"));
    }
    for name in names {
        let e = Output::new(&name, IfExists::Replace)
            .protect_database(&store, "this desk's store")
            .write(b"over")
            .unwrap_err();
        assert_eq!(e.code(), "output_protected", "{}: {e}", name.display());
        assert!(e.to_string().contains("this desk's store"), "{e}");
        assert_eq!(std::fs::read_to_string(&store).unwrap(), "the store");
        assert!(!dir.path().join("store.sqlite-wal").exists());
        assert!(!dir.path().join("store.sqlite-shm").exists());
    }
    assert!(temp_files(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_device_a_folder_and_a_pipe_are_refused_with_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for (path, word) in [
        (PathBuf::from("/dev/null"), "device"),
        (dir.path().to_path_buf(), "folder"),
        (fifo, "named pipe"),
    ] {
        let e = Output::new(&path, IfExists::Replace)
            .write(b"x")
            .unwrap_err();
        assert_eq!(e.code(), "output_not_regular", "{e}");
        assert!(e.to_string().contains(word), "{e}");
    }
    assert!(Path::new("/dev/null").exists());
    assert!(temp_files(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_link_planted_at_the_temporary_name_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    let out = dir.path().join("out.lic");
    let stem = temp_stem(OsStr::new("out.lic"));
    // The attacker guessed the first random number: a link sits at that temporary name.
    let planted = dir.path().join(format!(
        "{stem}{}.{:016x}{TEMP_SUFFIX}",
        std::process::id(),
        7
    ));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let mut sequence = [7u64, 8].into_iter();
    Output::new(&out, IfExists::Refuse)
        .write_with(&mut || sequence.next().unwrap(), |f| f.write_all(b"new"))
        .unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
    assert!(std::fs::symlink_metadata(&planted)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_full_disk_leaves_the_target_as_it_was_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("response.actresp");
    std::fs::write(&out, "the old response").unwrap();
    let full = if cfg!(windows) { 112 } else { 28 };
    let e = Output::new(&out, IfExists::Replace)
        .write_with(&mut os_random, |f| {
            f.write_all(b"half of it")?;
            Err(io::Error::from_raw_os_error(full))
        })
        .unwrap_err();
    assert_eq!(e.code(), "disk_full");
    assert!(e.to_string().contains("the disk is full"), "{e}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the old response");
    assert!(temp_files(dir.path()).is_empty());

    let new = dir.path().join("new.actresp");
    Output::new(&new, IfExists::Refuse)
        .write_with(&mut os_random, |_| Err(io::Error::from_raw_os_error(full)))
        .unwrap_err();
    assert!(!new.exists(), "no empty output");
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_private_file_is_private_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("vendor.key");
    Output::new(&out, IfExists::Refuse)
        .private()
        .write_with(&mut os_random, |f| {
            assert_eq!(exposure(f)?, None, "the temporary file is private already");
            f.write_all(b"secret")
        })
        .unwrap();
    assert_eq!(exposure_of(&out).unwrap(), None);
    assert_eq!(std::fs::read(&out).unwrap(), b"secret");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn a_name_windows_cannot_hold_is_refused_there_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["CON.hwid", "journal 12:00.ljrn", "standby."] {
        let out = dir.path().join(name);
        let result = Output::new(&out, IfExists::Refuse).write(b"x");
        if cfg!(windows) {
            let err = result.unwrap_err();
            assert!(
                matches!(err, OutputError::NameNotAllowed { .. }),
                "{name}: {err}"
            );
            assert_eq!(err.code(), "invalid_input");
            assert!(err.to_string().contains("cannot be a file name on Windows"));
        } else {
            result.unwrap();
        }
    }
    if cfg!(windows) {
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

#[cfg(any(target_os = "linux", windows))]
#[test]
fn orphans_of_gone_processes_are_swept_and_others_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("usage.journal");
    // A pid above the kernel's limit (4194304) never runs.
    let gone = dir
        .path()
        .join(format!(".usage.journal.99999999.{:016x}{TEMP_SUFFIX}", 1));
    let alive = dir.path().join(format!(
        ".usage.journal.{}.{:016x}{TEMP_SUFFIX}",
        std::process::id(),
        2
    ));
    let other_target = dir
        .path()
        .join(format!(".other.99999999.{:016x}{TEMP_SUFFIX}", 3));
    let not_ours = dir.path().join(".usage.journal.99999999.tmp");
    for f in [&gone, &alive, &other_target, &not_ours] {
        std::fs::write(f, "left over").unwrap();
    }
    Output::new(&out, IfExists::Refuse)
        .write(b"journal")
        .unwrap();
    assert!(!gone.exists(), "the orphan of a dead process is swept");
    assert!(alive.exists(), "a live writer's file is left");
    assert!(other_target.exists(), "only this target's files are swept");
    assert!(not_ours.exists());
}

#[test]
fn a_temporary_name_is_recognised_only_in_its_own_shape() {
    let stem = ".a.b.";
    assert_eq!(
        orphan_pid(&format!(".a.b.12.{:016x}{TEMP_SUFFIX}", 5), stem),
        Some(12)
    );
    assert_eq!(orphan_pid(".a.b.12.5.licdesk-tmp", stem), None);
    assert_eq!(
        orphan_pid(&format!(".a.b.x.{:016x}{TEMP_SUFFIX}", 5), stem),
        None
    );
    assert_eq!(orphan_pid(".a.b.12.0000000000000005", stem), None);
}

#[test]
fn a_long_name_keeps_its_temporary_name_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let name = "ü".repeat(120); // 240 bytes
    let out = dir.path().join(&name);
    Output::new(&out, IfExists::Refuse).write(b"x").unwrap();
    assert!(out.exists());
}
