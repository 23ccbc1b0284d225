//! The chart's phases: the span it shows, each phase's load rising over its load intervals, and
//! the same phases whether the journal is imported or kept live on the standby itself (R12).
#![allow(clippy::unwrap_used)]

use licdesk_core::usage::{evaluate, Interval, Level, UsageState};
use licdesk_core::{LoadLimits, Timestamp};

use super::*;
use crate::test_world::world;
use crate::IfExists;

const T0: i64 = 1_800_000_000;

/// Intervals one after another from T0, each (state, hours).
fn run(parts: &[(UsageState, i64)]) -> Vec<Interval> {
    let mut t = T0;
    parts
        .iter()
        .map(|&(state, hours)| {
            let iv = Interval {
                from: Timestamp::from_unix(t),
                to: Timestamp::from_unix(t + hours * HOUR),
                state,
            };
            t += hours * HOUR;
            iv
        })
        .collect()
}

fn at(hours: i64) -> Timestamp {
    Timestamp::from_unix(T0 + hours * HOUR)
}

#[test]
fn the_span_shows_two_phases_at_the_limit_or_the_whole_running_one_r12() {
    use UsageState::{Idle, Load};
    let standard = evaluate(&run(&[(Idle, 500)]), &LoadLimits::default(), at(500)).unwrap();
    assert_eq!(
        span_start(&standard),
        at(500 - 240),
        "10 days with 120 h and 24 h"
    );
    let short = LoadLimits {
        max_load_hours: 48,
        episode_gap_hours: 12,
        warning_hours: 24,
        final_warning_hours: 36,
    };
    let e = evaluate(&run(&[(Idle, 500)]), &short, at(500)).unwrap();
    assert_eq!(span_start(&e), at(500 - 96));
    let gaps = LoadLimits {
        max_load_hours: 10,
        episode_gap_hours: 40,
        warning_hours: 6,
        final_warning_hours: 8,
    };
    let e = evaluate(&run(&[(Idle, 500)]), &gaps, at(500)).unwrap();
    assert_eq!(span_start(&e), at(500 - 90), "a phase and two gaps");
    // A phase running for 300 h shows whole.
    let long = evaluate(
        &run(&[(Idle, 10), (Load, 300)]),
        &LoadLimits::default(),
        at(310),
    )
    .unwrap();
    assert_eq!(span_start(&long), at(10));
}

#[test]
fn each_phase_rises_over_its_loads_from_the_spans_start_r12() {
    use UsageState::{Idle, Load};
    // An old phase (ended long before), then one of 30 h + 20 h load around 10 h idle, a gap of
    // 30 h, and a phase of 10 h still running.
    let intervals = run(&[
        (Load, 5),
        (Idle, 100),
        (Load, 30),
        (Idle, 10),
        (Load, 20),
        (Idle, 30),
        (Load, 10),
    ]);
    let e = evaluate(&intervals, &LoadLimits::default(), at(205)).unwrap();
    assert_eq!(e.episodes.len(), 3);
    // From 15 h into the 30 h load: the old phase is not shown, the first load is cut there.
    let phases = phases_in_span(&intervals, &e, at(120));
    assert_eq!(phases.len(), 2);
    let first = &phases[0];
    assert_eq!((first.start, first.last_load_end), (at(105), at(165)));
    assert_eq!(first.load_seconds, 50 * HOUR);
    assert_eq!(first.level, Level::Fine);
    assert!(!first.running);
    assert_eq!(
        first.loads,
        vec![
            LoadStretch {
                from: at(120),
                to: at(135),
                load_before_seconds: 15 * HOUR
            },
            LoadStretch {
                from: at(145),
                to: at(165),
                load_before_seconds: 30 * HOUR
            },
        ]
    );
    let second = &phases[1];
    assert!(second.running);
    assert_eq!(
        second.loads,
        vec![LoadStretch {
            from: at(195),
            to: at(205),
            load_before_seconds: 0
        }]
    );
    // From the start: all three phases, none cut.
    let all = phases_in_span(&intervals, &e, at(0));
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].loads[0].from, at(105));
    assert_eq!(all[1].loads[0].load_before_seconds, 0);
}

#[test]
fn the_chart_comes_from_the_journal_kept_live_and_from_the_one_imported_alike_r12() {
    let mut w = world();
    let (hardware, key) = w.register_this_machine();
    w.activate_standby(&hardware, key);
    let show = |desk: &crate::Desk, w: &crate::test_world::World| {
        desk.show(&w.base.license).unwrap().timelines
    };
    // Activated, nothing recorded yet: the chart has no phase.
    let timelines = show(&w.desk, &w);
    assert_eq!(timelines.len(), 1);
    assert!(timelines[0].phases.is_empty());
    // 100 h under load, 30 h idle (the phase ends), 80 h under load and running.
    w.hours_pass(1);
    w.desk.journal_append(UsageState::Load, None).unwrap();
    let first = w.desk.now();
    w.hours_pass(100);
    w.desk.journal_append(UsageState::Idle, None).unwrap();
    w.hours_pass(30);
    w.desk.journal_append(UsageState::Load, None).unwrap();
    let second = w.desk.now();
    w.hours_pass(80);
    let live = show(&w.desk, &w).remove(0);
    assert_eq!(live.failover, w.failover);
    assert_eq!(live.to, w.desk.now());
    assert_eq!(live.phases.len(), 2, "{live:?}");
    assert_eq!(live.phases[0].start, first);
    assert_eq!(live.phases[0].load_seconds, 100 * HOUR);
    assert_eq!(live.phases[0].level, Level::FinalWarning);
    assert!(live.phases[1].running && live.phases[1].start == second);
    assert_eq!(live.phases[1].level, Level::Warning);
    assert_eq!(
        live.known_from,
        Some(first),
        "nothing known before the journal"
    );
    assert_eq!(live.limits, LoadLimits::default());

    // The journal exported and imported on a reseller's desk: the same phases, as of the export.
    let file = w.dir.path().join("usage.journal");
    w.desk.journal_export(&file, IfExists::Refuse).unwrap();
    let mut reseller = w.other_desk("reseller.sqlite");
    let outcome = reseller.import_paths(&[file]).remove(0);
    assert_eq!(
        outcome.status,
        crate::ImportStatus::Evaluated,
        "{}",
        outcome.message
    );
    let imported = show(&reseller, &w).remove(0);
    assert_eq!(imported.phases, live.phases);
    assert_eq!(imported.to, live.to);
    // A journal that is not the one evaluated (the store changed by hand) is not read: no
    // chart, no guess.
    let kept = reseller.kept_journal_intervals(&w.failover, Some("0123abcd"));
    assert_eq!(kept.unwrap(), None);
    let usage = reseller.store.usage_report(&w.failover).unwrap().unwrap();
    let kept = reseller.kept_journal_intervals(&w.failover, usage.journal_hash.as_deref());
    assert!(kept.unwrap().is_some_and(|ivs| !ivs.is_empty()));
}
