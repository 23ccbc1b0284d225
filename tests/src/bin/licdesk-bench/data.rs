//! Generated data: the bench vendor, certificates, big stores and journals.

use std::path::Path;

use anyhow::Result;
use licdesk_core::{
    seal, BaseCertificate, FileKind, KeyId, LicenseNumber, LicenseProduct, SigningKey, Timestamp,
    Variant,
};
use licdesk_desk::Desk;
use licdesk_store::{Provenance, Store, StoreLocation};

pub(crate) fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[0x5e; 32])
}

pub(crate) fn trust(desk: &mut Desk, dir: &Path) -> Result<()> {
    let key = vendor();
    let public = key.verifying_key();
    let path = dir.join("bench.vpub");
    std::fs::write(
        &path,
        seal(
            FileKind::VendorPublicKey,
            &licdesk_core::VendorPublicKey {
                key_id: KeyId::of_public_key(&public),
                public_key: licdesk_core::trust::encode_public_key(&public),
                vendor: "Bench Vendor".into(),
                created_at: Timestamp::from_unix(1_790_000_000),
            },
            &key,
        ),
    )?;
    desk.trust_add(&path)?;
    Ok(())
}

pub(crate) const TOWNS: [&str; 8] = [
    "Berlin", "Hamburg", "München", "Köln", "Leipzig", "Bremen", "Dresden", "Kiel",
];

pub(crate) const KINDS: [&str; 6] = ["GmbH", "AG", "KG", "Stadtwerke", "Kanzlei", "Klinik"];

pub(crate) fn cert(i: usize) -> BaseCertificate {
    let b = (i as u64).to_le_bytes();
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [b[0], b[1], b[2], b[3], 0x5e]),
        revision: 1,
        customer: format!(
            "{} {} {i:07}",
            KINDS[i % KINDS.len()],
            TOWNS[(i / 7) % TOWNS.len()]
        ),
        variant: Variant::ALL[i % 4],
        extensions: if i.is_multiple_of(3) {
            vec![licdesk_core::Extension {
                article: "XOM.11000".into(),
                name: "Fax Gateway".into(),
                quantity: 1 + (i % 5) as u32,
            }]
        } else {
            vec![]
        },
        issued_at: Timestamp::from_unix(1_790_000_000),
    }
}

/// A usage journal of `entries` entries, signed by an installation key (its activation left
/// out: the desk parses all of it, then refuses it — the most memory one file takes).
pub(crate) fn big_journal(entries: u64) -> String {
    use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
    let key = SigningKey::from_bytes(&[0x77; 32]);
    let mut previous = GENESIS.to_string();
    let list: Vec<JournalEntry> = (0..entries)
        .map(|seq| {
            let at = Timestamp::from_unix(1_700_000_000 + seq as i64 * 60);
            let state = if seq % 2 == 0 {
                UsageState::Load
            } else {
                UsageState::Idle
            };
            let hash = chain_hash(&previous, seq, at, state);
            previous = hash.clone();
            JournalEntry {
                seq,
                at,
                state,
                hash,
            }
        })
        .collect();
    let journal = UsageJournal {
        failover: LicenseNumber::from_random(LicenseProduct::FailoverSuite, [4, 4, 4, 4, 4]),
        hardware_id: licdesk_core::HardwareId::from_digest(&[9; 16]),
        installation_key: licdesk_core::InstallationKey::of(&key.verifying_key()),
        exported_at: Timestamp::from_unix(1_700_000_000 + entries as i64 * 60),
        entries: list,
        activation: String::new(),
    };
    seal(FileKind::UsageJournal, &journal, &key)
}

/// A store of `n` base licenses, written straight through the store (the list code path is the
/// same; signing a million certificates would only measure signing).
pub(crate) fn big_store(path: &Path, n: usize) -> Result<()> {
    big_store_with(path, n, "bench")
}

/// [`big_store`] with `text` as every row's certificate.
pub(crate) fn big_store_with(path: &Path, n: usize, text: &str) -> Result<()> {
    big_store_at(&StoreLocation::Sqlite(path.to_path_buf()), n, text, n)
}

/// [`big_store_with`] at `location` (an SQLite file or a PostgreSQL database), written in
/// transactions of `window` licenses each.
pub(crate) fn big_store_at(
    location: &StoreLocation,
    n: usize,
    text: &str,
    window: usize,
) -> Result<()> {
    let mut store = Store::open_at(location)?;
    let key_id = KeyId::of_public_key(&vendor().verifying_key());
    for first in (0..n).step_by(window.max(1)) {
        let tx = store.write()?;
        for i in first..n.min(first + window.max(1)) {
            let c = cert(i);
            tx.put_base(
                &c,
                &Provenance {
                    file_hash: "bench",
                    key_id: &key_id,
                    demo: false,
                    text,
                    at: Timestamp::from_unix(1_790_000_000),
                },
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Imports `base` and a FailoverSuite of it (its number made from `seed`), both signed by `key`,
/// into `desk`; returns the FailoverSuite.
pub(crate) fn import_with_failover(
    desk: &mut Desk,
    key: &SigningKey,
    base: &licdesk_core::BaseCertificate,
    seed: [u8; 5],
) -> licdesk_core::FailoverCertificate {
    let fo = licdesk_core::FailoverCertificate {
        license: LicenseNumber::from_random(LicenseProduct::FailoverSuite, seed),
        article: licdesk_core::FAILOVER_ARTICLE.into(),
        base_license: base.license.clone(),
        issued_at: Timestamp::from_unix(1_790_000_000),
    };
    desk.import_bytes("b", seal(FileKind::BaseCertificate, base, key).as_bytes());
    desk.import_bytes(
        "f",
        seal(FileKind::FailoverCertificate, &fo, key).as_bytes(),
    );
    fo
}

/// A machine known by its machine id `name` alone.
pub(crate) fn bench_machine(name: &str) -> licdesk_core::Hardware {
    licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            name,
        )],
        None,
    )
}
