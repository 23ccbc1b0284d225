//! Property tests of every parser of untrusted input in the core: no input makes one panic.
//!
//! Signed files are seeded with genuine files of every kind (sealed with fixed keys), then
//! damaged at the byte level, and — what matters most — replaced by hostile content sealed with
//! the trusted key: a vendor-signed file may say anything its signer wants. Whatever parses is
//! then used the way the desk and the vendor tool use it (validated, evaluated, printed).
//!
//! The number of cases of each property comes from `PROPTEST_CASES` when set (`make fuzz` runs
//! many); failures are kept as seeds in this crate's `proptest-regressions/fuzz.txt`.

//!
//! - `genuine.rs`: genuine files of every kind, sealed with fixed keys (the seeds).
//! - `exercise.rs`: using whatever parsed, as the desk and the vendor tool would.
//! - `files.rs`: signed files, damaged, hostile or arbitrary.
//! - `journals.rs`: the five-day rule and usage journals over extreme times and limits.
//! - `parsers.rs`: every text parser.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

#[path = "../hostile/mod.rs"]
mod hostile;

mod exercise;
mod files;
mod genuine;
mod journals;
mod parsers;
