//! `licdesk sync --with URL`: two laptops that worked offline and their team's store on
//! PostgreSQL converge, whichever syncs first, with nothing lost (the audit logs of all three
//! hold every entry); a second sync finds nothing to exchange; a file the team's store does not
//! trust is refused there and named; the URL's password is never shown.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::*;

/// The license numbers a `list --json` shows.
fn licenses(list: &Value) -> BTreeSet<String> {
    list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["license"].as_str().expect("license").to_string())
        .collect()
}

/// Who the audit log (`audit --json`) names, and how many entries it has.
fn audit(log: &Value) -> (BTreeSet<String>, usize) {
    let entries = log.as_array().expect("audit entries");
    let actors = entries
        .iter()
        .filter_map(|e| e["actor"].as_str())
        .map(|a| a.split('@').next().unwrap_or(a).to_string())
        .collect();
    (actors, entries.len())
}

fn sync(w: &World, laptop: &str, url: &str) -> Value {
    w.desk_as(laptop, Some(laptop), &["--json", "sync", "--with", url])
        .ok()
        .json()
}

fn two_laptops_converge(anna_first: bool) {
    let w = World::new();
    let v = w.vendor();
    let team = TeamStore::new(if anna_first {
        "sync_anna_first"
    } else {
        "sync_ben_first"
    });
    let url = team.url();
    // Each store's administrator decides which vendor keys it trusts: sync does not.
    w.team_desk(&url, "lena", &["trust", "add", &v.public]).ok();
    for laptop in ["anna", "ben"] {
        w.desk_as(laptop, Some(laptop), &["trust", "add", &v.public])
            .ok();
    }
    // Offline, at two customers' sites.
    let (anna_license, anna_file) = w.issue_base(&v, "Kunde von Anna GmbH", "25", &[]);
    let (ben_license, ben_file) = w.issue_base(&v, "Kunde von Ben AG", "10", &[]);
    w.desk_as("anna", Some("anna"), &["import", &anna_file])
        .ok();
    w.desk_as("ben", Some("ben"), &["import", &ben_file]).ok();

    let order = if anna_first {
        ["anna", "ben", "anna"]
    } else {
        ["ben", "anna", "ben"]
    };
    // Each laptop syncs, the first again (it gets the other's work), then the second again.
    let first = sync(&w, order[0], &url);
    assert_eq!(first["sent"]["files"], 1, "{first}");
    assert_eq!(first["received"]["files"], 0, "{first}");
    let second = sync(&w, order[1], &url);
    assert_eq!(second["sent"]["files"], 1, "{second}");
    assert_eq!(second["received"]["files"], 1, "{second}");
    let third = sync(&w, order[2], &url);
    assert_eq!(third["received"]["files"], 1, "{third}");
    // The laptop that synced in the middle catches up with what the last sync recorded (its
    // own file imported on the other laptop): no file is left to exchange, only those entries.
    let fourth = sync(&w, order[1], &url);
    assert_eq!(fourth["received"]["files"], 0, "{fourth}");
    assert_eq!(fourth["sent"]["audit_entries"], 0, "{fourth}");

    let all: BTreeSet<String> = [anna_license, ben_license].into_iter().collect();
    let on_team = w.team_desk(&url, "lena", &["--json", "list"]).ok().json();
    assert_eq!(licenses(&on_team), all);
    let team_log = w.team_desk(&url, "lena", &["--json", "audit"]).ok().json();
    let (team_actors, team_entries) = audit(&team_log);
    for laptop in ["anna", "ben"] {
        assert_eq!(
            licenses(&w.desk(laptop, &["--json", "list"]).ok().json()),
            all,
            "{laptop}"
        );
        let (actors, entries) = audit(&w.desk(laptop, &["--json", "audit"]).ok().json());
        assert_eq!(actors, team_actors, "{laptop}");
        assert_eq!(
            entries, team_entries,
            "{laptop}: every entry reached every store once"
        );
    }
    for who in ["anna", "ben", "lena"] {
        assert!(team_actors.contains(who), "{who} in {team_actors:?}");
    }
    // Nothing left: a sync changes nothing.
    let again = sync(&w, "anna", &url);
    for side in ["received", "sent"] {
        for count in [
            "files",
            "registrations",
            "requests",
            "decisions",
            "audit_entries",
        ] {
            assert_eq!(again[side][count], 0, "{side} {count}: {again}");
        }
    }
    w.assert_current_folder_empty();
}

#[test]
fn two_laptops_that_worked_offline_and_their_team_store_converge_anna_first() {
    two_laptops_converge(true);
}

#[test]
fn two_laptops_that_worked_offline_and_their_team_store_converge_ben_first() {
    two_laptops_converge(false);
}

#[test]
fn a_file_the_team_store_does_not_trust_is_refused_there_and_named_and_no_password_is_shown() {
    let w = World::new();
    let v = w.vendor();
    let team = TeamStore::new("sync_untrusted");
    // The cluster trusts its socket: a password in the URL is not needed, and must not show.
    let url = format!("{}?password=s3cret-sync-pw", team.url());
    w.desk_as("anna", Some("anna"), &["trust", "add", &v.public])
        .ok();
    let (license, file) = w.issue_base(&v, "Kunde GmbH", "25", &[]);
    w.desk_as("anna", Some("anna"), &["import", &file]).ok();

    let run = w.desk_as("anna", Some("anna"), &["sync", "--with", &url]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("refused by the other store"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("password=***"), "{}", run.stdout);
    let json = w.desk_as("anna", Some("anna"), &["--json", "sync", "--with", &url]);
    assert_eq!(json.code, 1);
    let refusal: Value = serde_json::from_str(json.stderr.lines().next().expect("a refusal"))
        .expect("JSON on stderr");
    assert_eq!(refusal["refused_by"], "other", "{refusal}");
    assert!(refusal["code"].is_string(), "{refusal}");
    for text in [&run.stdout, &run.stderr, &json.stdout, &json.stderr] {
        assert!(!text.contains("s3cret-sync-pw"), "{text}");
    }
    // The team's store holds nothing of it; once its administrator trusts the vendor, the next
    // sync brings it.
    let on_team = w
        .team_desk(&team.url(), "lena", &["--json", "list"])
        .ok()
        .json();
    assert!(licenses(&on_team).is_empty());
    w.team_desk(&team.url(), "lena", &["trust", "add", &v.public])
        .ok();
    let after = sync(&w, "anna", &url);
    assert_eq!(after["sent"]["files"], 1, "{after}");
    let on_team = w
        .team_desk(&team.url(), "lena", &["--json", "list"])
        .ok()
        .json();
    assert_eq!(licenses(&on_team), [license].into_iter().collect());
}
