//! Why a journal cannot be trusted.

use serde::{Deserialize, Serialize};

use crate::ids::LicenseNumber;
use crate::time::Timestamp;

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
