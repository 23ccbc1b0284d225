//! The desk's time: its clock, and the trusted time floor raised only by vendor-signed times.

#[allow(unused_imports)]
use crate::prelude::*;

impl Desk {
    /// The desk's time: the later of its clock and the latest signed time it has seen.
    pub(crate) fn desk_time(&self) -> Result<Timestamp, DeskError> {
        let floor = self
            .store
            .meta(TIME_FLOOR)?
            .and_then(|t| Timestamp::parse(&t).ok());
        let clock = now();
        Ok(floor.filter(|f| *f > clock).unwrap_or(clock))
    }

    /// The latest signed time this desk has seen, if the system clock is behind it.
    pub fn clock_behind(&self) -> Result<Option<Timestamp>, DeskError> {
        let floor = self
            .store
            .meta(TIME_FLOOR)?
            .and_then(|t| Timestamp::parse(&t).ok());
        Ok(floor.filter(|f| now() < *f))
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

pub(crate) fn hours(seconds: i64) -> f64 {
    seconds as f64 / 3600.0
}
