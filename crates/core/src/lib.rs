//! License Desk's domain core: what licenses, systems, rules and signed files are.
//!
//! No I/O happens here — no files, no clock, no randomness, no database. Callers pass time and
//! random bytes in. That keeps every rule testable as a pure function.

pub mod attention;
pub mod decisions;
pub mod envelope;
pub mod hex;
pub mod hwid;
pub mod ids;
pub mod key;
pub mod model;
pub mod nonce;
pub mod rules;
pub mod sort_key;
pub mod text;
pub mod time;
pub mod trust;
pub mod usage;
pub mod value;

pub use attention::{Attention, SystemFacts};
pub use envelope::{seal, Envelope, FileError, FileKind, Verified};
pub use hwid::{Component, ComponentKind, Hardware};
pub use ids::{HardwareId, IdError, KeyId, LicenseNumber, LicenseProduct};
pub use key::{InstallationKey, KeyError};
pub use model::*;
pub use rules::{KnownSystem, RuleViolation};
pub use text::{check_text, escape_for_terminal, TextProblem};
pub use time::{TimeError, Timestamp};
pub use trust::{TrustStore, TrustedKey};
pub use value::WordKind;

pub use ed25519_dalek as ed25519;
pub use ed25519_dalek::{SigningKey, VerifyingKey};
