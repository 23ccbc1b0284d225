//! What a signed file does to the state, decided without I/O: the desk loads what it holds,
//! asks here, and stores the answer.

use crate::model::BaseCertificate;
use crate::time::Timestamp;

/// What importing a base license certificate does, given the certificate of the same number
/// the store holds (R1; R5: a later revision upgrades it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseImport {
    /// A license the store does not hold yet.
    New,
    /// A later revision of the license the store holds: it replaces it (systems activated
    /// before are out of date, R5).
    Upgrade,
    /// The very certificate the store holds.
    Same,
}

/// Why a base license certificate is refused against the one the store holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseRefusal {
    #[error("revision {revision} is superseded by revision {held} (issued {held_issued_at}) in the store")]
    Superseded {
        revision: u32,
        held: u32,
        held_issued_at: Timestamp,
    },
    #[error("revision {revision} in the store differs from this certificate's")]
    DiffersAtSameRevision { revision: u32 },
    #[error("the store's certificate names customer '{held}', this one '{named}'")]
    OtherCustomer { held: String, named: String },
}

impl BaseRefusal {
    /// The stable code shells branch on.
    pub fn code(&self) -> &'static str {
        match self {
            BaseRefusal::Superseded { .. } => "superseded",
            BaseRefusal::DiffersAtSameRevision { .. } | BaseRefusal::OtherCustomer { .. } => {
                "conflict"
            }
        }
    }
}

/// The decision for importing `new` when the store holds `held` (the same license number).
pub fn base_certificate_import(
    held: Option<&BaseCertificate>,
    new: &BaseCertificate,
) -> Result<BaseImport, BaseRefusal> {
    let Some(held) = held else {
        return Ok(BaseImport::New);
    };
    if held.revision > new.revision {
        return Err(BaseRefusal::Superseded {
            revision: new.revision,
            held: held.revision,
            held_issued_at: held.issued_at,
        });
    }
    if held.revision == new.revision {
        return if held == new {
            Ok(BaseImport::Same)
        } else {
            Err(BaseRefusal::DiffersAtSameRevision {
                revision: new.revision,
            })
        };
    }
    if held.customer != new.customer {
        return Err(BaseRefusal::OtherCustomer {
            held: held.customer.clone(),
            named: new.customer.clone(),
        });
    }
    Ok(BaseImport::Upgrade)
}

/// R5: a system activated under the entitlements with digest `activated` is out of date once its
/// main system's licenses have the digest `current` (an extension added, a variant upgraded).
pub fn is_out_of_date(activated: &str, current: &str) -> bool {
    activated != current
}

/// Whether a vendor decision for one system (an activation response or a standby release), signed
/// at `signed_at` with the ledger's sequence number `serial`, comes after the latest one applied
/// (`held_at`, `held_serial`). Decisions of one ledger compare by sequence number; otherwise (a
/// file of an older vendor tool) by signed time, and a tie is not later.
pub fn decision_follows(
    held_at: Timestamp,
    held_serial: Option<u64>,
    signed_at: Timestamp,
    serial: Option<u64>,
) -> bool {
    match (held_serial, serial) {
        (Some(held), Some(new)) => new > held,
        _ => signed_at > held_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{LicenseNumber, LicenseProduct};
    use crate::model::Variant;

    fn cert(revision: u32, customer: &str, variant: Variant) -> BaseCertificate {
        BaseCertificate {
            license: LicenseNumber::from_random(LicenseProduct::Suite, [1, 2, 3, 4, 5]),
            revision,
            customer: customer.into(),
            variant,
            extensions: vec![],
            issued_at: Timestamp::from_unix(1_800_000_000 + i64::from(revision)),
        }
    }

    #[test]
    fn what_a_base_certificate_does_to_the_store_r1_r5() {
        let one = cert(1, "Müller GmbH", Variant::Users25);
        let two = cert(2, "Müller GmbH", Variant::Users250);
        let cases: Vec<(
            Option<&BaseCertificate>,
            &BaseCertificate,
            Result<BaseImport, &str>,
        )> = vec![
            (None, &one, Ok(BaseImport::New)),
            (Some(&one), &one, Ok(BaseImport::Same)),
            (Some(&one), &two, Ok(BaseImport::Upgrade)),
            (Some(&two), &one, Err("superseded")),
        ];
        for (held, new, expected) in cases {
            let got = base_certificate_import(held, new);
            match (got, expected) {
                (Ok(g), Ok(e)) => assert_eq!(g, e),
                (Err(g), Err(code)) => assert_eq!(g.code(), code, "{g}"),
                (g, e) => panic!("{g:?} instead of {e:?}"),
            }
        }
        let other_variant = cert(1, "Müller GmbH", Variant::Users10);
        assert_eq!(
            base_certificate_import(Some(&one), &other_variant),
            Err(BaseRefusal::DiffersAtSameRevision { revision: 1 })
        );
        let other_customer = cert(2, "Schulze AG", Variant::Users250);
        assert!(matches!(
            base_certificate_import(Some(&one), &other_customer),
            Err(BaseRefusal::OtherCustomer { .. })
        ));
        let superseded = base_certificate_import(Some(&two), &one).unwrap_err();
        assert!(
            superseded.to_string().contains("superseded by revision 2"),
            "{superseded}"
        );
    }

    #[test]
    fn a_system_is_out_of_date_when_its_main_systems_licenses_changed_r5() {
        assert!(!is_out_of_date("abc", "abc"));
        assert!(is_out_of_date("abc", "abd"));
    }

    #[test]
    fn vendor_decisions_move_forward_only() {
        let t = Timestamp::from_unix;
        // (held at, held serial, new at, new serial) → follows
        let cases = [
            (t(100), Some(5), t(100), Some(6), true),
            (t(100), Some(6), t(100), Some(6), false),
            (t(100), Some(6), t(200), Some(5), false),
            (t(100), None, t(101), Some(1), true),
            (t(100), Some(9), t(100), None, false),
            (t(100), None, t(100), None, false),
            (t(100), None, t(99), None, false),
        ];
        for (held_at, held_serial, at, serial, follows) in cases {
            assert_eq!(
                decision_follows(held_at, held_serial, at, serial),
                follows,
                "{held_at} #{held_serial:?} then {at} #{serial:?}"
            );
        }
    }
}
