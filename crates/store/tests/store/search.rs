//! Listing and search: filters by customer and number with wildcards escaped, every search path
//! finds what a plain substring search finds, renamed customers by their new name.

use licdesk_core::{BaseCertificate, KeyId, LicenseNumber, LicenseProduct, SigningKey, Timestamp};
use licdesk_store::{Provenance, Queries, Store};

use crate::support::*;

#[test]
fn listing_filters_by_customer_and_by_number_and_escapes_wildcards() {
    let mut store = Store::open_in_memory().unwrap();
    let a = base(3, "Ärzte 100% AG");
    let b = base(4, "Bäckerei Schmidt");
    put(&mut store, &a);
    put(&mut store, &b);
    let names = |f: &str| -> Vec<String> {
        store
            .list_bases(f, 0, 10)
            .unwrap()
            .into_iter()
            .map(|r| r.customer)
            .collect()
    };
    assert_eq!(names("ärzte"), vec!["Ärzte 100% AG"]);
    assert_eq!(names("100%"), vec!["Ärzte 100% AG"]);
    assert_eq!(names("%"), vec!["Ärzte 100% AG"]);
    assert_eq!(names("_"), Vec::<String>::new());
    assert_eq!(names(&b.license.as_str()[..8]), vec!["Bäckerei Schmidt"]);
    assert_eq!(names("").len(), 2);
    assert_eq!(store.count_bases("schmidt").unwrap(), 1);
}

/// Puts many base licenses in one transaction.
fn put_many(store: &mut Store, certs: &[BaseCertificate]) {
    let key_id = KeyId::of_public_key(&SigningKey::from_bytes(&[1; 32]).verifying_key());
    let tx = store.write().unwrap();
    for cert in certs {
        tx.put_base(
            cert,
            &Provenance {
                file_hash: "h",
                key_id: &key_id,
                demo: false,
                text: "cert",
                at: Timestamp::from_unix(1_700_000_100),
            },
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

#[test]
fn every_search_path_finds_exactly_what_a_plain_substring_search_finds() {
    // Enough rows that a common filter takes the ordered walk (over 5,000 matches), a rarer one
    // the trigram index, and a short one the scan; each page is compared with a plain model.
    const KINDS: [&str; 4] = ["GmbH", "Stadtwerke", "Klinik \"Süd\"", "50%_Rabatt"];
    const TOWNS: [&str; 3] = ["Kiel", "München", "Köln"];
    let certs: Vec<BaseCertificate> = (0..12_000u32)
        .map(|i| {
            let b = i.to_le_bytes();
            let mut c = base(
                0,
                &format!(
                    "{} {} {i:05}{}",
                    KINDS[i as usize % 4],
                    TOWNS[(i as usize / 5) % 3],
                    if i % 10 < 6 { " Nord" } else { "" }
                ),
            );
            c.license = LicenseNumber::from_random(LicenseProduct::Suite, [b[0], b[1], 7, 7, 7]);
            c
        })
        .collect();
    let mut store = Store::open_in_memory().unwrap();
    put_many(&mut store, &certs);
    let mut sorted: Vec<&BaseCertificate> = certs.iter().collect();
    sorted.sort_by_key(|c| (c.customer.to_lowercase(), c.license.to_string()));
    let model = |filter: &str| -> Vec<String> {
        let needle = filter.trim().to_lowercase();
        let prefix = filter.trim().to_uppercase();
        sorted
            .iter()
            .filter(|c| {
                c.customer.to_lowercase().contains(&needle)
                    || c.license.as_str().starts_with(&prefix)
            })
            .map(|c| c.license.to_string())
            .collect()
    };
    let license_prefix = certs[77].license.as_str()[..6].to_string();
    for filter in [
        "",
        "k",
        "kl",
        "gmbh",
        "kiel",
        "gmbh kiel",
        "stadtwerke köln 0",
        "klinik \"süd\" mü",
        "0123",
        "01234",
        "%_r",
        "50%",
        "_",
        "nowhere",
        "KIEL",
        &license_prefix,
    ] {
        let expected = model(filter);
        let (_, total) = store.page_bases(filter, 0, 1).unwrap();
        assert_eq!(total, expected.len() as u64, "count for {filter:?}");
        for offset in [0u32, 100, 4_950] {
            let (page, _) = store.page_bases(filter, offset, 100).unwrap();
            let got: Vec<String> = page.iter().map(|r| r.license.to_string()).collect();
            let want: Vec<String> = expected
                .iter()
                .skip(offset as usize)
                .take(100)
                .cloned()
                .collect();
            assert_eq!(got, want, "page at {offset} for {filter:?}");
        }
    }
}

#[test]
fn a_customer_renamed_by_a_new_revision_is_found_by_its_new_name_only() {
    let mut store = Store::open_in_memory().unwrap();
    let mut cert = base(9, "Alte Firma GmbH");
    put(&mut store, &cert);
    cert.revision = 2;
    cert.customer = "Neue Firma AG".into();
    put(&mut store, &cert);
    assert_eq!(store.count_bases("alte firma").unwrap(), 0);
    assert_eq!(store.count_bases("neue firma").unwrap(), 1);
    assert_eq!(store.count_bases("firma").unwrap(), 1);
}

#[test]
fn licenses_added_and_renamed_in_one_transaction_are_found_after_it_and_never_deleted() {
    let mut store = Store::open_in_memory().unwrap();
    let key_id = KeyId::of_public_key(&SigningKey::from_bytes(&[1; 32]).verifying_key());
    let from = Provenance {
        file_hash: "h",
        key_id: &key_id,
        demo: false,
        text: "cert",
        at: Timestamp::from_unix(1_700_000_100),
    };
    let mut renamed = base(5, "Erster Name GmbH");
    {
        let tx = store.write().unwrap();
        tx.put_base(&base(4, "Zweite Firma KG"), &from).unwrap();
        tx.put_base(&renamed, &from).unwrap();
        renamed.revision = 2;
        renamed.customer = "Neuer Name GmbH".into();
        tx.put_base(&renamed, &from).unwrap();
        tx.commit().unwrap();
    }
    assert_eq!(store.count_bases("erster").unwrap(), 0);
    assert_eq!(store.count_bases("neuer name").unwrap(), 1);
    assert_eq!(store.count_bases("name gmbh").unwrap(), 1);
    assert_eq!(store.count_bases("firma").unwrap(), 1);
    // A rolled-back transaction leaves nothing in the index.
    {
        let tx = store.write().unwrap();
        tx.put_base(&base(6, "Verworfen AG"), &from).unwrap();
    }
    assert_eq!(store.count_bases("verworfen").unwrap(), 0);
    put(&mut store, &base(7, "Danach AG"));
    assert_eq!(store.count_bases("verworfen").unwrap(), 0);
    assert_eq!(store.count_bases("danach").unwrap(), 1);
    // The index relies on row ids that only grow: base licenses are never deleted.
    let tx = store.write().unwrap();
    let refused = tx
        .conn_for_tests()
        .execute("DELETE FROM base_licenses", [])
        .unwrap_err();
    assert!(refused.to_string().contains("never deleted"), "{refused}");
}
