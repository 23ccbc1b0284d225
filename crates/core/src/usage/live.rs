//! A standby's own journal as it stands (not exported): the entries that can still matter to
//! its five-day status now, and their intervals up to now.
//!
//! The desk reads its journal from the latest entry backwards, a page at a time, and stops at
//! the first entry that can no longer belong to the episode still running (its interval ended a
//! whole idle gap before the earliest load seen after it, or before now): [`current_window`]
//! says where that is. Episodes that ended before were evaluated, and their violations recorded,
//! when the journal was appended to; this window only decides the running one.

use super::journal::{intervals_until, verify_chain};
use super::{Interval, JournalEntry, Tamper, UsageState};
use crate::model::LoadLimits;
use crate::time::Timestamp;

/// Where the entries that can belong to the episode running at `until` begin in `entries` (the
/// latest entries of a journal, in order): the index of the first such entry, when the entry
/// before it (whose index is one less) is found to end the window; None when every entry given
/// may still belong to it (read further back, unless these are the journal's first).
///
/// An interval that ends a whole gap (`episode_gap_hours`) before the start of the earliest load
/// after it — or before `until` when none follows — is part of an earlier episode, and so is
/// everything before it: [`evaluate`](super::evaluate) would start a new episode after it, or
/// find none running.
pub fn current_window(
    entries: &[JournalEntry],
    until: Timestamp,
    limits: &LoadLimits,
) -> Option<usize> {
    history_window(entries, until, until, limits)
}

/// Where the entries that can belong to an episode running at any time from `from` to `until`
/// begin in `entries` (the latest entries of a journal, in order): as [`current_window`] (which
/// is this with `from` = `until`), but an interval is taken to end the window only when it ends
/// by `from` — so an episode that had begun before `from` and went on after it is read whole (a
/// chart of the recent episodes shows each with its whole load).
pub fn history_window(
    entries: &[JournalEntry],
    from: Timestamp,
    until: Timestamp,
    limits: &LoadLimits,
) -> Option<usize> {
    let gap = i64::from(limits.episode_gap_hours) * 3600;
    let mut reference = until;
    for i in (0..entries.len()).rev() {
        let end = entries
            .get(i + 1)
            .map_or(until, |n| n.at)
            .max(entries[i].at);
        if end <= from && reference.unix() - end.unix() >= gap {
            return Some(i + 1);
        }
        if entries[i].state == UsageState::Load && end > entries[i].at {
            reference = entries[i].at;
        }
    }
    None
}

/// The intervals of the journal entries `window` (consecutive, in order) up to `until`, checked
/// like an exported journal's: each entry continues the chain from `anchor` (the entry before
/// the window; the genesis when the window starts the journal), and no time runs backwards.
/// `until` earlier than the last entry ends the journal at that entry.
pub fn live_intervals(
    anchor: Option<&JournalEntry>,
    window: &[JournalEntry],
    until: Timestamp,
) -> Result<Vec<Interval>, Tamper> {
    let last_at = verify_chain(anchor, window)?;
    Ok(intervals_until(
        window,
        last_at.map_or(until, |l| l.max(until)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usage::{chain_hash, evaluate, Level, GENESIS};
    use UsageState::{Idle, Load};

    const T0: i64 = 1_800_000_000;
    const H: i64 = 3600;

    fn entries(states: &[(i64, UsageState)]) -> Vec<JournalEntry> {
        let mut previous = GENESIS.to_string();
        states
            .iter()
            .enumerate()
            .map(|(i, &(at, state))| {
                let at = Timestamp::from_unix(T0 + at);
                let hash = chain_hash(&previous, i as u64, at, state);
                previous = hash.clone();
                JournalEntry {
                    seq: i as u64,
                    at,
                    state,
                    hash,
                }
            })
            .collect()
    }

    /// The live evaluation from the window alone, as the desk makes it.
    fn live(all: &[JournalEntry], now: i64) -> (usize, crate::usage::Evaluation) {
        let until = Timestamp::from_unix(T0 + now);
        let limits = LoadLimits::default();
        let start = current_window(all, until, &limits).unwrap_or(0);
        let anchor = start.checked_sub(1).map(|i| &all[i]);
        let ivs = live_intervals(anchor, &all[start..], until).unwrap();
        (start, evaluate(&ivs, &limits, until).unwrap())
    }

    #[test]
    fn the_window_holds_the_running_episode_and_its_current_level_is_the_whole_journals_r12() {
        // 80 h load, 23 h 59 min idle (one episode), 41 h load running now: 121 h.
        let gap = 23 * H + 59 * 60;
        let all = entries(&[
            (-10 * H, Idle),
            (0, Load),
            (80 * H, Idle),
            (80 * H + gap, Load),
        ]);
        let now = 80 * H + gap + 41 * H;
        let (start, e) = live(&all, now);
        assert_eq!(
            start, 0,
            "a load may end 10 h before the first entry: read it all"
        );
        let whole = evaluate(
            &[
                Interval {
                    from: all[1].at,
                    to: all[2].at,
                    state: Load,
                },
                Interval {
                    from: all[2].at,
                    to: all[3].at,
                    state: Idle,
                },
                Interval {
                    from: all[3].at,
                    to: Timestamp::from_unix(T0 + now),
                    state: Load,
                },
            ],
            &LoadLimits::default(),
            Timestamp::from_unix(T0 + now),
        )
        .unwrap();
        assert_eq!(e.current, whole.current);
        assert_eq!(e.current_level(), Level::Violation);
        assert_eq!(e.current.unwrap().load_seconds, 121 * H);
        // A whole day idle before the episode ends the window there.
        let all = entries(&[
            (-40 * H, Load),
            (-30 * H, Idle),
            (0, Load),
            (80 * H, Idle),
            (80 * H + gap, Load),
        ]);
        let (start, e) = live(&all, now);
        assert_eq!(start, 1);
        assert_eq!(e.current, whole.current);
    }

    #[test]
    fn a_whole_gap_ends_the_window_and_an_ended_episode_is_not_running_r12() {
        // 80 h load, exactly 24 h idle, then 41 h load: only the second episode runs.
        let all = entries(&[(0, Load), (80 * H, Idle), (104 * H, Load)]);
        let (start, e) = live(&all, 145 * H);
        assert_eq!(start, 1, "from the idle entry after the ended load");
        assert_eq!(e.current.unwrap().load_seconds, 41 * H);
        // Load then idle for 39 h: nothing runs, and only the idle entry is read.
        let all = entries(&[(0, Load), (121 * H, Idle)]);
        let (start, e) = live(&all, 160 * H);
        assert_eq!(start, 1);
        assert_eq!(e.current, None);
        // Still within the gap: the ended load is the running episode.
        let (start, e) = live(&all, 144 * H);
        assert_eq!(start, 0);
        assert_eq!(e.current_level(), Level::Violation);
        // Nothing found to end the window: read further back (None), or the journal's start.
        assert_eq!(
            current_window(
                &all,
                Timestamp::from_unix(T0 + 122 * H),
                &LoadLimits::default()
            ),
            None
        );
    }

    #[test]
    fn a_history_window_reads_back_to_the_start_of_the_episode_running_at_its_start_r12() {
        // An episode long ago; 30 h load, 10 h idle, 20 h load (one episode from 0); 30 h idle;
        // 10 h load.
        let all = entries(&[
            (-80 * H, Load),
            (-50 * H, Idle),
            (0, Load),
            (30 * H, Idle),
            (40 * H, Load),
            (60 * H, Idle),
            (90 * H, Load),
        ]);
        let until = Timestamp::from_unix(T0 + 100 * H);
        let limits = LoadLimits::default();
        // From the middle of the episode from 0: read back to the idle entry before it (the
        // load before that ended a whole gap earlier).
        let from = Timestamp::from_unix(T0 + 50 * H);
        assert_eq!(history_window(&all, from, until, &limits), Some(1));
        // From the idle gap after it: that episode ended by then.
        let from = Timestamp::from_unix(T0 + 70 * H);
        assert_eq!(history_window(&all, from, until, &limits), Some(5));
        // From `until`: the current window.
        assert_eq!(
            history_window(&all, until, until, &limits),
            current_window(&all, until, &limits)
        );
        assert_eq!(current_window(&all, until, &limits), Some(5));
        // From before the journal began: all of it (no entry ends the window).
        let from = Timestamp::from_unix(T0 - 100 * H);
        assert_eq!(history_window(&all, from, until, &limits), None);
    }

    #[test]
    fn a_live_window_must_continue_its_anchor_and_keep_its_clock_r12() {
        let all = entries(&[(0, Load), (H, Idle), (2 * H, Load)]);
        let until = Timestamp::from_unix(T0 + 3 * H);
        assert!(live_intervals(Some(&all[0]), &all[1..], until).is_ok());
        assert_eq!(
            live_intervals(Some(&all[0]), &all[2..], until),
            Err(Tamper::BrokenChain { seq: 1 })
        );
        let mut changed = all.clone();
        changed[2].state = Idle;
        assert_eq!(
            live_intervals(Some(&changed[1]), &changed[2..], until),
            Err(Tamper::BrokenChain { seq: 2 })
        );
        assert_eq!(
            live_intervals(None, &all[1..], until),
            Err(Tamper::BrokenChain { seq: 0 })
        );
        // The last interval runs to now, or ends at an entry a little ahead of the clock.
        let ivs = live_intervals(None, &all, Timestamp::from_unix(T0 + H)).unwrap();
        assert_eq!(ivs[2].to, all[2].at);
        assert_eq!(live_intervals(None, &[], until), Ok(Vec::new()));
    }
}
