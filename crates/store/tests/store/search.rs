//! Listing and search: filters by customer and number with wildcards escaped, every search path
//! in every order finds what a plain model finds, renamed customers by their new name.

use licdesk_core::sort_key::natural_key;
use licdesk_core::{
    BaseCertificate, KeyId, LicenseNumber, LicenseProduct, SigningKey, Timestamp, Variant,
};
use licdesk_store::{ListOrder, ListQuery, Provenance, Queries, Store};

use licdesk_pgtest::{on_both_engines, Engine};

use crate::support::*;

on_both_engines!(
    every_search_path_in_every_order_finds_exactly_what_a_plain_model_finds,
    listing_filters_by_customer_and_by_number_and_escapes_wildcards,
    users_sort_by_the_variants_size_and_names_naturally_whatever_their_case_and_accents,
    a_customer_renamed_by_a_new_revision_is_found_by_its_new_name_only,
    licenses_added_and_renamed_in_one_transaction_are_found_after_it_and_never_deleted,
    the_names_kept_for_the_filter_follow_changes_made_through_another_connection,
    the_order_of_change_kept_for_the_filter_follows_a_change_made_after_it_was_read,
);

fn listing_filters_by_customer_and_by_number_and_escapes_wildcards(engine: Engine) {
    let place = engine.store("listing_filters_by_customer_and_by_number_and_escapes_wildcards");
    let mut store = open(&place);
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

/// Puts many base licenses in one transaction, the `i`th imported at `at(i)`.
fn put_many(store: &mut Store, certs: &[BaseCertificate], at: impl Fn(usize) -> i64) {
    let key_id = KeyId::of_public_key(&SigningKey::from_bytes(&[1; 32]).verifying_key());
    let tx = store.write().unwrap();
    for (i, cert) in certs.iter().enumerate() {
        tx.put_base(
            cert,
            &Provenance {
                file_hash: "h",
                key_id: &key_id,
                demo: false,
                text: "cert",
                at: Timestamp::from_unix(at(i)),
            },
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// What the list shows of a license, as a plain model sorts it: the columns of each order.
struct Modelled {
    license: String,
    customer: String,
    rank: usize,
    changed: i64,
    /// The order it was put in (the row id's).
    put: usize,
}

/// `rows` in `order`, as the list promises it: natural by customer, then license number (the
/// last change: then the order put in); descending reverses the whole order.
fn model_order(rows: &mut [&Modelled], order: ListOrder, descending: bool) {
    rows.sort_by(|a, b| {
        let key = |m: &Modelled| natural_key(&m.customer);
        let by = match order {
            ListOrder::Customer => key(a).cmp(&key(b)),
            ListOrder::License => std::cmp::Ordering::Equal,
            ListOrder::Users => a.rank.cmp(&b.rank).then(key(a).cmp(&key(b))),
            // Every main system here is missing: one state, then by customer.
            ListOrder::Status => key(a).cmp(&key(b)),
            ListOrder::Changed => return a.changed.cmp(&b.changed).then(a.put.cmp(&b.put)),
        };
        by.then(a.license.cmp(&b.license))
    });
    if descending {
        rows.reverse();
    }
}

fn every_search_path_in_every_order_finds_exactly_what_a_plain_model_finds(engine: Engine) {
    // Enough rows that the unfiltered list is read through its index near either end and from
    // memory deeper in (past 5,000 rows from both ends); every filter from the names in memory,
    // common ones and rare ones, wildcards and quotes taken literally; each page — the first
    // ones, one deep in, and the last — is compared with a plain model in every order.
    const KINDS: [&str; 4] = ["GmbH", "Stadtwerke", "Klinik \"Süd\"", "50%_Rabatt"];
    const TOWNS: [&str; 3] = ["Kiel", "München", "Köln"];
    let certs: Vec<BaseCertificate> = (0..12_000u32)
        .map(|i| {
            let b = i.to_le_bytes();
            let mut c = base(
                0,
                &format!(
                    "{} {} {}{}",
                    KINDS[i as usize % 4],
                    TOWNS[(i as usize / 5) % 3],
                    // Numbers of any length: natural order is by value.
                    i % 997,
                    if i % 10 < 6 { " Nord" } else { "" }
                ),
            );
            c.license = LicenseNumber::from_random(LicenseProduct::Suite, [b[0], b[1], 7, 7, 7]);
            c.variant = Variant::ALL[(i as usize / 3) % 4];
            c
        })
        .collect();
    let changed = |i: usize| 1_700_000_000 + ((i * 7_919) % 5_000) as i64;
    let place = engine.store("every_search_path");
    let mut store = open(&place);
    put_many(&mut store, &certs, changed);
    let modelled: Vec<Modelled> = certs
        .iter()
        .enumerate()
        .map(|(i, c)| Modelled {
            license: c.license.to_string(),
            customer: c.customer.clone(),
            rank: Variant::ALL.iter().position(|v| *v == c.variant).unwrap(),
            changed: changed(i),
            put: i,
        })
        .collect();
    let matching = |filter: &str| -> Vec<&Modelled> {
        let needle = filter.trim().to_lowercase();
        let prefix = filter.trim().to_uppercase();
        modelled
            .iter()
            .filter(|m| {
                m.customer.to_lowercase().contains(&needle) || m.license.starts_with(&prefix)
            })
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
        "stadtwerke köln 1",
        "klinik \"süd\" mü",
        "123",
        "0123",
        "%_r",
        "50%",
        "_",
        "nowhere",
        "KIEL",
        &license_prefix,
    ] {
        let found = matching(filter);
        for order in ListOrder::ALL {
            for descending in [false, true] {
                let mut expected = found.clone();
                model_order(&mut expected, order, descending);
                let total = expected.len() as u32;
                let last = total.saturating_sub(37);
                for offset in [0u32, 100, 4_950, 6_000, last] {
                    let query = ListQuery {
                        filter,
                        order,
                        descending,
                        needing_attention: None,
                        offset,
                        limit: 100,
                    };
                    let (page, counted) = store.page_bases(&query).unwrap();
                    assert_eq!(counted, u64::from(total), "count for {filter:?}");
                    let got: Vec<&str> = page.iter().map(|r| r.license.as_str()).collect();
                    let want: Vec<&str> = expected
                        .iter()
                        .skip(offset as usize)
                        .take(100)
                        .map(|m| m.license.as_str())
                        .collect();
                    assert_eq!(
                        got, want,
                        "page at {offset} for {filter:?} by {order:?}, descending {descending}"
                    );
                }
            }
        }
    }
}

fn users_sort_by_the_variants_size_and_names_naturally_whatever_their_case_and_accents(
    engine: Engine,
) {
    let place = engine.store(
        "users_sort_by_the_variants_size_and_names_naturally_whatever_their_case_and_accents",
    );
    let mut store = open(&place);
    let names = [
        ("Kunde 10", Variant::Users10),
        ("Kunde 2", Variant::Unlimited),
        ("arzte Nord", Variant::Users250),
        ("Ärzte Mitte", Variant::Users25),
        ("Kunde 1", Variant::Users25),
    ];
    let certs: Vec<BaseCertificate> = names
        .iter()
        .enumerate()
        .map(|(i, (name, variant))| {
            let mut c = base(40 + i as u8, name);
            c.variant = *variant;
            c
        })
        .collect();
    put_many(&mut store, &certs, |i| 1_700_000_000 + i as i64);
    let customers = |order: ListOrder, descending: bool| -> Vec<String> {
        let query = ListQuery {
            filter: "",
            order,
            descending,
            needing_attention: None,
            offset: 0,
            limit: 10,
        };
        store
            .page_bases(&query)
            .unwrap()
            .0
            .into_iter()
            .map(|r| r.customer)
            .collect()
    };
    assert_eq!(
        customers(ListOrder::Customer, false),
        [
            "Ärzte Mitte",
            "arzte Nord",
            "Kunde 1",
            "Kunde 2",
            "Kunde 10"
        ]
    );
    // 10 users, then 25, 250, unlimited: by rank, never as text ("10" < "250" < "25").
    assert_eq!(
        customers(ListOrder::Users, false),
        [
            "Kunde 10",
            "Ärzte Mitte",
            "Kunde 1",
            "arzte Nord",
            "Kunde 2"
        ]
    );
    assert_eq!(
        customers(ListOrder::Users, true),
        [
            "Kunde 2",
            "arzte Nord",
            "Kunde 1",
            "Ärzte Mitte",
            "Kunde 10"
        ]
    );
    // The latest change first, descending.
    assert_eq!(
        customers(ListOrder::Changed, true),
        [
            "Kunde 1",
            "Ärzte Mitte",
            "arzte Nord",
            "Kunde 2",
            "Kunde 10"
        ]
    );
}

fn a_customer_renamed_by_a_new_revision_is_found_by_its_new_name_only(engine: Engine) {
    let place = engine.store("a_customer_renamed_by_a_new_revision_is_found_by_its_new_name_only");
    let mut store = open(&place);
    let mut cert = base(9, "Alte Firma GmbH");
    put(&mut store, &cert);
    cert.revision = 2;
    cert.customer = "Neue Firma AG".into();
    put(&mut store, &cert);
    assert_eq!(store.count_bases("alte firma").unwrap(), 0);
    assert_eq!(store.count_bases("neue firma").unwrap(), 1);
    assert_eq!(store.count_bases("firma").unwrap(), 1);
}

fn licenses_added_and_renamed_in_one_transaction_are_found_after_it_and_never_deleted(
    engine: Engine,
) {
    let place = engine.store(
        "licenses_added_and_renamed_in_one_transaction_are_found_after_it_and_never_deleted",
    );
    let mut store = open(&place);
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
        .execute_batch_for_tests("DELETE FROM base_licenses")
        .unwrap_err();
    assert!(refused.to_string().contains("never deleted"), "{refused}");
}

fn the_names_kept_for_the_filter_follow_changes_made_through_another_connection(engine: Engine) {
    let place = engine
        .store("the_names_kept_for_the_filter_follow_changes_made_through_another_connection");
    let mut reader = open(&place);
    put(&mut reader, &base(1, "Hafen Kiel GmbH"));
    // The first filtered page reads the names into memory.
    assert_eq!(reader.count_bases("kiel").unwrap(), 1);
    let mut writer = open(&place);
    let mut renamed = base(1, "Hafen Lübeck GmbH");
    renamed.revision = 2;
    put(&mut writer, &renamed);
    put(&mut writer, &base(2, "Stadtwerke Kiel"));
    put(&mut writer, &base(3, "Kieler Werft AG"));
    // The reader sees the other connection's names at its next page, in the customer order.
    let (page, total) = reader
        .page_bases(&ListQuery::by_customer("kiel", 0, 10))
        .unwrap();
    let names: Vec<&str> = page.iter().map(|b| b.customer.as_str()).collect();
    assert_eq!(
        (names, total),
        (vec!["Kieler Werft AG", "Stadtwerke Kiel"], 2)
    );
    assert_eq!(reader.count_bases("lübeck").unwrap(), 1);
}

fn the_order_of_change_kept_for_the_filter_follows_a_change_made_after_it_was_read(engine: Engine) {
    let place = engine
        .store("the_order_of_change_kept_for_the_filter_follows_a_change_made_after_it_was_read");
    let mut store = open(&place);
    let (a, b) = (base(1, "Kiel Nord"), base(2, "Kiel Süd"));
    put(&mut store, &a);
    put(&mut store, &b);
    let newest_first = |store: &Store| -> Vec<String> {
        let query = ListQuery {
            order: ListOrder::Changed,
            descending: true,
            ..ListQuery::by_customer("kiel", 0, 10)
        };
        let (page, _) = store.page_bases(&query).unwrap();
        page.iter().map(|b| b.customer.clone()).collect()
    };
    assert_eq!(newest_first(&store), ["Kiel Süd", "Kiel Nord"]);
    // Another connection changes the first license later: it comes first now.
    let writer = open(&place);
    let mut writer = writer;
    let tx = writer.write().unwrap();
    tx.audit(
        Timestamp::from_unix(1_900_000_000),
        "note",
        a.license.as_str(),
        "",
        None,
    )
    .unwrap();
    tx.commit().unwrap();
    assert_eq!(newest_first(&store), ["Kiel Nord", "Kiel Süd"]);
}
