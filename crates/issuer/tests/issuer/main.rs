//! The vendor tool: keys, certificates, and activation decisions against the ledger, one module
//! per feature; what they share is in `support`.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod activate;
mod errors;
mod issue;
mod release;
mod support;
