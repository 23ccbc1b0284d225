//! The five-day rule over intervals: episodes, their levels, and time no journal accounts for.

use serde::{Deserialize, Serialize};

use super::Tamper;
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
