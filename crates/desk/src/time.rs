//! The desk's time: its clock, and the trusted time floor raised only by vendor-signed times.

use crate::{Desk, DeskError};
use licdesk_core::Timestamp;
use licdesk_store::Queries;

use std::sync::atomic::{AtomicI64, Ordering};

/// Where a desk's time comes from. The core never reads a clock; the desk reads this one.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Timestamp::from_unix(secs)
    }
}

/// A clock that says what it is set to (tests move it instead of sleeping).
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn at(time: Timestamp) -> FixedClock {
        FixedClock(AtomicI64::new(time.unix()))
    }

    pub fn set(&self, time: Timestamp) {
        self.0.store(time.unix(), Ordering::SeqCst);
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix(self.0.load(Ordering::SeqCst))
    }
}

impl Desk {
    /// The desk's time: the later of its clock and the latest signed time it has seen.
    pub(crate) fn desk_time(&self) -> Result<Timestamp, DeskError> {
        let floor = self
            .store
            .meta(TIME_FLOOR)?
            .and_then(|t| Timestamp::parse(&t).ok());
        let clock = self.clock.now();
        Ok(floor.filter(|f| *f > clock).unwrap_or(clock))
    }

    /// The latest signed time this desk has seen, if the system clock is behind it.
    pub fn clock_behind(&self) -> Result<Option<Timestamp>, DeskError> {
        let floor = self
            .store
            .meta(TIME_FLOOR)?
            .and_then(|t| Timestamp::parse(&t).ok());
        Ok(floor.filter(|f| self.clock.now() < *f))
    }
}

pub(crate) const TIME_FLOOR: &str = "time_floor";

pub(crate) fn raise_time_floor(
    tx: &licdesk_store::Tx<'_>,
    seen: Timestamp,
) -> Result<(), DeskError> {
    let floor = tx.meta(TIME_FLOOR)?.and_then(|t| Timestamp::parse(&t).ok());
    if floor.is_none_or(|f| seen > f) {
        tx.set_meta(TIME_FLOOR, &seen.to_string())?;
    }
    Ok(())
}

/// The latest vendor-signed time among the files a window's transaction applied without
/// raising the floor themselves: kept in memory as each lands, and raised into the store once
/// before the window commits — the same floor at commit as raising it file by file, for one
/// read and at most one write per window instead of per file.
#[derive(Debug, Default)]
pub(crate) struct LatestSignedTime(Option<Timestamp>);

impl LatestSignedTime {
    /// A file that landed was signed at `signed`.
    pub(crate) fn saw(&mut self, signed: Timestamp) {
        self.0 = self.0.max(Some(signed));
    }

    /// Raises the store's time floor to the latest time seen (when later than the floor).
    pub(crate) fn raise_floor(&self, tx: &licdesk_store::Tx<'_>) -> Result<(), DeskError> {
        match self.0 {
            Some(latest) => raise_time_floor(tx, latest),
            None => Ok(()),
        }
    }
}

pub(crate) fn hours(seconds: i64) -> f64 {
    seconds as f64 / 3600.0
}
