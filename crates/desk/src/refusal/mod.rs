//! Every refusal of the desk as a typed value: a variant per refusal, carrying its parameters
//! (license numbers, hardware IDs, times, revisions …), with a stable `code`, the English
//! sentence the shells have always shown, and the next step where there is one.
//!
//! A refusal becomes a [`DeskError`]: `code`, `message` (the sentence), `next`, and `params`,
//! the refusal serialized — `{"refusal": "<variant in snake_case>", …its fields}` — so that a
//! shell has the values, not only the sentence. The variants are grouped by use case, one enum
//! per file; the `refusal` tags are unique across them all (docs/CODES.md lists them).

mod import;
mod journal;
mod response;
mod standby;

pub use import::ImportRefusal;
pub use journal::JournalRefusal;
pub use response::ResponseRefusal;
pub use standby::StandbyRefusal;

use serde::{Serialize, Serializer};

use crate::{DeskError, ErrorCode, NextStep};

/// A refusal of the desk, of any use case. Serialized as the variant of its use case (each
/// tagged `refusal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(untagged)]
pub enum Refusal {
    #[error(transparent)]
    Import(#[from] ImportRefusal),
    #[error(transparent)]
    Standby(#[from] StandbyRefusal),
    #[error(transparent)]
    Response(#[from] ResponseRefusal),
    #[error(transparent)]
    Journal(#[from] JournalRefusal),
}

impl Refusal {
    /// The stable code shells branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::Import(r) => r.code(),
            Refusal::Standby(r) => r.code(),
            Refusal::Response(r) => r.code(),
            Refusal::Journal(r) => r.code(),
        }
    }

    /// What to do next, where the refusal says it.
    pub fn next(&self) -> Option<NextStep> {
        match self {
            Refusal::Import(r) => r.next(),
            Refusal::Standby(r) => r.next(),
            Refusal::Response(_) => None,
            Refusal::Journal(r) => r.next(),
        }
    }

    /// The refusal's tag and parameters: `{"refusal": "<variant>", …}`.
    pub fn params(&self) -> Option<serde_json::Value> {
        serde_json::to_value(self).ok()
    }
}

impl From<Refusal> for DeskError {
    fn from(refusal: Refusal) -> Self {
        DeskError {
            code: refusal.code(),
            message: refusal.to_string(),
            id_problem: None,
            next: refusal.next(),
            params: refusal.params(),
        }
    }
}

macro_rules! into_desk_error {
    ($($t:ty),*) => {$(
        impl From<$t> for DeskError {
            fn from(refusal: $t) -> Self {
                Refusal::from(refusal).into()
            }
        }
    )*};
}
into_desk_error!(
    ImportRefusal,
    StandbyRefusal,
    ResponseRefusal,
    JournalRefusal
);

/// A parameter said in words (a core error, a problem with a value): its sentence.
pub(crate) fn text<T: std::fmt::Display, S: Serializer>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// A path as people see it (also when it is not UTF-8).
pub(crate) fn display_path<P: AsRef<std::path::Path>, S: Serializer>(
    path: &P,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(&path.as_ref().display())
}

/// A file kind by its stable tag (`activation-response`, `standby-release` …).
pub(crate) fn kind_tag<S: Serializer>(
    kind: &licdesk_core::FileKind,
    s: S,
) -> Result<S::Ok, S::Error> {
    kind.tag().serialize(s)
}

#[cfg(test)]
mod tests;
