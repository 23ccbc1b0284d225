//! The standby's own usage journal (R12): append-only entries, exported signed by this
//! installation's key.

use crate::live::record_live_violations;
use crate::JournalRefusal;
use crate::{Desk, DeskError};
use licdesk_core::usage::{
    chain_hash, JournalEntry, UsageJournal, UsageState, CLOCK_ALLOWANCE_SECONDS, GENESIS,
};
use licdesk_core::{seal, FileKind, Role, Timestamp};
use licdesk_store::{Queries, SystemState};

impl Desk {
    /// Records a boundary of the standby's operation (for the suite's service to call): from
    /// `at` (default now) on, the standby is in `state`. The journal is append-only, so a time
    /// later than now (plus the allowance for drifting clocks) is refused: it could never be
    /// taken back, and every export would look like a clock running backwards. Audited.
    pub fn journal_append(
        &mut self,
        state: UsageState,
        at: Option<Timestamp>,
    ) -> Result<JournalEntry, DeskError> {
        // The clock is read under the write lock: two appends at once are ordered by the lock,
        // and the later one's time is never before the earlier one's.
        let own = self.installation_public_key()?;
        let tx = self.store.write()?;
        let clock = self.clock.now();
        let entries = tx.journal_entries()?;
        // "Now" is at least a second after the last entry: appends in the same second (the
        // suite's service and an administrator, say) are ordered by the lock, a second apart.
        let at = at.unwrap_or_else(|| match entries.last() {
            Some(last) if within_slack(last.at, clock) => last.at.plus_seconds(1),
            _ => clock,
        });
        if at.unix() > clock.unix() + CLOCK_ALLOWANCE_SECONDS {
            return Err(JournalRefusal::EntryInFuture { at, clock, state }.into());
        }
        // No backdating: an entry comes strictly after the last one, and never before the
        // latest export, which already reported the standby's state up to its time.
        let (seq, previous) = match entries.last() {
            Some(last) if at <= last.at => {
                return Err(JournalRefusal::EntryNotAfterLast { at, last: last.at }.into())
            }
            Some(last) => (last.seq + 1, last.hash.clone()),
            None => (0, GENESIS.to_string()),
        };
        if let Some(exported) = tx.latest_journal_export()?.filter(|e| at < *e) {
            return Err(JournalRefusal::EntryBeforeExport { at, exported }.into());
        }
        let entry = JournalEntry {
            seq,
            at,
            state,
            hash: chain_hash(&previous, seq, at, state),
        };
        tx.append_journal(&entry)?;
        // The whole journal up to this entry: a violation it shows stays recorded once its
        // episode has ended (monitoring, which only reads, evaluates the running one).
        let mut journal = entries;
        journal.push(entry.clone());
        record_live_violations(&tx, &self.trust, own.as_deref(), &journal, at, clock)?;
        tx.audit(
            clock,
            "journal-appended",
            "usage journal",
            &format!("entry {seq}: {} from {at}", state.code()),
            None,
        )?;
        tx.commit()?;
        Ok(entry)
    }

    /// The standby of this installation: the activated standby whose certified installation key
    /// is this desk's own.
    pub(crate) fn own_standby(&self) -> Result<licdesk_store::StoredSystem, DeskError> {
        let own = licdesk_core::trust::encode_public_key(&self.installation_key()?.verifying_key());
        self.store
            .all_systems()?
            .into_iter()
            .find(|s| {
                s.role == Role::Standby
                    && s.state == SystemState::Active
                    && s.installation_key.as_deref() == Some(own.as_str())
            })
            .ok_or_else(|| JournalRefusal::NoOwnStandby.into())
    }

    /// Writes the hash-chained journal, signed by this installation's key.
    pub fn journal_export(
        &mut self,
        out: &std::path::Path,
        if_exists: crate::IfExists,
    ) -> Result<UsageJournal, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        let standby = self.own_standby()?;
        let key = self.installation_key()?;
        let entries = self.store.journal_entries()?;
        // Appends in the same second are a second apart, a little ahead of the clock at most.
        let now = self.clock.now();
        let clock = match entries.last() {
            Some(last) if within_slack(last.at, now) => last.at,
            _ => now,
        };
        if let Some(last) = entries.last().filter(|l| l.at > clock) {
            return Err(JournalRefusal::ClockBehindJournal {
                clock,
                last: last.at,
            }
            .into());
        }
        let journal = UsageJournal {
            failover: standby.license.clone(),
            hardware_id: standby.hardware.id.clone(),
            installation_key: licdesk_core::InstallationKey::of(&key.verifying_key()),
            exported_at: clock,
            entries,
            activation: standby
                .activation
                .as_ref()
                .map(|a| a.response_text.clone())
                .unwrap_or_default(),
        };
        // The export reports the state up to its time: no later entry may be dated before it.
        let own = self.installation_public_key()?;
        let tx = self.store.write()?;
        tx.record_journal_export(clock, journal.last_entry().map(|(seq, _)| seq))?;
        record_live_violations(
            &tx,
            &self.trust,
            own.as_deref(),
            &journal.entries,
            clock,
            now,
        )?;
        output.write(seal(FileKind::UsageJournal, &journal, &key).as_bytes())?;
        tx.commit()?;
        Ok(journal)
    }
}

/// How far "now" may be moved past the clock to keep journal entries a second apart.
pub(crate) const SAME_SECOND_SLACK: i64 = 60;

/// Whether the last entry, at `last`, is at or a little ahead of the clock (within the slack that
/// keeps entries of one second a second apart).
fn within_slack(last: Timestamp, clock: Timestamp) -> bool {
    last >= clock && last.unix() - clock.unix() < SAME_SECOND_SLACK
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::FixedClock;

    const T0: i64 = 1_800_000_000;

    fn desk_at(clock: &Arc<FixedClock>) -> (tempfile::TempDir, Desk) {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::open(&dir.path().join("store.sqlite"))
            .unwrap()
            .with_clock(clock.clone());
        (dir, desk)
    }

    #[test]
    fn appends_in_one_second_are_a_second_apart_and_never_backdated_r12() {
        let clock = Arc::new(FixedClock::at(Timestamp::from_unix(T0)));
        let (_dir, mut desk) = desk_at(&clock);
        let at = |e: JournalEntry| e.at.unix() - T0;
        // The clock stands still: each "now" is a second after the last entry.
        assert_eq!(at(desk.journal_append(UsageState::Load, None).unwrap()), 0);
        assert_eq!(at(desk.journal_append(UsageState::Idle, None).unwrap()), 1);
        assert_eq!(at(desk.journal_append(UsageState::Load, None).unwrap()), 2);
        // A given time must be strictly later than the last entry.
        let err = desk
            .journal_append(UsageState::Idle, Some(Timestamp::from_unix(T0 + 2)))
            .unwrap_err();
        assert!(
            err.message.contains("not after the journal's last entry"),
            "{err:?}"
        );
        // The clock moves on: "now" is the clock again.
        clock.advance(3600);
        assert_eq!(
            at(desk.journal_append(UsageState::Idle, None).unwrap()),
            3600
        );
        // More than an hour ahead of the clock is refused (it could never be taken back).
        let err = desk
            .journal_append(UsageState::Load, Some(Timestamp::from_unix(T0 + 3 * 3600)))
            .unwrap_err();
        assert!(err.message.contains("more than 1 h after"), "{err:?}");
        assert_eq!(desk.store().journal_entries().unwrap().len(), 4);
    }
}
