//! What the store tests share: a base certificate and putting it in a store.

use licdesk_core::{
    BaseCertificate, KeyId, LicenseNumber, LicenseProduct, SigningKey, Timestamp, Variant,
};
use licdesk_pgtest::Place;
use licdesk_store::{Provenance, Store, StoreLocation};

pub fn base(n: u8, customer: &str) -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [n, 1, 2, 3, 4]),
        revision: 1,
        customer: customer.into(),
        variant: Variant::Users25,
        extensions: vec![],
        issued_at: Timestamp::from_unix(1_700_000_000),
    }
}

pub fn put(store: &mut Store, cert: &BaseCertificate) {
    put_from_file(store, cert, "h", "cert");
    let tx = store.write().unwrap();
    tx.audit(
        Timestamp::from_unix(1),
        "import",
        cert.license.as_str(),
        "",
        Some("h"),
    )
    .unwrap();
    tx.commit().unwrap();
}

/// Puts `cert` from a file of content id `hash` whose text is `text`.
pub fn put_from_file(store: &mut Store, cert: &BaseCertificate, hash: &str, text: &str) {
    let key_id = KeyId::of_public_key(&SigningKey::from_bytes(&[1; 32]).verifying_key());
    let tx = store.write().unwrap();
    tx.put_base(
        cert,
        &Provenance {
            file_hash: hash,
            key_id: &key_id,
            demo: false,
            text,
            at: Timestamp::from_unix(1_700_000_100),
        },
    )
    .unwrap();
    tx.commit().unwrap();
}

/// The store at a test's place (an SQLite file or a PostgreSQL database), opened for writing.
pub fn open(place: &Place) -> Store {
    Store::open_at(&StoreLocation::of(&place.at)).unwrap()
}
