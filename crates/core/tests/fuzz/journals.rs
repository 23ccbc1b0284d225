//! The five-day rule and usage journals: intervals and journals over extreme times and limits.

use licdesk_core::usage::{evaluate, Interval, UsageState};
use licdesk_core::{seal, FileKind, LoadLimits, Timestamp};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::exercise::{check_evaluation, exercise, use_journal};
use crate::genuine::{installation, journal, journal_entries, REGRESSIONS, T0};
use crate::hostile::config;

pub(crate) fn extreme_unix() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(-1i64),
        Just(0i64),
        Just(Timestamp::MAX.unix()),
        Just(Timestamp::MAX.unix() + 1),
        any::<i64>(),
        0..=Timestamp::MAX.unix(),
        T0..T0 + 400 * 3600,
    ]
}

pub(crate) fn limit() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1u32),
        Just(u32::MAX),
        0u32..200,
        any::<u32>()
    ]
}

pub(crate) fn limits() -> impl Strategy<Value = LoadLimits> {
    (limit(), limit(), limit(), limit()).prop_map(|(max, gap, warn, fin)| LoadLimits {
        max_load_hours: max,
        episode_gap_hours: gap,
        warning_hours: warn,
        final_warning_hours: fin,
    })
}

pub(crate) fn state() -> impl Strategy<Value = UsageState> {
    prop_oneof![Just(UsageState::Load), Just(UsageState::Idle)]
}

/// Boundaries in time order: a start and steps forward (some of them huge).
pub(crate) fn ordered_times() -> impl Strategy<Value = Vec<(i64, UsageState)>> {
    let step = prop_oneof![
        Just(0i64),
        0i64..3 * 24 * 3600,
        0i64..i64::MAX,
        Just(i64::MAX)
    ];
    (
        extreme_unix(),
        prop::collection::vec((step, state()), 0..40),
    )
        .prop_map(|(start, steps)| {
            let mut t = Timestamp::from_unix(start).unix();
            steps
                .into_iter()
                .map(|(step, s)| {
                    t = Timestamp::from_unix(t.saturating_add(step)).unix();
                    (t, s)
                })
                .collect()
        })
}

proptest! {
    #![proptest_config(config(500, REGRESSIONS))]

    /// The five-day rule on intervals in any order with any times and any limits.
    #[test]
    fn evaluation_of_any_intervals_never_panics(
        raw in prop::collection::vec((extreme_unix(), extreme_unix(), state()), 0..30),
        limits in limits(),
        at in extreme_unix(),
    ) {
        let ivs: Vec<Interval> = raw
            .iter()
            .map(|&(from, to, state)| Interval {
                from: Timestamp::from_unix(from),
                to: Timestamp::from_unix(to),
                state,
            })
            .collect();
        if let Ok(e) = evaluate(&ivs, &limits, Timestamp::from_unix(at)) {
            check_evaluation(&ivs, &e);
        }
    }

    /// Intervals that follow each other (the only kind a journal makes) always evaluate.
    #[test]
    fn evaluation_of_ordered_intervals_always_succeeds(
        times in ordered_times(),
        end in 0i64..i64::MAX,
        limits in limits(),
        at in extreme_unix(),
    ) {
        let last = times.last().map_or(0, |t| t.0);
        let end = Timestamp::from_unix(last.saturating_add(end));
        let ivs: Vec<Interval> = times
            .iter()
            .enumerate()
            .map(|(i, &(from, state))| Interval {
                from: Timestamp::from_unix(from),
                to: times.get(i + 1).map_or(end, |n| Timestamp::from_unix(n.0)),
                state,
            })
            .collect();
        let e = evaluate(&ivs, &limits, Timestamp::from_unix(at)).unwrap();
        check_evaluation(&ivs, &e);
    }

    /// Journals with genuine chains over extreme times, then tampered with; any limits.
    #[test]
    fn journals_with_any_entries_never_panic(
        times in ordered_times(),
        exported in extreme_unix(),
        tamper in prop::option::of((any::<Index>(), 0u8..5, extreme_unix())),
        limits in limits(),
    ) {
        let mut j = journal();
        j.entries = journal_entries(&times);
        j.exported_at = Timestamp::from_unix(exported);
        if let Some((i, how, t)) = tamper {
            if !j.entries.is_empty() {
                let n = i.index(j.entries.len());
                match how {
                    0 => j.entries[n].at = Timestamp::from_unix(t),
                    1 => j.entries[n].seq = t as u64,
                    2 => j.entries[n].hash = "é".repeat(n),
                    3 => { j.entries.remove(n); }
                    _ => j.entries.swap(0, n),
                }
            }
        }
        use_journal(&j, &limits);
        // And through a signed file.
        exercise(seal(FileKind::UsageJournal, &j, &installation()).as_bytes(), 0);
    }
}

#[test]
fn a_journal_spanning_the_whole_range_evaluates_without_overflow() {
    let mut j = journal();
    j.entries = journal_entries(&[
        (0, UsageState::Load),
        (1, UsageState::Idle),
        (2, UsageState::Load),
    ]);
    j.exported_at = Timestamp::MAX;
    let ivs = j.intervals().unwrap();
    for limits in [
        LoadLimits::default(),
        LoadLimits {
            max_load_hours: 0,
            episode_gap_hours: 0,
            warning_hours: 0,
            final_warning_hours: 0,
        },
        LoadLimits {
            max_load_hours: u32::MAX,
            episode_gap_hours: u32::MAX,
            warning_hours: u32::MAX,
            final_warning_hours: u32::MAX,
        },
    ] {
        let e = evaluate(&ivs, &limits, Timestamp::MAX).unwrap();
        check_evaluation(&ivs, &e);
        assert_eq!(
            e.episodes.iter().map(|e| e.load_seconds).sum::<i64>(),
            1 + Timestamp::MAX.unix() - 2
        );
    }
    assert!(j.not_ahead_of(Timestamp::MAX).is_ok());
    assert!(j.not_ahead_of(Timestamp::MIN).is_err());
}
