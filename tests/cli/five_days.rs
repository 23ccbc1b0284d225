//! The five-day rule (R12): the limits of the signed activation, warnings, violations with their
//! start and time over, unaccounted time, and the notice (R11) and past violations acknowledged.

use licdesk_core::usage::UsageJournal;
use licdesk_core::{Envelope, Timestamp};

use crate::support::*;

#[test]
fn a_standby_within_the_limits_is_ok_for_monitoring_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let t0 = now() - 20 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 10 * HOUR)]);
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
    let run = check(&w, "main");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("LICDESK OK - "), "{}", run.stdout);
    let exported = out["files"][0]["message"].as_str().unwrap();
    let exported = exported.split("as of ").nth(1).unwrap();
    assert!(
        run.stdout.contains(&format!("{fo} as of {exported}")),
        "the journal's time: {}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 36000, "259200;432000;0"),
        "{}",
        run.stdout
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("10.0 h under load in the current episode (limit 120 h)"),
        "{text}"
    );
}

#[test]
fn more_than_five_days_under_load_is_a_violation_with_its_start_and_time_over_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let t0 = now() - 200 * HOUR;
    // 60 h load, 20 h idle (does not count, no 24 h gap), 61 h load: 121 h in one episode.
    let file = journal(
        &w,
        &[
            ("load", t0),
            ("idle", t0 + 60 * HOUR),
            ("load", t0 + 80 * HOUR),
            ("idle", t0 + 141 * HOUR),
        ],
    );
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert!(
        out["files"][0]["message"]
            .as_str()
            .unwrap()
            .contains("VIOLATION"),
        "{out}"
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains(&format!(
            "VIOLATION: the episode since {} ran 121.0 h under load, 1.0 h over the limit",
            at(t0)
        )),
        "{text}"
    );
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK CRITICAL - ") && run.stdout.contains(&fo),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("over the five-day limit"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_final_warning_above_96_hours_warns_monitoring_while_its_episode_runs_r12() {
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    // 97 h under load, idle for the last 3 h: the episode still runs at the export.
    let t0 = now() - 100 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 97 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("LICDESK WARNING") && run.stdout.contains("final warning"),
        "{}",
        run.stdout
    );
    // The status line says the journal's time.
    let usage = &w.desk("main", &["--json", "show", &fo]).ok().json()["failovers"][0]["usage"];
    let exported = usage["exported_at"].as_str().unwrap();
    assert!(
        run.stdout.contains(&format!("as of {exported}")),
        "{}",
        run.stdout
    );

    // The same 97 h ended by a 24 h idle gap before the export: the warning is over.
    let w = World::new();
    activated_standby(&w);
    let t0 = now() - 150 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 97 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("LICDESK OK - "), "{}", run.stdout);
}

#[test]
fn the_notice_can_be_acknowledged_and_the_acknowledgement_is_audited_r11() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let text = w.desk("standby", &["show", &base]).ok().stdout;
    assert!(
        text.contains("standby or test operation only") && text.contains("not yet acknowledged"),
        "{text}"
    );
    w.desk("standby", &["standby", "acknowledge", "--failover", &fo])
        .ok();
    let text = w.desk("standby", &["show", &base]).ok().stdout;
    assert!(text.contains("Notice:      acknowledged"), "{text}");
    let audit = w.desk("standby", &["audit"]).ok().stdout;
    assert!(
        audit.contains("notice-acknowledged") && audit.contains(&fo),
        "{audit}"
    );
}

#[test]
fn the_audit_log_names_who_made_each_change_in_a_shared_store() {
    let w = World::new();
    let (v, _, fo) = activated_standby(&w);
    w.desk_as(
        "standby",
        Some("anna"),
        &["standby", "acknowledge", "--failover", &fo],
    )
    .ok();
    let audit = |desk: &str| -> Vec<serde_json::Value> {
        serde_json::from_str(&w.desk(desk, &["--json", "audit"]).ok().stdout).unwrap()
    };
    let actor = |e: &serde_json::Value| e["actor"].as_str().unwrap_or_default().to_owned();
    let entries = audit("standby");
    let last = entries.last().expect("audit entries");
    assert_eq!(last["action"], "notice-acknowledged");
    let who = actor(last);
    let (account, computer) = who.rsplit_once('@').expect("account@computer");
    assert_eq!(account, "anna", "{last}");
    assert!(
        !computer.is_empty() && computer != "unknown computer",
        "{last}"
    );
    // Every change before it was made at the same computer, by whoever ran the tests.
    for e in &entries[..entries.len() - 1] {
        assert!(actor(e).ends_with(&format!("@{computer}")), "{e}");
        assert!(!actor(e).starts_with("anna@"), "{e}");
    }
    // The text names them too.
    let text = w.desk("standby", &["audit"]).ok().stdout;
    assert!(text.contains(&format!("anna@{computer}")), "{text}");
    // A service's account, with neither USER nor LOGNAME: its user id.
    w.desk_as("service", None, &["trust", "add", &v.public])
        .ok();
    let entries = audit("service");
    let who = actor(entries.last().expect("the key added"));
    assert!(
        who.starts_with("uid ") && who.ends_with(&format!("@{computer}")),
        "{who}"
    );
}

/// The vendor's private key of this world.
fn vendor_key(w: &World) -> licdesk_issuer::VendorKey {
    licdesk_issuer::VendorKey::load(&w.path("vendor.key")).unwrap()
}

/// A standby with `parts` journaled on its desk, the journal imported on "main"; returns
/// `licdesk check` on "main".
fn checked(w: &World, parts: &[(&str, i64)]) -> Run {
    let file = journal(w, parts);
    w.desk("main", &["import", &file]).ok();
    check(w, "main")
}

#[test]
fn monitoring_at_the_edges_of_the_five_day_rule_r12() {
    // Above 72 h: a plain warning, with the load hours in the performance data.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let run = checked(&w, &[("load", now() - 73 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK WARNING - ")
            && run
                .stdout
                .contains(&format!("{fo} warning: 73.0 h under load"))
            && !run.stdout.contains("final warning"),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 262800, "259200;432000;0"),
        "{}",
        run.stdout
    );

    // Above 96 h: the final warning.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let run = checked(&w, &[("load", now() - 97 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} final warning: 97.0 h under load"))
            && run.stdout.contains("over 96 h"),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 349200, "259200;432000;0"),
        "{}",
        run.stdout
    );

    // An idle gap of exactly 24 h ends an episode: 80 h, then 41 h. The 80 h episode was a
    // warning, not a violation, and it is over: the current episode's 41 h are fine.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let t0 = now() - (80 + 24 + 41) * HOUR;
    let run = checked(
        &w,
        &[
            ("load", t0),
            ("idle", t0 + 80 * HOUR),
            ("load", t0 + 104 * HOUR),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK OK - ")
            && !status_text(&run.stdout).contains("warning")
            && !run.stdout.contains("limit:"),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 147600, "259200;432000;0"),
        "{}",
        run.stdout
    );

    // 23 h 59 min does not: one episode of 121 h, a violation.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let gap = 23 * HOUR + 59 * 60;
    let t0 = now() - (80 * HOUR + gap + 41 * HOUR);
    let run = checked(
        &w,
        &[
            ("load", t0),
            ("idle", t0 + 80 * HOUR),
            ("load", t0 + 80 * HOUR + gap),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK CRITICAL - ")
            && run.stdout.contains(&format!(
                "{fo} over the five-day limit: 121.0 h under load since {}",
                at(t0)
            )),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 435600, "259200;432000;0"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_limits_come_from_the_signed_license_a_48_hour_standby_is_over_at_49_hours_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby_with(
        &w,
        &[
            "--limit-hours",
            "48",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
            "--gap-hours",
            "12",
        ],
    );
    let run = checked(&w, &[("load", now() - 49 * HOUR)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} over the 48 h limit: 49.0 h under load"))
            && run.stdout.contains("(1.0 h over 48 h)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("five-day"), "{}", run.stdout);
    assert!(
        load_is(&run.stdout, &fo, 176400, "86400;172800;0"),
        "{}",
        run.stdout
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("(limit 48 h)")
            && text.contains("VIOLATION (over 48 h)")
            && text.contains("1.0 h over the limit of 48 h"),
        "{text}"
    );
    // This desk holds no standby of its own, yet its R11 notice names the limits of the
    // activation the journal carried, not the standard five days.
    let notice = text
        .lines()
        .find(|l| l.contains("standby or test operation only"))
        .expect("the R11 notice");
    assert!(
        notice.contains("48 hours") && !notice.contains("five"),
        "{notice}"
    );
    // The standby's signed license carries these limits, and a notice that names them.
    let response = std::fs::read_to_string(w.path("standby.actreq.actresp")).unwrap();
    let response: licdesk_core::ActivationResponse = Envelope::parse(response.as_bytes())
        .unwrap()
        .verify(&vendor_key(&w).key.verifying_key())
        .unwrap()
        .payload()
        .unwrap();
    assert_eq!(response.limits.unwrap().max_load_hours, 48);
    let notice = response.notice.unwrap();
    assert!(
        notice.contains("48 hours") && !notice.contains("five"),
        "{notice}"
    );

    // At 30 h the same standby has a warning (over 24 h), and at 40 h a final warning.
    let w = World::new();
    activated_standby_with(
        &w,
        &[
            "--limit-hours",
            "48",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
        ],
    );
    let run = checked(&w, &[("load", now() - 30 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("warning: 30.0 h under load")
            && run.stdout.contains("over 24 h of at most 48 h"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_past_violation_stays_critical_until_acknowledged_with_a_reason_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    // 121 h under load, ended 39 h before the export.
    let t0 = now() - 160 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 121 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(&format!(
            "LICDESK CRITICAL - {fo} over the five-day limit: 121.0 h under load since {}",
            at(t0)
        )) && run
            .stdout
            .contains(&format!("licdesk journal acknowledge --failover {fo}")),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 0, "259200;432000;0"),
        "nothing is under load in the current episode: {}",
        run.stdout
    );
    // Refusals change nothing and say what to do.
    let before = w.dump("main");
    acknowledge(&w, "main", &fo, " ").refused("say why");
    assert_eq!(w.dump("main"), before);
    let reason = "failover during the data-centre move, approved by the vendor (ticket 4711)";
    let out = w
        .desk(
            "main",
            &[
                "--json",
                "journal",
                "acknowledge",
                "--failover",
                &fo,
                "--reason",
                reason,
            ],
        )
        .ok()
        .json();
    assert_eq!(out["episodes"][0]["start"], at(t0).as_str(), "{out}");
    assert_eq!(out["reason"], reason);
    let run = check(&w, "main");
    assert_eq!(run.code, 0, "{}", run.stdout);
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("VIOLATION: the episode since") && text.contains("(acknowledged "),
        "{text}"
    );
    let audit = w.desk("main", &["audit"]).ok().stdout;
    assert!(
        audit.contains("violation-acknowledged") && audit.contains(reason),
        "{audit}"
    );
    // Only once.
    let before = w.dump("main");
    acknowledge(&w, "main", &fo, reason).refused("no past violation to acknowledge");
    assert_eq!(w.dump("main"), before);

    // A violation still running cannot be acknowledged.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let file = journal(&w, &[("load", now() - 121 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let before = w.dump("main");
    acknowledge(&w, "main", &fo, reason).refused("still running");
    assert_eq!(w.dump("main"), before);
    assert_eq!(check(&w, "main").code, 2);
}

#[test]
fn a_violation_the_journal_shows_is_reported_once_not_again_as_unaccounted_time_r12() {
    // Exported just now, 121 h under load: the violation is the problem. The few seconds since
    // the export add nothing to it — no "at worst over the limit" beside it.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let file = journal(&w, &[("load", now() - 121 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("LICDESK CRITICAL - {fo} over the five-day limit"))
            && !first.contains("(+"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("unaccounted for"), "{}", run.stdout);
    assert!(unaccounted_is(&run.stdout, &fo, 0), "{}", run.stdout);
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
    assert!(unaccounted_is(&run.stdout, &fo, 471600), "{}", run.stdout);

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
    acknowledge(
        &w,
        "standby",
        &fo,
        "the old standby ran the main system's load during its repair",
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
