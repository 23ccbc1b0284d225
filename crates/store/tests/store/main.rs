//! The store: what is put in stays, older schemas are upgraded with their data kept, and search
//! finds what a plain substring search finds; one module per feature, what they share in
//! `support`.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod exchange;
mod ledger;
mod listing;
mod persistence;
mod schema;
mod search;
mod support;
// A cluster of its own that takes TCP over TLS: Linux only (not the Windows build under Wine).
#[cfg(target_os = "linux")]
mod tls;
