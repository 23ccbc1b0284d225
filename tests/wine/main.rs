//! The Windows builds of `licdesk` and `licdesk-issuer` under Wine (Debian's wine, a prefix per
//! machine made by `tests/wine/run.sh`): a Windows regression fails here, on Linux CI. Needs the
//! Windows programs that `make build` cross-compiles.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod flow;
mod places;
mod support;
