//! The five-day rule (R12, SPEC §4), made exact, and the usage journal that feeds it.
//!
//! A standby reports its operation as intervals, each under load or idle. A **failover episode** is
//! a run of load intervals in which no idle gap lasts `episode_gap_hours` (24 h) or more; time not
//! covered by any interval counts as idle. The **load time** of an episode is the sum of its load
//! intervals. Up to `warning_hours` (72 h) it is fine; above it a warning, above
//! `final_warning_hours` (96 h) a final warning, above `max_load_hours` (120 h) a violation.
//! The limits come from the signed standby license ([`LoadLimits`]).
//!
//! The journal is hash-chained: each entry's hash covers the previous entry's hash, its sequence
//! number, its time and its state, so an entry removed, inserted or changed breaks the chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hex;
use crate::ids::{HardwareId, LicenseNumber};
use crate::key::InstallationKey;
use crate::model::LoadLimits;
use crate::time::Timestamp;
use crate::value::{ValueError, WordKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UsageState {
    Load,
    Idle,
}

impl UsageState {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "load" => Ok(UsageState::Load),
            "idle" => Ok(UsageState::Idle),
            other => Err(ValueError::unknown_word(WordKind::UsageState, other)),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            UsageState::Load => "load",
            UsageState::Idle => "idle",
        }
    }
}

/// One interval of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub from: Timestamp,
    pub to: Timestamp,
    pub state: UsageState,
}

/// How far an episode's load time is from the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Fine,
    Warning,
    FinalWarning,
    Violation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub start: Timestamp,
    /// End of its last load interval.
    pub last_load_end: Timestamp,
    pub load_seconds: i64,
    pub level: Level,
    /// Load time beyond the limit (0 unless a violation).
    pub over_limit_seconds: i64,
}

/// Why a journal cannot be trusted. It is reported, never silently accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tamper {
    #[error("the journal's clock runs backwards at entry {seq}: {at} comes before {previous}")]
    ClockBackwards {
        seq: u64,
        at: Timestamp,
        previous: Timestamp,
    },
    #[error("intervals overlap: one starting {from} begins before the previous one ends at {previous_end}")]
    Overlap {
        from: Timestamp,
        previous_end: Timestamp,
    },
    #[error("the journal's hash chain is broken at entry {seq}: an entry was removed, inserted or changed")]
    BrokenChain { seq: u64 },
    #[error("the journal's signature does not verify: it was changed after it was signed")]
    BadSignature,
    #[error("the journal was signed by installation key {found}, not by the installation that FailoverSuite {failover} certified ({expected})")]
    OtherInstallation {
        failover: LicenseNumber,
        expected: String,
        found: String,
    },
    #[error("the journal's clock runs ahead: it is dated {at}, more than 1 h after this desk's time {desk_time} (the later of its clock and the latest signed time it has seen)")]
    ClockAhead { at: Timestamp, desk_time: Timestamp },
    #[error("the journal's history was rewritten: it does not continue the journal recorded before (entry {seq} of that journal is missing or changed): entries were removed, or the journal was emptied or restored from a backup")]
    HistoryRewritten { seq: u64 },
    #[error("the journal's history was rewritten: entry {seq} is dated {at}, before {attested_until}, up to which the journal recorded before had already reported the standby's state: an entry was backdated")]
    Backdated {
        seq: u64,
        at: Timestamp,
        attested_until: Timestamp,
    },
}

/// Time that no trusted journal accounts for, and what it could hide: never counted as idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unaccounted {
    /// The end of what the journals account for (the latest trusted journal's export, or the
    /// activation when no journal came yet).
    pub since: Timestamp,
    pub seconds: i64,
    /// The load time of the current episode if the standby ran under load all that time.
    pub worst_case_load_seconds: i64,
    pub worst_case_level: Level,
}

/// What the time after `evaluation` (up to `now`) could hide at worst: the standby under load
/// all along, continuing the episode still running at the export (its last load ended less than
/// the gap before), else starting a new one. `evaluation` None: nothing accounted for since
/// `since` (a standby activated then, whose journal never came).
pub fn unaccounted(
    evaluation: Option<&Evaluation>,
    since: Timestamp,
    limits: &LoadLimits,
    now: Timestamp,
) -> Unaccounted {
    let since = evaluation.map_or(since, |e| e.at);
    let seconds = now.unix().saturating_sub(since.unix()).max(0);
    let running = evaluation
        .and_then(|e| e.current.as_ref())
        .map_or(0, |c| c.load_seconds);
    let worst = running.saturating_add(seconds);
    Unaccounted {
        since,
        seconds,
        worst_case_load_seconds: worst,
        worst_case_level: level_of(worst, limits),
    }
}

/// How far a journal's times may run ahead of the desk's time (clocks drift).
pub const CLOCK_ALLOWANCE_SECONDS: i64 = 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub episodes: Vec<Episode>,
    /// The episode still running at `at` (its last load ended less than the gap ago), if any.
    pub current: Option<Episode>,
    /// The worst level of any episode.
    pub worst: Level,
    pub at: Timestamp,
    pub limits: LoadLimits,
}

const HOUR: i64 = 3600;

impl Evaluation {
    /// The level of the episode still running at the journal's export time ([`Level::Fine`] when
    /// none is): warnings come from it only, a finished episode's warning is over.
    pub fn current_level(&self) -> Level {
        self.current.as_ref().map_or(Level::Fine, |c| c.level)
    }

    /// Episodes over the limit that had ended by the journal's export time.
    pub fn past_violations(&self) -> impl Iterator<Item = &Episode> {
        let current = self.current.as_ref().map(|c| c.start);
        self.episodes
            .iter()
            .filter(move |e| e.level == Level::Violation && Some(e.start) != current)
    }

    /// Past violations not yet acknowledged: those that started after `acknowledged_through`.
    pub fn unacknowledged_violations(
        &self,
        acknowledged_through: Option<Timestamp>,
    ) -> Vec<&Episode> {
        self.past_violations()
            .filter(|e| acknowledged_through.is_none_or(|t| e.start > t))
            .collect()
    }
}

fn level_of(load_seconds: i64, limits: &LoadLimits) -> Level {
    let h = |hours: u32| i64::from(hours) * HOUR;
    if load_seconds > h(limits.max_load_hours) {
        Level::Violation
    } else if load_seconds > h(limits.final_warning_hours) {
        Level::FinalWarning
    } else if load_seconds > h(limits.warning_hours) {
        Level::Warning
    } else {
        Level::Fine
    }
}

/// Evaluates intervals (in time order) at time `at` against `limits`.
pub fn evaluate(
    intervals: &[Interval],
    limits: &LoadLimits,
    at: Timestamp,
) -> Result<Evaluation, Tamper> {
    let gap = i64::from(limits.episode_gap_hours) * HOUR;
    let mut previous_end: Option<Timestamp> = None;
    let mut episodes: Vec<Episode> = Vec::new();
    let mut open: Option<Episode> = None;
    for (i, iv) in intervals.iter().enumerate() {
        if iv.to < iv.from {
            return Err(Tamper::ClockBackwards {
                seq: i as u64,
                at: iv.to,
                previous: iv.from,
            });
        }
        if let Some(end) = previous_end {
            if iv.from < end {
                return Err(Tamper::Overlap {
                    from: iv.from,
                    previous_end: end,
                });
            }
        }
        previous_end = Some(iv.to);
        if iv.state != UsageState::Load || iv.to == iv.from {
            continue;
        }
        let seconds = iv.to.unix() - iv.from.unix();
        match open.as_mut() {
            Some(e) if iv.from.unix() - e.last_load_end.unix() < gap => {
                e.load_seconds += seconds;
                e.last_load_end = iv.to;
            }
            _ => {
                if let Some(done) = open.take() {
                    episodes.push(done);
                }
                open = Some(Episode {
                    start: iv.from,
                    last_load_end: iv.to,
                    load_seconds: seconds,
                    level: Level::Fine,
                    over_limit_seconds: 0,
                });
            }
        }
    }
    if let Some(done) = open.take() {
        episodes.push(done);
    }
    let max = i64::from(limits.max_load_hours) * HOUR;
    for e in &mut episodes {
        e.level = level_of(e.load_seconds, limits);
        e.over_limit_seconds = (e.load_seconds - max).max(0);
    }
    let current = episodes
        .last()
        .filter(|e| at.unix() - e.last_load_end.unix() < gap)
        .cloned();
    let worst = episodes
        .iter()
        .map(|e| e.level)
        .max()
        .unwrap_or(Level::Fine);
    Ok(Evaluation {
        episodes,
        current,
        worst,
        at,
        limits: *limits,
    })
}

// ---------------------------------------------------------------------------------------------
// The journal

/// One recorded boundary: from `at` on, the standby is in `state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalEntry {
    pub seq: u64,
    pub at: Timestamp,
    pub state: UsageState,
    /// Hex SHA-256 over the previous hash, seq, time and state.
    pub hash: String,
}

pub const GENESIS: &str = "licdesk-journal-v1";

pub fn chain_hash(previous: &str, seq: u64, at: Timestamp, state: UsageState) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\0");
    h.update(seq.to_string().as_bytes());
    h.update(b"\0");
    h.update(at.to_string().as_bytes());
    h.update(b"\0");
    h.update(state.code().as_bytes());
    hex::encode(&h.finalize())
}

/// Payload of an exported usage journal, signed by the standby's installation key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageJournal {
    pub failover: LicenseNumber,
    pub hardware_id: HardwareId,
    /// Base64 of the installation's public key (the envelope's signer).
    pub installation_key: InstallationKey,
    pub exported_at: Timestamp,
    pub entries: Vec<JournalEntry>,
    /// The vendor-signed activation response that certifies `installation_key` for `failover`, so
    /// that any desk trusting the vendor can verify the journal.
    pub activation: String,
}

impl UsageJournal {
    /// Checks the chain and the clock, and turns boundaries into intervals up to `exported_at`.
    pub fn intervals(&self) -> Result<Vec<Interval>, Tamper> {
        let mut previous = GENESIS.to_string();
        let mut last_at: Option<Timestamp> = None;
        for (i, e) in self.entries.iter().enumerate() {
            if e.seq != i as u64 || chain_hash(&previous, e.seq, e.at, e.state) != e.hash {
                return Err(Tamper::BrokenChain { seq: i as u64 });
            }
            if let Some(prev) = last_at {
                if e.at < prev {
                    return Err(Tamper::ClockBackwards {
                        seq: e.seq,
                        at: e.at,
                        previous: prev,
                    });
                }
            }
            last_at = Some(e.at);
            previous = e.hash.clone();
        }
        if let Some(last) = last_at {
            if self.exported_at < last {
                return Err(Tamper::ClockBackwards {
                    seq: self.entries.len() as u64,
                    at: self.exported_at,
                    previous: last,
                });
            }
        }
        Ok(self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| Interval {
                from: e.at,
                to: self
                    .entries
                    .get(i + 1)
                    .map(|n| n.at)
                    .unwrap_or(self.exported_at),
                state: e.state,
            })
            .collect())
    }
}

impl UsageJournal {
    /// A journal dated (its export or an entry) more than [`CLOCK_ALLOWANCE_SECONDS`] after
    /// `desk_time` (the later of the desk's clock and its trusted time floor) ran its clock ahead:
    /// accepted, it would make every later genuine journal look older.
    pub fn not_ahead_of(&self, desk_time: Timestamp) -> Result<(), Tamper> {
        let latest = self
            .entries
            .iter()
            .map(|e| e.at)
            .chain([self.exported_at])
            .max()
            .unwrap_or(self.exported_at);
        if latest.unix() > desk_time.unix() + CLOCK_ALLOWANCE_SECONDS {
            return Err(Tamper::ClockAhead {
                at: latest,
                desk_time,
            });
        }
        Ok(())
    }

    /// The last entry (sequence number and chain hash), which a later journal must continue.
    pub fn last_entry(&self) -> Option<(u64, &str)> {
        self.entries.last().map(|e| (e.seq, e.hash.as_str()))
    }

    /// Whether this journal continues a journal whose last entry was `recorded` (its sequence
    /// number and chain hash): it must hold that very entry at that position. With a verified
    /// chain, that means every entry before it is the same too.
    ///
    /// The journal recorded before was exported at `attested_until`: it reported the standby's
    /// state up to then, so every entry after its last one must be dated no earlier (an entry
    /// backdated into that time would rewrite what was reported).
    pub fn continues(
        &self,
        recorded: Option<(u64, &str)>,
        attested_until: Option<Timestamp>,
    ) -> Result<(), Tamper> {
        let Some((seq, hash)) = recorded else {
            return self.none_before(0, attested_until);
        };
        match usize::try_from(seq).ok().and_then(|i| self.entries.get(i)) {
            Some(e) if e.seq == seq && e.hash == hash => {
                self.none_before(seq.saturating_add(1), attested_until)
            }
            _ => Err(Tamper::HistoryRewritten { seq }),
        }
    }

    /// Refuses an entry from position `from` on dated before `attested_until`.
    fn none_before(&self, from: u64, attested_until: Option<Timestamp>) -> Result<(), Tamper> {
        let Some(until) = attested_until else {
            return Ok(());
        };
        let from = usize::try_from(from).unwrap_or(usize::MAX);
        match self.entries.iter().skip(from).find(|e| e.at < until) {
            Some(e) => Err(Tamper::Backdated {
                seq: e.seq,
                at: e.at,
                attested_until: until,
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UsageState::{Idle, Load};

    const T0: i64 = 1_800_000_000;
    const MIN: i64 = 60;

    /// Intervals written as (state, minutes) one after another from T0.
    fn run(parts: &[(UsageState, i64)]) -> Vec<Interval> {
        let mut t = T0;
        parts
            .iter()
            .map(|&(state, minutes)| {
                let iv = Interval {
                    from: Timestamp::from_unix(t),
                    to: Timestamp::from_unix(t + minutes * MIN),
                    state,
                };
                t += minutes * MIN;
                iv
            })
            .collect()
    }

    fn h(hours: i64) -> i64 {
        hours * 60
    }

    fn worst(parts: &[(UsageState, i64)]) -> (Level, Vec<i64>) {
        let ivs = run(parts);
        let at = ivs.last().map(|i| i.to).unwrap_or(Timestamp::from_unix(T0));
        let e = evaluate(&ivs, &LoadLimits::default(), at).unwrap();
        (
            e.worst,
            e.episodes.iter().map(|e| e.load_seconds / MIN).collect(),
        )
    }

    #[test]
    fn the_five_day_rule_at_every_edge_r12() {
        // (intervals, worst level, load minutes per episode)
        type Case = (Vec<(UsageState, i64)>, Level, Vec<i64>);
        let cases: Vec<Case> = vec![
            (vec![(Load, h(72))], Level::Fine, vec![h(72)]),
            (vec![(Load, h(72) + 1)], Level::Warning, vec![h(72) + 1]),
            (vec![(Load, h(96))], Level::Warning, vec![h(96)]),
            (
                vec![(Load, h(96) + 1)],
                Level::FinalWarning,
                vec![h(96) + 1],
            ),
            (
                vec![(Load, h(119) + 59)],
                Level::FinalWarning,
                vec![h(119) + 59],
            ),
            (vec![(Load, h(120))], Level::FinalWarning, vec![h(120)]),
            (vec![(Load, h(120) + 1)], Level::Violation, vec![h(120) + 1]),
            // An idle gap of 24 h ends an episode; 23 h 59 min does not.
            (
                vec![(Load, h(100)), (Idle, h(24)), (Load, h(100))],
                Level::FinalWarning,
                vec![h(100), h(100)],
            ),
            (
                vec![(Load, h(100)), (Idle, h(23) + 59), (Load, h(100))],
                Level::Violation,
                vec![h(200)],
            ),
            // Idle time inside an episode does not count.
            (
                vec![(Load, h(60)), (Idle, h(20)), (Load, h(60))],
                Level::FinalWarning,
                vec![h(120)],
            ),
            (
                vec![(Load, h(60)), (Idle, h(20)), (Load, h(60) + 1)],
                Level::Violation,
                vec![h(120) + 1],
            ),
            // Only idle: no episode at all.
            (vec![(Idle, h(500))], Level::Fine, vec![]),
            (vec![], Level::Fine, vec![]),
        ];
        for (parts, level, loads) in cases {
            assert_eq!(worst(&parts), (level, loads), "{parts:?}");
        }
    }

    #[test]
    fn a_violation_names_the_episodes_start_and_the_time_over_the_limit() {
        let ivs = run(&[(Idle, h(10)), (Load, h(121))]);
        let e = evaluate(&ivs, &LoadLimits::default(), ivs[1].to).unwrap();
        let ep = &e.episodes[0];
        assert_eq!(ep.level, Level::Violation);
        assert_eq!(ep.start, Timestamp::from_unix(T0 + h(10) * MIN));
        assert_eq!(ep.over_limit_seconds, 3600);
        assert_eq!(e.current.as_ref(), Some(ep));
    }

    #[test]
    fn an_episode_ends_for_the_current_status_after_the_gap() {
        let ivs = run(&[(Load, h(10))]);
        let later = Timestamp::from_unix(ivs[0].to.unix() + 24 * 3600);
        let e = evaluate(&ivs, &LoadLimits::default(), later).unwrap();
        assert!(e.current.is_none());
        assert_eq!(e.episodes.len(), 1);
    }

    #[test]
    fn the_limits_come_from_the_license() {
        let limits = LoadLimits {
            max_load_hours: 48,
            episode_gap_hours: 12,
            warning_hours: 24,
            final_warning_hours: 36,
        };
        let ivs = run(&[(Load, h(49))]);
        assert_eq!(
            evaluate(&ivs, &limits, ivs[0].to).unwrap().worst,
            Level::Violation
        );
        let ivs = run(&[(Load, h(20)), (Idle, h(12)), (Load, h(20))]);
        assert_eq!(
            evaluate(&ivs, &limits, ivs[2].to).unwrap().episodes.len(),
            2
        );
    }

    #[test]
    fn overlapping_intervals_and_a_clock_running_backwards_are_tampering() {
        let mut ivs = run(&[(Load, h(5)), (Idle, h(5))]);
        ivs[1].from = Timestamp::from_unix(ivs[1].from.unix() - 60);
        assert!(matches!(
            evaluate(&ivs, &LoadLimits::default(), ivs[1].to),
            Err(Tamper::Overlap { .. })
        ));
        let mut ivs = run(&[(Load, h(5))]);
        let first = &mut ivs[0];
        std::mem::swap(&mut first.from, &mut first.to);
        assert!(matches!(
            evaluate(&ivs, &LoadLimits::default(), ivs[0].from),
            Err(Tamper::ClockBackwards { .. })
        ));
    }

    fn journal(states: &[(i64, UsageState)], exported: i64) -> UsageJournal {
        let mut previous = GENESIS.to_string();
        let entries = states
            .iter()
            .enumerate()
            .map(|(i, &(at, state))| {
                let at = Timestamp::from_unix(at);
                let hash = chain_hash(&previous, i as u64, at, state);
                previous = hash.clone();
                JournalEntry {
                    seq: i as u64,
                    at,
                    state,
                    hash,
                }
            })
            .collect();
        UsageJournal {
            failover: LicenseNumber::from_random(crate::LicenseProduct::FailoverSuite, [1; 5]),
            hardware_id: HardwareId::from_digest(&[3; 16]),
            installation_key: String::new().into(),
            exported_at: Timestamp::from_unix(exported),
            entries,
            activation: String::new(),
        }
    }

    #[test]
    fn a_journal_becomes_intervals_up_to_its_export() {
        let j = journal(&[(T0, Load), (T0 + 3600, Idle)], T0 + 7200);
        let ivs = j.intervals().unwrap();
        assert_eq!(ivs.len(), 2);
        assert_eq!(ivs[1].to, Timestamp::from_unix(T0 + 7200));
    }

    #[test]
    fn a_broken_chain_and_a_backwards_clock_in_the_journal_are_reported() {
        let mut j = journal(
            &[(T0, Load), (T0 + 3600, Idle), (T0 + 7200, Load)],
            T0 + 9000,
        );
        j.entries.remove(1);
        assert!(matches!(j.intervals(), Err(Tamper::BrokenChain { seq: 1 })));
        let mut j = journal(&[(T0, Load), (T0 + 3600, Idle)], T0 + 9000);
        j.entries[1].state = Load;
        assert!(matches!(j.intervals(), Err(Tamper::BrokenChain { seq: 1 })));
        let j = journal(&[(T0, Load), (T0 - 60, Idle)], T0 + 9000);
        assert!(matches!(j.intervals(), Err(Tamper::ClockBackwards { .. })));
        let j = journal(&[(T0, Load)], T0 - 1);
        assert!(matches!(j.intervals(), Err(Tamper::ClockBackwards { .. })));
    }

    #[test]
    fn a_journal_dated_more_than_an_hour_after_the_desks_time_ran_its_clock_ahead() {
        let desk = T0 + 100 * 3600;
        let ok = journal(&[(T0, Load)], desk + 3600);
        assert_eq!(ok.not_ahead_of(Timestamp::from_unix(desk)), Ok(()));
        let ahead = journal(&[(T0, Load)], desk + 3601);
        assert_eq!(
            ahead.not_ahead_of(Timestamp::from_unix(desk)),
            Err(Tamper::ClockAhead {
                at: Timestamp::from_unix(desk + 3601),
                desk_time: Timestamp::from_unix(desk)
            })
        );
        // An entry ahead counts too, even when the export time is not.
        let entry = journal(&[(T0, Load), (desk + 7200, Idle)], desk);
        assert!(matches!(
            entry.not_ahead_of(Timestamp::from_unix(desk)),
            Err(Tamper::ClockAhead { .. })
        ));
    }

    #[test]
    fn a_later_journal_must_continue_the_last_entry_recorded() {
        let first = journal(&[(T0, Load), (T0 + 3600, Idle)], T0 + 7200);
        let last = first.last_entry().map(|(s, h)| (s, h.to_string()));
        let last = last.as_ref().map(|(s, h)| (*s, h.as_str()));
        assert_eq!(last.map(|l| l.0), Some(1));
        // The same history, extended.
        let longer = journal(
            &[(T0, Load), (T0 + 3600, Idle), (T0 + 9000, Load)],
            T0 + 9999,
        );
        assert_eq!(longer.continues(last, None), Ok(()));
        assert_eq!(first.continues(last, None), Ok(()));
        // Emptied, cut short, or rewritten with other times.
        let emptied = journal(&[], T0 + 9999);
        assert_eq!(
            emptied.continues(last, None),
            Err(Tamper::HistoryRewritten { seq: 1 })
        );
        let cut = journal(&[(T0, Load)], T0 + 9999);
        assert!(cut.continues(last, None).is_err());
        let rewritten = journal(&[(T0, Load), (T0 + 60, Idle), (T0 + 9000, Load)], T0 + 9999);
        assert!(rewritten.continues(last, None).is_err());
        // Nothing recorded yet: anything continues.
        assert_eq!(emptied.continues(None, None), Ok(()));
    }

    #[test]
    fn an_entry_backdated_into_time_already_reported_is_history_rewritten_r12() {
        // Under load from T0, reported by a journal exported 130 h later; then an idle entry is
        // appended "shortly after the load began" and the journal exported again.
        let first = journal(&[(T0, Load)], T0 + 130 * 3600);
        let last = first.last_entry().map(|(s, h)| (s, h.to_string()));
        let last = last.as_ref().map(|(s, h)| (*s, h.as_str()));
        let attested = Some(first.exported_at);
        let backdated = journal(&[(T0, Load), (T0 + 3600, Idle)], T0 + 131 * 3600);
        assert_eq!(
            backdated.continues(last, attested),
            Err(Tamper::Backdated {
                seq: 1,
                at: Timestamp::from_unix(T0 + 3600),
                attested_until: Timestamp::from_unix(T0 + 130 * 3600),
            })
        );
        // At or after the export that reported the load, the same entry is history going on.
        for at in [T0 + 130 * 3600, T0 + 130 * 3600 + 1] {
            let honest = journal(&[(T0, Load), (at, Idle)], T0 + 131 * 3600);
            assert_eq!(honest.continues(last, attested), Ok(()), "{at}");
        }
        // The same journal again (nothing new) continues.
        assert_eq!(first.continues(last, attested), Ok(()));
    }

    #[test]
    fn time_no_journal_accounts_for_is_never_idle_r12() {
        let limits = LoadLimits::default();
        let hours = |n: i64| n * 3600;
        // (load of the episode running at export, or None; hours since the export) → worst case
        let cases: Vec<(Option<i64>, i64, i64, Level)> = vec![
            (None, 0, 0, Level::Fine),
            (None, 24, 24, Level::Fine),
            (None, 73, 73, Level::Warning),
            (None, 121, 121, Level::Violation),
            (Some(100), 0, 100, Level::FinalWarning),
            (Some(100), 21, 121, Level::Violation),
            (Some(10), 110, 120, Level::FinalWarning),
        ];
        for (running, since_export, worst, level) in cases {
            let parts: Vec<(UsageState, i64)> = match running {
                Some(load) => vec![(Idle, h(30)), (Load, h(load))],
                None => vec![(Load, h(10)), (Idle, h(30))],
            };
            let ivs = run(&parts);
            let at = ivs.last().unwrap().to;
            let e = evaluate(&ivs, &limits, at).unwrap();
            let now = at.plus_seconds(hours(since_export));
            let u = unaccounted(Some(&e), Timestamp::from_unix(0), &limits, now);
            assert_eq!(u.since, at);
            assert_eq!(u.seconds, hours(since_export));
            assert_eq!(
                (u.worst_case_load_seconds, u.worst_case_level),
                (hours(worst), level),
                "{running:?} + {since_export} h"
            );
        }
        // No journal since the activation: all of it unaccounted.
        let u = unaccounted(
            None,
            Timestamp::from_unix(T0),
            &limits,
            Timestamp::from_unix(T0 + hours(130)),
        );
        assert_eq!(
            (u.seconds, u.worst_case_level),
            (hours(130), Level::Violation)
        );
        // A clock behind the export accounts for nothing more, never less than nothing.
        let u = unaccounted(
            None,
            Timestamp::from_unix(T0),
            &limits,
            Timestamp::from_unix(T0 - 60),
        );
        assert_eq!(u.seconds, 0);
    }

    #[test]
    fn warnings_come_from_the_current_episode_and_past_violations_stay_until_acknowledged() {
        // 80 h (a warning), a 24 h gap, then 41 h: the warning is over.
        let ivs = run(&[(Load, h(80)), (Idle, h(24)), (Load, h(41))]);
        let e = evaluate(&ivs, &LoadLimits::default(), ivs[2].to).unwrap();
        assert_eq!(e.worst, Level::Warning);
        assert_eq!(e.current_level(), Level::Fine);
        assert_eq!(e.past_violations().count(), 0);
        // A warning still running is current.
        let ivs = run(&[(Load, h(80)), (Idle, h(23))]);
        let e = evaluate(&ivs, &LoadLimits::default(), ivs[1].to).unwrap();
        assert_eq!(e.current_level(), Level::Warning);
        // 121 h, then 30 h idle: a past violation; nothing current.
        let ivs = run(&[(Load, h(121)), (Idle, h(30))]);
        let e = evaluate(&ivs, &LoadLimits::default(), ivs[1].to).unwrap();
        assert_eq!(e.current_level(), Level::Fine);
        let past: Vec<_> = e.past_violations().map(|v| v.start).collect();
        assert_eq!(past, vec![Timestamp::from_unix(T0)]);
        assert_eq!(e.unacknowledged_violations(None).len(), 1);
        assert_eq!(
            e.unacknowledged_violations(Some(Timestamp::from_unix(T0)))
                .len(),
            0
        );
        assert_eq!(
            e.unacknowledged_violations(Some(Timestamp::from_unix(T0 - 1)))
                .len(),
            1
        );
        // A violation still running is current, not past.
        let ivs = run(&[(Load, h(121))]);
        let e = evaluate(&ivs, &LoadLimits::default(), ivs[0].to).unwrap();
        assert_eq!(e.current_level(), Level::Violation);
        assert_eq!(e.past_violations().count(), 0);
    }
}
