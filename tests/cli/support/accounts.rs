//! Playing the accounts of a real deployment (root tests): `licdesk` run as another account of
//! this machine, a store's folder handed to the desk's account and the store's group as the
//! README's "Monitoring as it is deployed" sets it up, and the folder's listing, to show that
//! nothing in it was created or changed.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use super::*;

/// `licdesk --store STORE ARGS` as `user`, with `group` as its group and the user's own
/// supplementary groups (as a service manager or Nagios starts it).
pub fn licdesk_as(user: &str, group: &str, store: &Path, args: &[&str]) -> Run {
    let out = Command::new("setpriv")
        .arg(format!("--reuid={user}"))
        .arg(format!("--regid={group}"))
        .arg("--init-groups")
        .arg(binary("licdesk"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("LICDESK_STORE")
        .output()
        .expect("run setpriv");
    Run::from(out)
}

/// The number of a user or group: `getent passwd|group NAME`, third field.
pub fn id_of(database: &str, name: &str) -> u32 {
    let out = Command::new("getent")
        .args([database, name])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split(':')
        .nth(2)
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {database} entry {name}: {text}"))
}

/// Everything in `dir` handed to the desk's account `owner` and the store's group `group`: the
/// folder 2750 (the group may list and read, not create; files made later get the group),
/// files as they are (stores 0640).
pub fn hand_over(dir: &Path, owner: &str, group: &str) {
    let (uid, gid) = (id_of("passwd", owner), id_of("group", group));
    std::os::unix::fs::chown(dir, Some(uid), Some(gid)).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o2750)).unwrap();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
        // What only the vendor or the desk's account may read stays theirs (keys are 0600).
    }
}

/// The folder and each file in it: name, size, modification time, mode, owner and group.
pub fn listing(dir: &Path) -> Vec<String> {
    let line = |name: String, m: std::fs::Metadata| {
        format!(
            "{name} {} {}.{:09} {:o} {}:{}",
            m.len(),
            m.mtime(),
            m.mtime_nsec(),
            m.mode(),
            m.uid(),
            m.gid()
        )
    };
    let mut lines: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            line(
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap(),
            )
        })
        .collect();
    lines.sort();
    lines.insert(0, line(".".into(), std::fs::metadata(dir).unwrap()));
    lines
}

/// A copy of the WAL store `from` (checkpointed first) at `to`, with its `-wal` and `-shm`, a
/// page monitoring reads overwritten (the root of the journals' evaluations; monitoring reads no
/// page of licenses without a standby): a damaged store.
pub fn damaged_copy(from: &Path, to: &Path) {
    raw_store(from)
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let root: usize = raw_store(from)
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'usage_reports'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let sibling = licdesk_store::sharing::sibling;
    for suffix in ["", "-wal", "-shm"] {
        std::fs::copy(sibling(from, suffix), sibling(to, suffix)).unwrap();
    }
    let mut bytes = std::fs::read(to).unwrap();
    let page = root - 1;
    bytes[page * 4096..(page + 1) * 4096].fill(0x5a);
    std::fs::write(to, &bytes).unwrap();
}
