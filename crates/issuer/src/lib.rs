//! The vendor's side of License Desk: key pairs, license certificates and activation responses.
//! It is a separate tool so that no private vendor key is ever part of the desktop app.
//!
//! One module per use case; the binary (`main.rs`) only parses arguments and prints.

mod activate;
mod clock;
mod error;
mod files;
mod issue;
mod key;
mod release;

pub use activate::{activate, activate_with, validate_limits, Activated};
pub use clock::now;
pub use error::{IssuerError, EXIT_FAILURE};
pub use files::{output, read_capped, read_request};
pub use issue::{issue_base, issue_failover, Issued};
pub use key::{keygen, public_key_path, VendorKey};
pub use licdesk_outfile::IfExists;
pub use release::{release, release_by_hand};
