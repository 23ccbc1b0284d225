//! The packages `make package` ships, built by `scripts/package.sh` from the debug binaries that
//! `make build` made (Linux and Windows), then installed and removed as a customer would: the
//! .deb packages with dpkg on this machine (root, or sudo), the .msi with msiexec under Wine in
//! a fresh prefix. What they share is in `support`.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod deb;
mod msi;
mod support;
