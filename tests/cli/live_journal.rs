//! The five-day rule (R12) on the standby's own desk: the journal it keeps is evaluated live by
//! monitoring (warnings, violations, an ended violation until acknowledged, a journal changed by
//! hand), and nothing there is ever unaccounted.

use crate::support::*;

/// `parts` appended to the journal the standby's own desk keeps (nothing exported or imported);
/// returns `licdesk check` there.
fn live(w: &World, parts: &[(&str, i64)]) -> Run {
    for (state, t) in parts {
        w.desk(
            "standby",
            &["journal", "append", "--state", state, "--at", &at(*t)],
        )
        .ok();
    }
    check(w, "standby")
}

#[test]
fn the_standbys_own_desk_keeps_its_journal_live_and_has_nothing_unaccounted_r12() {
    let w = World::new();
    let (_v, _base, fo) = activated_standby(&w);
    let run = check(&w, "standby");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("1 active standby systems here, 1 usage journals evaluated"),
        "its live journal is evaluated, empty as it is: {}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 0, "259200;432000;0"),
        "{}",
        run.stdout
    );
    // Under load for 2 h, never exported: all is accounted for, the load counts up to now.
    let run = live(&w, &[("load", now() - 2 * HOUR)]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        !run.stdout.contains(&format!("{fo}_unaccounted"))
            && !run.stdout.contains("unaccounted for"),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 7200, "259200;432000;0"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_standbys_own_desk_warns_and_goes_critical_from_its_live_journal_r12() {
    // Above 72 h under load, right here: a warning, with the load in the performance data.
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let run = live(&w, &[("load", now() - 73 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(&format!(
            "LICDESK WARNING - {fo} warning: 73.0 h under load"
        )) && !run.stdout.contains("final warning"),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 262800, "259200;432000;0"),
        "{}",
        run.stdout
    );
    // The desk's own view says the same, live.
    let text = w.desk("standby", &["show", &base]).ok().stdout;
    assert!(
        text.contains("73.0 h under load in the current episode (limit 120 h)")
            && text.contains("(this standby's own journal, live): warning (over 72 h)"),
        "{text}"
    );
    let view = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert_eq!(view["failovers"][0]["usage_live"], true, "{view}");
    assert_eq!(
        view["failovers"][0]["usage"]["evaluation"]["current"]["level"], "warning",
        "{view}"
    );

    // Above 96 h: the final warning.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let run = live(&w, &[("load", now() - 97 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} final warning: 97.0 h under load"))
            && run.stdout.contains("over 96 h"),
        "{}",
        run.stdout
    );

    // Above 120 h, with an idle break of less than a day in it: CRITICAL, with the episode's
    // start and the time over, in every format.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let t0 = now() - 141 * HOUR;
    let run = live(
        &w,
        &[
            ("load", t0),
            ("idle", t0 + 60 * HOUR),
            ("load", t0 + 80 * HOUR),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(&format!(
            "LICDESK CRITICAL - {fo} over the five-day limit: 121.0 h under load since {} (1.0 h over 120 h)",
            at(t0)
        )),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 435600, "259200;432000;0")
            && run.stdout.contains(" violations=1;;;0 "),
        "{}",
        run.stdout
    );
    let json = w.desk("standby", &["--json", "check"]);
    assert_eq!(json.code, 2, "{}", json.stdout);
    let json = json.json();
    assert_eq!(json["findings"][0]["code"], "violation", "{json}");
    assert_eq!(json["findings"][0]["episode"]["start"], at(t0), "{json}");
    assert_eq!(json["counts"]["journals"], 1, "{json}");
    let prometheus = w.desk("standby", &["check", "--format", "prometheus"]);
    assert!(
        prometheus.stdout.contains("licdesk_check_status 2")
            && prometheus
                .stdout
                .contains("licdesk_problems{code=\"violation\"} 1"),
        "{}",
        prometheus.stdout
    );
    // Running, it cannot be acknowledged.
    let before = w.dump("standby");
    acknowledge(&w, "standby", &fo, "a test").refused("still running");
    assert_eq!(w.dump("standby"), before);
}

#[test]
fn an_ended_violation_on_the_standbys_own_desk_stays_critical_until_acknowledged_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    // 121 h under load, idle for the last 39 h: the episode has ended.
    let t0 = now() - 160 * HOUR;
    let run = live(&w, &[("load", t0), ("idle", t0 + 121 * HOUR)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(&format!(
            "LICDESK CRITICAL - {fo} over the five-day limit: 121.0 h under load since {} (1.0 h over 120 h), an episode that has ended",
            at(t0)
        )) && run
            .stdout
            .contains(&format!("licdesk journal acknowledge --failover {fo}")),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 0, "259200;432000;0")
            && run.stdout.contains(" unacknowledged_violations=1;;;0 "),
        "{}",
        run.stdout
    );
    // Recorded like any other, when the journal was appended to (check wrote nothing).
    let recorded: i64 = raw_store(&w.path("standby.sqlite"))
        .query_row(
            "SELECT COUNT(*) FROM violations WHERE failover = ?1 AND start = ?2",
            [fo.as_str(), at(t0).as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(recorded, 1);
    let text = w.desk("standby", &["show", &base]).ok().stdout;
    assert!(
        text.contains(&format!(
            "VIOLATION: the episode since {} ran 121.0 h under load, 1.0 h over the limit of 120 h (ended",
            at(t0)
        )),
        "{text}"
    );
    // A new episode does not end it either.
    let run = live(&w, &[("load", now() - HOUR)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    acknowledge(
        &w,
        "standby",
        &fo,
        "the standby carried the main system's load during its repair",
    )
    .ok();
    let run = check(&w, "standby");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        load_is(&run.stdout, &fo, 3600, "259200;432000;0"),
        "{}",
        run.stdout
    );
    let audit = w.desk("standby", &["audit"]).ok().stdout;
    assert!(audit.contains("violation-acknowledged"), "{audit}");
}

#[test]
fn a_journal_changed_by_hand_on_the_standbys_own_desk_is_reported_not_evaluated_r12() {
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let t0 = now() - 121 * HOUR;
    assert_eq!(live(&w, &[("load", t0)]).code, 2);
    // Its load entry made idle with sqlite3 (the trigger dropped first): the chain breaks.
    let store = raw_store(&w.path("standby.sqlite"));
    store
        .execute_batch(
            "DROP TRIGGER journal_entries_no_update;
             UPDATE journal_entries SET state = 'idle';",
        )
        .unwrap();
    drop(store);
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "{fo}: the store was changed outside License Desk: its usage journal kept on this standby: the journal's hash chain is broken at entry 0"
        )),
        "{}",
        run.stdout
    );
}
