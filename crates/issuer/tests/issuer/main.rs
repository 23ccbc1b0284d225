//! The vendor tool: keys, certificates, and activation decisions against the ledger, one module
//! per feature; what they share is in `support`.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod activate;
mod errors;
mod issue;
// Needs Debian's PostgreSQL server: Linux only (not the Windows build under Wine).
#[cfg(target_os = "linux")]
mod race;
mod release;
mod support;
