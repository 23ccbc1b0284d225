//! What needs attention at the time of asking, beyond what the store keeps for each license
//! (`licdesk_store`'s listing: out of date, waiting for the vendor, the five-day levels of the
//! journals imported, violations not acknowledged, tampered journals not dismissed):
//!
//! - a standby whose usage journal is overdue — more than a day that no trusted journal
//!   accounts for, as monitoring counts it (R12: such time is never idle);
//! - the standby this desk is, whose own journal is evaluated live (R12), as monitoring does.
//!
//! Both are found from the standbys' rows and the usage reports only, never by reading every
//! license, so the list's cost stays that of one page however many licenses the store holds.

use std::collections::BTreeMap;

use licdesk_core::{Attention, LicenseNumber};
use licdesk_store::Queries;

use crate::check::UNACCOUNTED_WARNING_HOURS;
use crate::{Desk, DeskError};

/// The attention found at the time of asking, by base license.
#[derive(Debug, Default)]
pub(crate) struct AttentionNow(BTreeMap<LicenseNumber, Vec<Attention>>);

impl AttentionNow {
    /// The base licenses that need it.
    pub(crate) fn licenses(&self) -> Vec<LicenseNumber> {
        self.0.keys().cloned().collect()
    }

    /// `kept` (what the store keeps for `base`) with what was found now, most urgent first.
    pub(crate) fn with_kept(&self, base: &LicenseNumber, kept: Vec<Attention>) -> Vec<Attention> {
        let mut all = kept;
        all.extend(self.0.get(base).into_iter().flatten().cloned());
        Attention::in_order(all)
    }
}

impl Desk {
    /// What needs attention now beyond what the store keeps (see the module).
    pub(crate) fn attention_now(&self) -> Result<AttentionNow, DeskError> {
        let mut found = AttentionNow::default();
        let now = self.desk_time()?;
        let own = self.installation_public_key()?;
        let overdue =
            self.store
                .journals_overdue(now, UNACCOUNTED_WARNING_HOURS, own.as_deref())?;
        for o in overdue {
            found
                .0
                .entry(o.base)
                .or_default()
                .push(Attention::StaleJournal {
                    failover: o.failover,
                    since: o.since,
                });
        }
        let own_standby = match &own {
            Some(key) => self.store.standby_of_installation(key)?,
            None => None,
        };
        if let Some((failover, base)) = own_standby {
            if let Some(report) = self.own_live_report(&failover)? {
                let live = Attention::of_usage(
                    &failover,
                    report.evaluation.as_ref(),
                    !report.open_violations.is_empty(),
                    false,
                );
                if !live.is_empty() {
                    found.0.entry(base).or_default().extend(live);
                }
            }
        }
        Ok(found)
    }
}
