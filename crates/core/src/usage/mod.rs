//! The five-day rule (R12), made exact, and the usage journal that feeds it.
//!
//! A standby reports its operation as intervals, each under load or idle. A **failover episode** is
//! a run of load intervals in which no idle gap lasts `episode_gap_hours` (24 h) or more; time not
//! covered by any interval counts as idle. The **load time** of an episode is the sum of its load
//! intervals. Up to `warning_hours` (72 h) it is fine; above it a warning, above
//! `final_warning_hours` (96 h) a final warning, above `max_load_hours` (120 h) a violation.
//! The limits come from the signed standby license ([`LoadLimits`](crate::model::LoadLimits)).
//!
//! The journal is hash-chained: each entry's hash covers the previous entry's hash, its sequence
//! number, its time and its state, so an entry removed, inserted or changed breaks the chain.
//!
//! - `evaluate.rs`: states, intervals, episodes and levels; [`evaluate`] and [`unaccounted`].
//! - `journal.rs`: [`JournalEntry`], [`chain_hash`] and [`UsageJournal`] with its checks.
//! - `live.rs`: a standby's own journal as it stands: [`current_window`] and [`live_intervals`].
//! - `tamper.rs`: [`Tamper`], why a journal cannot be trusted.

mod evaluate;
mod journal;
mod live;
mod tamper;

pub use evaluate::{
    evaluate, unaccounted, Episode, Evaluation, Interval, Level, Unaccounted, UsageState,
};
pub use journal::{chain_hash, JournalEntry, UsageJournal, CLOCK_ALLOWANCE_SECONDS, GENESIS};
pub use live::{current_window, history_window, live_intervals};
pub use tamper::Tamper;
