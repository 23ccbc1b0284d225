//! The hash-chained usage journal: its entries, the chain, and the checks a journal must pass.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Interval, Tamper, UsageState};
use crate::hex;
use crate::ids::{HardwareId, LicenseNumber};
use crate::key::InstallationKey;
use crate::time::Timestamp;

/// How far a journal's times may run ahead of the desk's time (clocks drift).
pub const CLOCK_ALLOWANCE_SECONDS: i64 = 3600;

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
        if let Some(last) = verify_chain(None, &self.entries)? {
            if self.exported_at < last {
                return Err(Tamper::ClockBackwards {
                    seq: self.entries.len() as u64,
                    at: self.exported_at,
                    previous: last,
                });
            }
        }
        Ok(intervals_until(&self.entries, self.exported_at))
    }
}

/// Checks that `entries` (consecutive, in order) continue the chain from `anchor` (the entry
/// before them; the genesis when they start the journal) and that no time runs backwards: the
/// time of the last entry (the anchor's when there is none), None for an empty journal.
pub(super) fn verify_chain(
    anchor: Option<&JournalEntry>,
    entries: &[JournalEntry],
) -> Result<Option<Timestamp>, Tamper> {
    let (mut previous, mut next_seq, mut last_at) = match anchor {
        Some(a) => (a.hash.clone(), a.seq.saturating_add(1), Some(a.at)),
        None => (GENESIS.to_string(), 0, None),
    };
    for e in entries {
        if e.seq != next_seq || chain_hash(&previous, e.seq, e.at, e.state) != e.hash {
            return Err(Tamper::BrokenChain { seq: next_seq });
        }
        if let Some(prev) = last_at.filter(|p| e.at < *p) {
            return Err(Tamper::ClockBackwards {
                seq: e.seq,
                at: e.at,
                previous: prev,
            });
        }
        last_at = Some(e.at);
        previous = e.hash.clone();
        next_seq = e.seq.saturating_add(1);
    }
    Ok(last_at)
}

/// The intervals of `entries` (consecutive, in order): each lasts until the next entry, the last
/// one until `end`.
pub(super) fn intervals_until(entries: &[JournalEntry], end: Timestamp) -> Vec<Interval> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| Interval {
            from: e.at,
            to: entries.get(i + 1).map_or(end, |n| n.at),
            state: e.state,
        })
        .collect()
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
}
