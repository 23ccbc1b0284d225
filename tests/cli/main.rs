//! Command-line scenarios through the real `licdesk` and `licdesk-issuer` binaries, one module per
//! feature; what several of them share is in `support`. Rules are named by their R-numbers.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod activation;
mod check;
mod check_formats;
mod five_days;
mod hygiene;
mod import;
mod journal;
mod ledger;
mod list;
mod live_journal;
mod machine;
mod monitoring_account;
mod nagios;
mod outputs;
mod standby;
mod store;
mod support;
mod sync;
mod tampered_journals;
mod team_store;
mod trust;
