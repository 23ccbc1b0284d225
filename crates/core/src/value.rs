//! Why a value is not acceptable: one a person typed (a variant, a role, an extension, a name)
//! or one a file carried (a nonce, a certificate's license numbers, a hardware description).
//!
//! Every [`ValueError`] says a sentence for people ([`std::fmt::Display`]) and has a stable
//! [`ValueError::code`] that shells and tests can branch on instead of the sentence.

use crate::ids::{HardwareId, LicenseNumber, FAILOVER_ARTICLE};
use crate::text::TextProblem;

/// Which closed set of words a [`ValueError::UnknownWord`] was expected to come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordKind {
    /// A base license's variant (R1): `10`, `25`, `250`, `unlimited`.
    Variant,
    /// A system's role: `main`, `standby`.
    Role,
    /// A standby's mode (R8, R9): `cold`, `hot`, `test`.
    StandbyMode,
    /// A usage journal state (R12): `load`, `idle`.
    UsageState,
}

impl WordKind {
    /// What a word of this kind is, with its article: "a role".
    pub fn describe(self) -> &'static str {
        match self {
            WordKind::Variant => "a variant of the OfficeMaster Suite",
            WordKind::Role => "a role",
            WordKind::StandbyMode => "a standby mode",
            WordKind::UsageState => "a state",
        }
    }

    /// The words accepted, for people: "main or standby".
    pub fn expected(self) -> &'static str {
        match self {
            WordKind::Variant => "10, 25, 250 or unlimited",
            WordKind::Role => "main or standby",
            WordKind::StandbyMode => "cold, hot or test",
            WordKind::UsageState => "load or idle",
        }
    }
}

/// A value that is not acceptable, with what it was and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not one of the words of a closed set (a variant, a role, a standby mode, a state).
    #[error("'{input}' is not {}: use {}", word.describe(), word.expected())]
    UnknownWord { word: WordKind, input: String },
    /// A name, label or reason that [`crate::text::check_text`] refuses.
    #[error("{}", problem.describe(what))]
    Text { what: String, problem: TextProblem },
    /// A nonce that is not 64 lowercase hex characters (nor a by-hand release's).
    #[error("its nonce is not 64 lowercase hex characters ({chars} characters given)")]
    BadNonce { chars: usize },
    /// An extension not written `ARTICLE:NAME:QUANTITY`.
    #[error("'{spec}' is not an extension: write ARTICLE:NAME:QUANTITY, e.g. XOM.11000:Fax:2")]
    ExtensionShape { spec: String },
    /// An extension's quantity that is not a whole number.
    #[error("the quantity '{quantity}' in '{spec}' is not a whole number from 1 up")]
    QuantityNotNumber { quantity: String, spec: String },
    /// An article number not made of 1-32 capital letters, digits, '.' or '-'.
    #[error("'{article}' is not an article number: use 1-32 capital letters, digits, '.' or '-', e.g. XOM.11000")]
    BadArticle { article: String },
    /// The FailoverSuite's article given as an extension: it has its own license number.
    #[error("{FAILOVER_ARTICLE} is the FailoverSuite: it has its own license number; issue it with issue-failover")]
    FailoverAsExtension,
    /// An extension's quantity outside 1 ..= 1000000.
    #[error("the quantity of {article} must be between 1 and 1000000, not {quantity}")]
    Quantity { article: String, quantity: u32 },
    /// A base certificate whose license number is not an OfficeMaster Suite one.
    #[error("{license} is not an OfficeMaster Suite license number (OMS-…)")]
    NotSuiteLicense { license: LicenseNumber },
    /// A FailoverSuite certificate whose license number is not a FailoverSuite one.
    #[error("{license} is not a FailoverSuite license number (XFM-…)")]
    NotFailoverLicense { license: LicenseNumber },
    /// A FailoverSuite certificate extending something else than a base license.
    #[error("a FailoverSuite extends an OfficeMaster Suite base license (OMS-…), not {base}")]
    FailoverBaseNotSuite { base: LicenseNumber },
    /// A FailoverSuite certificate for another article.
    #[error("a FailoverSuite certificate must be for article {FAILOVER_ARTICLE}, not {article}")]
    FailoverArticle { article: String },
    /// A hardware description with too many or badly formed components.
    #[error("the hardware description holds malformed components")]
    MalformedComponents,
    /// A hardware description whose code is not the one its components give.
    #[error("the hardware ID {id} does not belong to the components listed with it")]
    HardwareIdMismatch { id: HardwareId },
    /// A base certificate of revision 0: revisions start at 1.
    #[error("the certificate of {license} has revision 0: revisions start at 1")]
    RevisionZero { license: LicenseNumber },
    /// An installation key in a file that is not the canonical base64 of an Ed25519 public key.
    #[error(
        "its installation key is not a public key written as base64 of its 32 bytes: {problem}"
    )]
    BadInstallationKey { problem: crate::key::KeyError },
    /// An entitlement digest that is not 32 lowercase hex characters.
    #[error(
        "its entitlement digest is not 32 lowercase hex characters ({chars} characters given)"
    )]
    BadEntitlementDigest { chars: usize },
}

impl ValueError {
    /// A stable code, one per variant (and per word kind or text problem).
    pub fn code(&self) -> &'static str {
        match self {
            ValueError::UnknownWord { word, .. } => match word {
                WordKind::Variant => "unknown_variant",
                WordKind::Role => "unknown_role",
                WordKind::StandbyMode => "unknown_standby_mode",
                WordKind::UsageState => "unknown_usage_state",
            },
            ValueError::Text { problem, .. } => match problem {
                TextProblem::Blank => "text_blank",
                TextProblem::TooLong { .. } => "text_too_long",
                TextProblem::Control(_) => "text_control_character",
                TextProblem::Bidi(_) => "text_bidi_control",
                TextProblem::Invisible(_) => "text_invisible_character",
            },
            ValueError::BadNonce { .. } => "bad_nonce",
            ValueError::ExtensionShape { .. } => "extension_shape",
            ValueError::QuantityNotNumber { .. } => "quantity_not_a_number",
            ValueError::BadArticle { .. } => "bad_article",
            ValueError::FailoverAsExtension => "failover_as_extension",
            ValueError::Quantity { .. } => "quantity_out_of_range",
            ValueError::NotSuiteLicense { .. } => "not_a_suite_license",
            ValueError::NotFailoverLicense { .. } => "not_a_failover_license",
            ValueError::FailoverBaseNotSuite { .. } => "failover_base_not_suite",
            ValueError::FailoverArticle { .. } => "failover_wrong_article",
            ValueError::MalformedComponents => "malformed_components",
            ValueError::HardwareIdMismatch { .. } => "hardware_id_mismatch",
            ValueError::RevisionZero { .. } => "revision_zero",
            ValueError::BadInstallationKey { .. } => "bad_installation_key",
            ValueError::BadEntitlementDigest { .. } => "bad_entitlement_digest",
        }
    }

    pub(crate) fn unknown_word(word: WordKind, input: &str) -> Self {
        ValueError::UnknownWord {
            word,
            input: input.to_string(),
        }
    }
}

/// The sentence, for callers that carry errors as text.
impl From<ValueError> for String {
    fn from(e: ValueError) -> String {
        e.to_string()
    }
}

/// Checks a free text that appears in files and on screen (a name, a label, a reason): not
/// empty, at most `max_chars` characters, and no control, bidirectional or other invisible
/// format character — [`crate::text::check_text`]; the error's sentence names `what`.
pub fn validate_text(what: &str, text: &str, max_chars: usize) -> Result<(), ValueError> {
    crate::text::check_text(text, max_chars).map_err(|problem| ValueError::Text {
        what: what.to_string(),
        problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_error_says_its_sentence_and_has_a_code() {
        let cases = [
            (
                ValueError::unknown_word(WordKind::Role, "boss"),
                "'boss' is not a role: use main or standby",
                "unknown_role",
            ),
            (
                ValueError::BadNonce { chars: 3 },
                "its nonce is not 64 lowercase hex characters (3 characters given)",
                "bad_nonce",
            ),
            (
                ValueError::FailoverAsExtension,
                "XFM.47000 is the FailoverSuite: it has its own license number; issue it with issue-failover",
                "failover_as_extension",
            ),
            (
                validate_text("reason", " ", 10).unwrap_err(),
                "the reason is empty",
                "text_blank",
            ),
        ];
        for (e, sentence, code) in cases {
            assert_eq!(e.to_string(), sentence);
            assert_eq!(e.code(), code);
            assert_eq!(String::from(e), sentence);
        }
    }
}
