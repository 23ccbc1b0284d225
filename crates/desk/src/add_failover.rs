//! Adding a FailoverSuite to a base license from its certificate (R2): the window's guided
//! "Add FailoverSuite" names the base license first, so the file must be a FailoverSuite
//! certificate for that one — another kind of file, or one for another base license, is refused
//! before anything changes. Then it is imported as `licdesk import` imports it.

use std::path::Path;

use licdesk_core::{Envelope, FailoverCertificate, FileKind, LicenseNumber};

use crate::views::{ImportOutcome, ImportStatus};
use crate::{files, Desk, DeskError, ImportRefusal};

impl Desk {
    /// Adds the FailoverSuite whose certificate is at `path` to the base license `base`; the
    /// outcome of its import (`imported`, or `unchanged` when it was there already).
    pub fn add_failover(
        &mut self,
        base: &LicenseNumber,
        path: &Path,
    ) -> Result<ImportOutcome, DeskError> {
        self.base(base)?;
        let bytes = files::read_capped(path, FileKind::FailoverCertificate.size_cap())?;
        let envelope = Envelope::parse(&bytes)?.expect(FileKind::FailoverCertificate)?;
        let (verified, _) = self.trust.verify(envelope)?;
        let certificate: FailoverCertificate = verified.payload()?;
        if certificate.base_license != *base {
            return Err(ImportRefusal::FailoverForOtherBase {
                license: certificate.license,
                base: base.clone(),
                named_base: certificate.base_license,
            }
            .into());
        }
        let outcome = self.import_bytes(&path.display().to_string(), &bytes);
        match (outcome.status, &outcome.error) {
            (ImportStatus::Refused, Some(error)) => Err(error.clone()),
            _ => Ok(outcome),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use licdesk_core::{
        seal, BaseCertificate, FailoverCertificate, FileKind, LicenseNumber, LicenseProduct,
        SigningKey, Timestamp, Variant, FAILOVER_ARTICLE,
    };

    use licdesk_store::Queries;

    use crate::test_world::{world, ISSUED};
    use crate::{ErrorCode, ImportStatus};

    fn failover_of(base: &LicenseNumber, n: u8, vendor: &SigningKey) -> (LicenseNumber, String) {
        let license = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [n, 2, 3, 4, 5]);
        let text = seal(
            FileKind::FailoverCertificate,
            &FailoverCertificate {
                license: license.clone(),
                article: FAILOVER_ARTICLE.into(),
                base_license: base.clone(),
                issued_at: Timestamp::from_unix(ISSUED),
            },
            vendor,
        );
        (license, text)
    }

    #[test]
    fn a_failover_suite_is_added_to_the_base_license_its_certificate_names_r2() {
        let mut w = world();
        let (second, text) = failover_of(&w.base.license, 9, &w.vendor);
        let file = w.dir.path().join("second.lic");
        std::fs::write(&file, text).unwrap();
        let outcome = w.desk.add_failover(&w.base.license, &file).unwrap();
        assert_eq!(
            outcome.status,
            ImportStatus::Imported,
            "{}",
            outcome.message
        );
        assert_eq!(outcome.license.as_ref(), Some(&second));
        let detail = w.desk.show(&w.base.license).unwrap();
        assert_eq!(detail.summary.failovers.len(), 2);
        // The same file again changes nothing.
        let again = w.desk.add_failover(&w.base.license, &file).unwrap();
        assert_eq!(again.status, ImportStatus::Unchanged);
    }

    #[test]
    fn a_certificate_for_another_base_or_another_kind_of_file_is_refused_and_nothing_changes() {
        let mut w = world();
        let other = BaseCertificate {
            license: LicenseNumber::from_random(LicenseProduct::Suite, [7, 7, 7, 7, 7]),
            revision: 1,
            customer: "Andere AG".into(),
            variant: Variant::Users10,
            extensions: vec![],
            issued_at: Timestamp::from_unix(ISSUED),
        };
        let other_text = seal(FileKind::BaseCertificate, &other, &w.vendor);
        assert_eq!(
            w.desk.import_bytes("other", other_text.as_bytes()).status,
            ImportStatus::Imported
        );
        let before = w.desk.store().dump().unwrap();
        let (foreign, text) = failover_of(&other.license, 8, &w.vendor);
        let file = w.dir.path().join("foreign.lic");
        std::fs::write(&file, text).unwrap();
        let e = w.desk.add_failover(&w.base.license, &file).unwrap_err();
        assert_eq!(e.code, ErrorCode::WrongLicense);
        let params = e.params.unwrap();
        assert_eq!(params["refusal"], "failover_for_other_base");
        assert_eq!(params["license"], foreign.as_str());
        assert_eq!(params["named_base"], other.license.as_str());
        // A base certificate is not a FailoverSuite's.
        let base_file = w.dir.path().join("base.lic");
        std::fs::write(&base_file, other_text).unwrap();
        let e = w
            .desk
            .add_failover(&w.base.license, &base_file)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::WrongKind, "{}", e.message);
        // Signed by a key the desk does not trust.
        let (_, untrusted) = failover_of(&w.base.license, 6, &SigningKey::from_bytes(&[5; 32]));
        std::fs::write(&file, untrusted).unwrap();
        let e = w.desk.add_failover(&w.base.license, &file).unwrap_err();
        assert_eq!(e.code, ErrorCode::UntrustedKey, "{}", e.message);
        // No such file.
        let e = w
            .desk
            .add_failover(&w.base.license, &w.dir.path().join("missing.lic"))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Io, "{}", e.message);
        assert_eq!(w.desk.store().dump().unwrap(), before);
    }
}
