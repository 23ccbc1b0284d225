//! License certificates: a base license (R1) and a FailoverSuite bound to one (R2, R3).

use licdesk_core::{
    seal, BaseCertificate, Extension, FailoverCertificate, FileKind, LicenseNumber, LicenseProduct,
    Variant, FAILOVER_ARTICLE,
};
use rand_core::{OsRng, RngCore};
use serde::Serialize;

use crate::clock::now;
use crate::error::IssuerError;
use crate::key::VendorKey;

#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub license: LicenseNumber,
    pub kind: &'static str,
    pub file: String,
}

fn random_license(product: LicenseProduct) -> LicenseNumber {
    let mut bytes = [0u8; 5];
    OsRng.fill_bytes(&mut bytes);
    LicenseNumber::from_random(product, bytes)
}

/// Issues a base license certificate (R1). With `license`, re-issues that number at `revision`.
pub fn issue_base(
    key: &VendorKey,
    customer: &str,
    variant: Variant,
    extensions: Vec<Extension>,
    license: Option<LicenseNumber>,
    revision: u32,
) -> Result<(BaseCertificate, String), IssuerError> {
    let cert = BaseCertificate {
        license: license.unwrap_or_else(|| random_license(LicenseProduct::Suite)),
        revision,
        customer: customer.trim().to_string(),
        variant,
        extensions,
        issued_at: now(),
    };
    if revision == 0 {
        return Err(IssuerError::RevisionZero);
    }
    cert.validate()
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
    let text = seal(FileKind::BaseCertificate, &cert, &key.key);
    Ok((cert, text))
}

/// Issues a FailoverSuite certificate bound to one base license (R2, R3: any variant).
pub fn issue_failover(
    key: &VendorKey,
    base: &LicenseNumber,
) -> Result<(FailoverCertificate, String), IssuerError> {
    let cert = FailoverCertificate {
        license: random_license(LicenseProduct::FailoverSuite),
        article: FAILOVER_ARTICLE.to_string(),
        base_license: base.clone(),
        issued_at: now(),
    };
    cert.validate()
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
    let text = seal(FileKind::FailoverCertificate, &cert, &key.key);
    Ok((cert, text))
}
