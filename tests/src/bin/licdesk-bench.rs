//! `make bench`: License Desk's speed and memory figures on generated data, each beside a floor
//! measured in the same run (the same work done the plainest possible way), as a table and as
//! JSON in target/bench/.
//!
//!     licdesk-bench [--licenses N] [--sizes 1000,10000,100000,1000000] [--files N] [--no-window]
//!                   [--check-licenses 10000,1000000] [--only import|memory|listing|single|check|window]
//!                   [--verbose]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use licdesk_core::{
    seal, BaseCertificate, Envelope, FileKind, KeyId, LicenseNumber, LicenseProduct, Role,
    SigningKey, StandbyMode, Timestamp, Variant,
};
use licdesk_desk::{Desk, IfExists, ImportStatus, MachineChoice};
use licdesk_store::{Provenance, Store};
use serde::Serialize;

#[derive(Debug, Serialize)]
struct Row {
    figure: String,
    value: f64,
    unit: &'static str,
    target: Option<f64>,
    floor: Option<f64>,
    ratio: Option<f64>,
    ratio_target: Option<f64>,
    pass: Option<bool>,
}

fn row(
    figure: &str,
    value: f64,
    unit: &'static str,
    target: Option<f64>,
    floor: Option<f64>,
    ratio_target: Option<f64>,
) -> Row {
    let ratio = floor.filter(|f| *f > 0.0).map(|f| value / f);
    let pass = match (target, ratio_target) {
        (None, None) => None,
        _ => Some(
            target.is_none_or(|t| value <= t)
                && ratio_target.is_none_or(|rt| ratio.is_some_and(|r| r <= rt)),
        ),
    };
    Row {
        figure: figure.into(),
        value,
        unit,
        target,
        floor,
        ratio,
        ratio_target,
        pass,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(mut samples: Vec<f64>, p: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(i).copied().unwrap_or(0.0)
}

fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[0x5e; 32])
}

fn trust(desk: &mut Desk, dir: &Path) -> Result<()> {
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

const TOWNS: [&str; 8] = [
    "Berlin", "Hamburg", "München", "Köln", "Leipzig", "Bremen", "Dresden", "Kiel",
];
const KINDS: [&str; 6] = ["GmbH", "AG", "KG", "Stadtwerke", "Kanzlei", "Klinik"];

fn cert(i: usize) -> BaseCertificate {
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

/// Bulk import of `n` signed certificate files, against the floor: plain verification of the same
/// signatures plus a plain insert of the same rows in one transaction.
fn bulk_import(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let key = vendor();
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let p = dir.join(format!("cert-{i}.lic"));
            std::fs::write(&p, seal(FileKind::BaseCertificate, &cert(i), &key)).map(|_| p)
        })
        .collect::<Result<_, _>>()?;
    // Floor.
    let texts: Vec<Vec<u8>> = files.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let public = key.verifying_key();
    let start = Instant::now();
    let envelopes: Vec<Envelope> = texts
        .iter()
        .map(|t| Envelope::parse(t))
        .collect::<Result<_, _>>()?;
    for e in &envelopes {
        licdesk_core::ed25519::Verifier::verify(&public, &e.message(), e.signature())?;
    }
    let conn = rusqlite::Connection::open(dir.join("floor.sqlite"))?;
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t (license TEXT PRIMARY KEY, customer TEXT, certificate TEXT)")?;
    {
        let tx = conn.unchecked_transaction()?;
        {
            let mut stmt = tx.prepare("INSERT INTO t VALUES (?1, ?2, ?3)")?;
            for (i, t) in texts.iter().enumerate() {
                let c = cert(i);
                stmt.execute(rusqlite::params![
                    c.license.as_str(),
                    c.customer,
                    std::str::from_utf8(t)?
                ])?;
            }
        }
        tx.commit()?;
    }
    let floor = start.elapsed();
    // Value: the desk's own import, from the files.
    let mut desk = Desk::open(&dir.join("import.sqlite"))?;
    trust(&mut desk, dir)?;
    let start = Instant::now();
    let outcomes = desk.import_paths(&files);
    let value = start.elapsed();
    let refused = outcomes
        .iter()
        .filter(|o| o.status == ImportStatus::Refused)
        .count();
    if refused > 0 {
        bail!("{refused} bench files were refused");
    }
    rows.push(row(
        &format!("bulk import of {n} signed certificate files"),
        ms(value),
        "ms",
        Some(1000.0),
        Some(ms(floor)),
        Some(1.5),
    ));
    Ok(())
}

/// The peak resident memory (VmHWM) of `licdesk` run with `args`, in MiB: read from /proc while
/// it runs (the high-water mark only grows, so the last reading is the peak).
fn peak_rss_mib(args: &[&std::ffi::OsStr]) -> Result<f64> {
    let licdesk = std::env::current_exe()?.with_file_name("licdesk");
    let mut child = std::process::Command::new(&licdesk)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .with_context(|| format!("start {}", licdesk.display()))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok(peak_kib as f64 / 1024.0)
}

/// A usage journal of `entries` entries, signed by an installation key (its activation left
/// out: the desk parses all of it, then refuses it — the most memory one file takes).
fn big_journal(entries: u64) -> String {
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

/// Bulk import of `n` files of (nearly) 8 MiB each: the peak memory of `licdesk import` beside
/// that of the same command importing one small file (the process itself).
fn bulk_memory(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let cap = licdesk_core::envelope::MAX_FILE_BYTES as usize;
    let mut entries = 50_000u64;
    let mut text = big_journal(entries);
    while text.len() > cap {
        entries -= 1_000;
        text = big_journal(entries);
    }
    let largest = text.len() as f64 / (1024.0 * 1024.0);
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let p = dir.join(format!("big-{i}.journal"));
            std::fs::write(&p, &text).map(|_| p)
        })
        .collect::<Result<_, _>>()?;
    let small = dir.join("small.lic");
    std::fs::write(&small, seal(FileKind::BaseCertificate, &cert(0), &vendor()))?;
    let store = dir.join("memory.sqlite");
    let mut base: Vec<&std::ffi::OsStr> =
        vec!["--store".as_ref(), store.as_os_str(), "import".as_ref()];
    let floor = {
        let mut args = base.clone();
        args.push(small.as_os_str());
        peak_rss_mib(&args)?
    };
    base.extend(files.iter().map(|f| f.as_os_str()));
    let value = peak_rss_mib(&base)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    rows.push(row(
        &format!("bulk import of {n} files of {largest:.1} MiB, peak RSS"),
        value,
        "MiB",
        // The process, the largest file, and 64 MiB per worker.
        Some(floor + largest + 64.0 * workers),
        Some(floor),
        None,
    ));
    for f in files {
        std::fs::remove_file(f)?;
    }
    Ok(())
}

/// A store of `n` base licenses, written straight through the store (the list code path is the
/// same; signing a million certificates would only measure signing).
fn big_store(path: &Path, n: usize) -> Result<()> {
    big_store_with(path, n, "bench")
}

/// [`big_store`] with `text` as every row's certificate.
fn big_store_with(path: &Path, n: usize, text: &str) -> Result<()> {
    let mut store = Store::open(path)?;
    let key_id = KeyId::of_public_key(&vendor().verifying_key());
    let tx = store.write()?;
    for i in 0..n {
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
    Ok(())
}

/// The listing's store: [`big_store`], and every hundredth license's main system registered and
/// its activation request exported (waiting for the vendor): what the list flags and counts.
fn listing_store(path: &Path, n: usize) -> Result<()> {
    big_store(path, n)?;
    let mut store = Store::open(path)?;
    let tx = store.write()?;
    for i in (0..n).step_by(100) {
        let c = cert(i);
        let hw = licdesk_core::Hardware::from_code(licdesk_core::HardwareId::from_digest(
            format!("bench main system {i}").as_bytes(),
        ));
        tx.put_pending_system(
            licdesk_core::Role::Main,
            &c.license,
            &c.license,
            &hw,
            None,
            None,
            Timestamp::from_unix(1_790_000_100),
        )?;
        tx.put_request(
            &licdesk_store::StoredRequest {
                nonce: format!("{i:064x}"),
                license: c.license.clone(),
                role: licdesk_core::Role::Main,
                hardware_id: hw.id.clone(),
                created_at: Timestamp::from_unix(1_790_000_200),
                answered_at: None,
            },
            "bench",
        )?;
    }
    // The listing's columns of those licenses are made as it commits.
    tx.commit()?;
    Ok(())
}

/// Pages of the whole list in each of its orders, both ways — the first page, one in the
/// middle and the last (read from the nearer end) — and the licenses needing attention with
/// their count, through `Desk::list_page`, the call behind the window's list.
fn sorted_pages(desk: &Desk, conn: &rusqlite::Connection, n: usize) -> Result<[Vec<f64>; 3]> {
    let last = (n.saturating_sub(1) / 100 * 100) as u32;
    let mut sorted = Vec::new();
    let mut attention = Vec::new();
    let mut floor = Vec::new();
    for round in 0..6 {
        for order in licdesk_store::ListOrder::ALL {
            for descending in [false, true] {
                for offset in [0, (n / 2 / 100 * 100) as u32, last] {
                    let start = Instant::now();
                    let page = desk.list_page(&licdesk_desk::ListRequest {
                        filter: "",
                        needs_attention: false,
                        order,
                        descending,
                        offset,
                        limit: 100,
                    })?;
                    sorted.push(ms(start.elapsed()));
                    std::hint::black_box(page);
                }
            }
        }
        for offset in [0u32, 100, 200] {
            let start = Instant::now();
            let page = desk.list_page(&licdesk_desk::ListRequest {
                filter: if round % 2 == 0 { "" } else { "gmbh" },
                needs_attention: true,
                order: licdesk_store::ListOrder::Customer,
                descending: false,
                offset,
                limit: 100,
            })?;
            attention.push(ms(start.elapsed()));
            std::hint::black_box(page);
        }
        let start = Instant::now();
        let mut stmt = conn.prepare_cached(
            "SELECT license, customer FROM base_licenses ORDER BY rowid LIMIT 100",
        )?;
        let count = stmt.query_map([], |r| r.get::<_, String>(0))?.count();
        floor.push(ms(start.elapsed()));
        std::hint::black_box(count);
    }
    Ok([sorted, attention, floor])
}

/// The upgrade to schema 10 of a store of schema 9 with `n` licenses: the listing's columns and
/// indexes made for every row, when a License Desk of schema 10 first opens it.
fn upgrade_to_listing(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let path = dir.join(format!("schema9-{n}.sqlite"));
    licdesk_store::create_at_version(&path, 9)?;
    {
        let mut conn = rusqlite::Connection::open(&path)?;
        let tx = conn.transaction()?;
        for i in 0..n {
            let c = cert(i);
            tx.execute(
                "INSERT INTO base_licenses (license, revision, customer, customer_fold, variant,
                     extensions, issued_at, key_id, demo, entitlement_digest, certificate,
                     file_hash, imported_at)
                 VALUES (?1, 1, ?2, lower(?2), ?3, '[]', '2026-01-01T00:00:00Z', 'vk-0', 0,
                     'd', 'bench', 'h', '2026-01-01T00:00:00Z')",
                rusqlite::params![c.license.as_str(), c.customer, c.variant.code()],
            )?;
        }
        tx.commit()?;
    }
    let start = Instant::now();
    drop(Store::open(&path)?);
    rows.push(row(
        &format!("upgrade to schema 10 (the list's columns), {n} licenses"),
        ms(start.elapsed()),
        "ms",
        None,
        None,
        None,
    ));
    Ok(())
}

fn listing(dir: &Path, sizes: &[usize], rows: &mut Vec<Row>) -> Result<()> {
    for &n in sizes {
        let path = dir.join(format!("list-{n}.sqlite"));
        listing_store(&path, n)?;
        let desk = Desk::open(&path)?;
        let conn = rusqlite::Connection::open(&path)?;
        let is_target = n == 100_000;
        // A filtered page of 100 rows (what the window asks while someone types).
        let filters = [
            "Kiel",
            "Stadtwerke Br",
            "München 00",
            "Klinik Dresden",
            "OMS-",
            "gmbh leip",
        ];
        let mut page = Vec::new();
        let mut page_floor = Vec::new();
        let mut per_filter: Vec<Vec<f64>> = vec![Vec::new(); filters.len()];
        for round in 0..40 {
            for (k, f) in filters.iter().copied().enumerate() {
                let start = Instant::now();
                let p = desk.list(f, (round % 3) * 100, 100)?;
                page.push(ms(start.elapsed()));
                per_filter[k].push(ms(start.elapsed()));
                std::hint::black_box(p);
                let start = Instant::now();
                let mut stmt = conn.prepare_cached("SELECT license, customer FROM base_licenses WHERE customer_fold LIKE ?1 LIMIT 100")?;
                let count = stmt
                    .query_map([format!("%{}%", f.to_lowercase())], |r| {
                        r.get::<_, String>(0)
                    })?
                    .count();
                page_floor.push(ms(start.elapsed()));
                std::hint::black_box(count);
            }
        }
        if verbose() {
            for (f, samples) in filters.iter().zip(per_filter) {
                eprintln!(
                    "bench:   {n} licenses, filter {f:?}: p95 {:.2} ms",
                    percentile(samples, 0.95)
                );
            }
        }
        rows.push(row(
            &format!("filtered page of 100 rows, p95, {n} licenses"),
            percentile(page, 0.95),
            "ms",
            is_target.then_some(10.0),
            Some(percentile(page_floor, 0.95)),
            None,
        ));
        // Free-text customer search: a rare substring anywhere in the name.
        let mut search = Vec::new();
        for i in 0..30 {
            let needle = format!("{:07}", (i * 7919) % n.max(1));
            let start = Instant::now();
            std::hint::black_box(desk.list(&needle, 0, 100)?);
            search.push(ms(start.elapsed()));
        }
        rows.push(row(
            &format!("free-text customer search, p95, {n} licenses"),
            percentile(search, 0.95),
            "ms",
            is_target.then_some(25.0),
            None,
            None,
        ));
        let [sorted, attention, floor] = sorted_pages(&desk, &conn, n)?;
        let floor = percentile(floor, 0.95);
        rows.push(row(
            &format!("sorted page of 100 rows (every order, both ways, first to last page), p95, {n} licenses"),
            percentile(sorted, 0.95),
            "ms",
            is_target.then_some(10.0),
            Some(floor),
            None,
        ));
        rows.push(row(
            &format!("page of the licenses needing attention (1 in 100) and their count, p95, {n} licenses"),
            percentile(attention, 0.95),
            "ms",
            is_target.then_some(10.0),
            Some(floor),
            None,
        ));
        if is_target {
            upgrade_to_listing(dir, n, rows)?;
        }
    }
    Ok(())
}

/// `--verbose`: the figures behind each row on stderr.
fn verbose() -> bool {
    std::env::args().any(|a| a == "--verbose")
}

fn single_operations(dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    // Hardware ID.
    let mut hw = Vec::new();
    let mut hw_floor = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        std::hint::black_box(licdesk_desk::this_machine()?);
        hw.push(ms(start.elapsed()));
        let start = Instant::now();
        std::hint::black_box(std::fs::read_to_string("/etc/machine-id").ok());
        hw_floor.push(ms(start.elapsed()));
    }
    rows.push(row(
        "hardware ID of this machine, p50",
        percentile(hw, 0.5),
        "ms",
        Some(5.0),
        Some(percentile(hw_floor, 0.5)),
        None,
    ));

    // One request and one response.
    let mut desk = Desk::open(&dir.join("single.sqlite"))?;
    trust(&mut desk, dir)?;
    let key = vendor();
    let mut export = Vec::new();
    let mut import = Vec::new();
    let mut sign_floor = Vec::new();
    let mut verify_floor = Vec::new();
    for i in 0..30usize {
        let base = cert(1_000_000 + i);
        let fo = import_with_failover(&mut desk, &key, &base, [i as u8, 1, 2, 3, 4]);
        let id = bench_machine(&format!("bench {i}")).id;
        // The standby's hardware-ID file, signed by its installation's key.
        let installation = SigningKey::from_bytes(&[0x1d; 32]);
        let hwid_file = seal(
            FileKind::HardwareId,
            &licdesk_core::model::HardwareIdFile {
                hardware: licdesk_core::Hardware::from_code(id.clone()),
                created_at: Timestamp::from_unix(1_790_000_050),
            },
            &installation,
        );
        desk.register_standby(
            &fo.license,
            &MachineChoice::FileContent(hwid_file.into_bytes()),
            StandbyMode::Cold,
        )?;
        let out = dir.join(format!("req-{i}.actreq"));
        let start = Instant::now();
        let written =
            desk.write_request(&fo.license, Role::Standby, None, &out, IfExists::Refuse)?;
        export.push(ms(start.elapsed()));
        let response = licdesk_core::ActivationResponse {
            request_nonce: written.nonce,
            license: fo.license.clone(),
            role: Role::Standby,
            hardware: licdesk_core::Hardware::from_code(id),
            mirrors: base.license.clone(),
            base_revision: 1,
            mode: Some(StandbyMode::Cold),
            entitlements: licdesk_core::standby_entitlements(&base, &fo.license),
            entitlement_digest: base.entitlement_digest(),
            notice: Some(licdesk_core::STANDBY_NOTICE.into()),
            limits: Some(licdesk_core::LoadLimits::default()),
            installation_key: Some(licdesk_core::InstallationKey::of(
                &installation.verifying_key(),
            )),
            activated_at: Timestamp::from_unix(1_790_000_100),
            serial: None,
        };
        let text = seal(FileKind::ActivationResponse, &response, &key);
        let start = Instant::now();
        let o = desk.import_bytes("resp", text.as_bytes());
        import.push(ms(start.elapsed()));
        if o.status != ImportStatus::Activated {
            bail!("bench response refused: {}", o.message);
        }
        let start = Instant::now();
        let sig = licdesk_core::ed25519::Signer::sign(&key, text.as_bytes());
        std::fs::write(dir.join("floor.out"), text.as_bytes())?;
        sign_floor.push(ms(start.elapsed()));
        let start = Instant::now();
        key.verifying_key().verify_strict(text.as_bytes(), &sig)?;
        verify_floor.push(ms(start.elapsed()));
    }
    rows.push(row(
        "export one activation request, p50",
        percentile(export, 0.5),
        "ms",
        Some(5.0),
        Some(percentile(sign_floor, 0.5)),
        None,
    ));
    rows.push(row(
        "import one activation response, p50",
        percentile(import, 0.5),
        "ms",
        Some(5.0),
        Some(percentile(verify_floor, 0.5)),
        None,
    ));
    Ok(())
}

/// `licdesk check` on a store of `n` licenses and three active standbys, each with a trusted
/// usage journal: opening the store read-only and checking, as the command does, against the
/// floor of opening the store read-only and reading one license. Every base license carries a
/// real signed certificate (the same one: signing a million would only measure signing), so a
/// check that verified every certificate would pay for it here.
fn check_cost(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let path = dir.join(format!("check-{n}.sqlite"));
    let key = vendor();
    big_store_with(
        &path,
        n,
        &seal(FileKind::BaseCertificate, &cert(n + 100), &key),
    )?;
    let mut desk = Desk::open(&path)?;
    trust(&mut desk, dir)?;
    for i in 0..3usize {
        let base = cert(n + i);
        let fo = import_with_failover(&mut desk, &key, &base, [i as u8, 7, 7, 7, 7]);
        let hardware = bench_machine(&format!("check bench {i}"));
        let installation = SigningKey::from_bytes(&[0x2a + i as u8; 32]);
        let hwid_file = seal(
            FileKind::HardwareId,
            &licdesk_core::model::HardwareIdFile {
                hardware: licdesk_core::Hardware::from_code(hardware.id.clone()),
                created_at: Timestamp::from_unix(1_790_000_050),
            },
            &installation,
        );
        desk.register_standby(
            &fo.license,
            &MachineChoice::FileContent(hwid_file.into_bytes()),
            StandbyMode::Cold,
        )?;
        let out = dir.join(format!("check-req-{n}-{i}.actreq"));
        let written =
            desk.write_request(&fo.license, Role::Standby, None, &out, IfExists::Refuse)?;
        let activated_at = Timestamp::from_unix(1_790_000_100);
        let response = licdesk_core::ActivationResponse {
            request_nonce: written.nonce,
            license: fo.license.clone(),
            role: Role::Standby,
            hardware: licdesk_core::Hardware::from_code(hardware.id.clone()),
            mirrors: base.license.clone(),
            base_revision: 1,
            mode: Some(StandbyMode::Cold),
            entitlements: licdesk_core::standby_entitlements(&base, &fo.license),
            entitlement_digest: base.entitlement_digest(),
            notice: Some(licdesk_core::STANDBY_NOTICE.into()),
            limits: Some(licdesk_core::LoadLimits::default()),
            installation_key: Some(licdesk_core::InstallationKey::of(
                &installation.verifying_key(),
            )),
            activated_at,
            serial: None,
        };
        let activation = seal(FileKind::ActivationResponse, &response, &key);
        let o = desk.import_bytes("resp", activation.as_bytes());
        if o.status != ImportStatus::Activated {
            bail!("check bench response refused: {}", o.message);
        }
        // A day of journal: under load for an hour, then idle.
        use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
        let mut entries = Vec::new();
        let mut previous = GENESIS.to_string();
        for (seq, (hours, state)) in [(1, UsageState::Load), (2, UsageState::Idle)]
            .into_iter()
            .enumerate()
        {
            let at = activated_at.plus_seconds(hours * 3600);
            let hash = chain_hash(&previous, seq as u64, at, state);
            previous = hash.clone();
            entries.push(JournalEntry {
                seq: seq as u64,
                at,
                state,
                hash,
            });
        }
        let journal = UsageJournal {
            failover: fo.license.clone(),
            hardware_id: hardware.id.clone(),
            installation_key: licdesk_core::InstallationKey::of(&installation.verifying_key()),
            exported_at: activated_at.plus_seconds(24 * 3600),
            entries,
            activation,
        };
        let o = desk.import_bytes(
            "journal",
            seal(FileKind::UsageJournal, &journal, &installation).as_bytes(),
        );
        if o.status != ImportStatus::Evaluated {
            bail!("check bench journal refused: {}", o.message);
        }
    }
    drop(desk);
    let one = cert(n / 2).license;
    let mut check = Vec::new();
    let mut floor = Vec::new();
    let began = Instant::now();
    // 15 rounds, or as many as 30 s allow (at least 3).
    while check.len() < 15 && (check.len() < 3 || began.elapsed() < Duration::from_secs(30)) {
        let start = Instant::now();
        let report = Desk::open_read_only(&path)?.check()?;
        check.push(ms(start.elapsed()));
        if report.counts.standbys != 3 || report.counts.journals != 3 {
            bail!("check bench: the check saw {:?}", report.counts);
        }
        let start = Instant::now();
        let store = Store::open_read_only(&path)?;
        std::hint::black_box(licdesk_store::Queries::base(&store, &one)?);
        floor.push(ms(start.elapsed()));
    }
    rows.push(row(
        &format!("check (open read-only and check), p50, {n} licenses, 3 standbys"),
        percentile(check, 0.5),
        "ms",
        Some(50.0),
        Some(percentile(floor, 0.5)),
        None,
    ));
    std::fs::remove_file(&path)?;
    Ok(())
}

/// PSS of a process and every process below it, in MiB.
fn pss_tree(root: u32) -> f64 {
    let kb: u64 = licdesk_tests::app::process_tree(root)
        .into_iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
        .filter_map(|text| {
            text.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .sum();
    kb as f64 / 1024.0
}

/// When process `pid` started, in milliseconds since the Unix epoch (to the kernel's clock tick,
/// 10 ms here): its start in ticks after boot, against the uptime and the wall clock read now.
fn process_start_epoch_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Field 22 (starttime); the fields after the parenthesised command name start at field 3.
    let start_ticks: f64 = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(19))
        .context("no start time in /proc/PID/stat")?
        .parse()?;
    let ticks_per_second: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(100.0);
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .context("empty /proc/uptime")?
        .parse()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    Ok(ms(now) - (uptime - start_ticks / ticks_per_second) * 1000.0)
}

/// Start of the real app (release build, under Xvfb, through tauri-driver as in the end-to-end
/// tests) to its first rows painted, and its memory once settled.
fn window(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let app_binary = licdesk_tests::target_debug().join("../release/licdesk-app");
    if !app_binary.exists() {
        bail!("{} is missing: make bench builds it", app_binary.display());
    }
    let measure = |name: &str, licenses: usize| -> Result<(f64, f64)> {
        let home_dir = dir.join(format!("window-{name}"));
        std::fs::create_dir_all(&home_dir)?;
        let home = licdesk_tests::app::AppHome::in_dir(&home_dir);
        if licenses > 0 {
            big_store(&home.store, licenses)?;
        } else {
            drop(Store::open(&home.store)?);
        }
        let mut starts = Vec::new();
        let mut memory = Vec::new();
        for _ in 0..5 {
            let app = licdesk_tests::app::App::launch_binary(&home, &app_binary);
            let pid = app
                .app_pid()
                .context("no licdesk-app process below tauri-driver")?;
            let started = process_start_epoch_ms(pid)?;
            // The UI leaves a performance mark in the frame after its first rows painted.
            let painted = app
                .s()
                .wait_for("the first rows to paint", Duration::from_secs(30), |s| {
                    let v = s.execute(
                        "const m = performance.getEntriesByName('licdesk:first-rows')[0];\
                         return m ? performance.timeOrigin + m.startTime : null;",
                        vec![],
                    )?;
                    Ok(v.as_f64())
                })
                .map_err(anyhow::Error::msg)?;
            starts.push(painted - started);
            std::thread::sleep(Duration::from_millis(1500));
            memory.push(pss_tree(pid));
        }
        Ok((percentile(starts, 0.5), percentile(memory, 0.5)))
    };
    let (empty_start, empty_pss) = measure("empty", 0)?;
    let (full_start, full_pss) = measure("full", n)?;
    rows.push(row(
        &format!("window start to first rows painted, {n} licenses, median of 5"),
        full_start,
        "ms",
        Some(500.0),
        Some(empty_start),
        Some(1.2),
    ));
    rows.push(row(
        &format!("window memory (PSS, app + WebKit), {n} licenses, median of 5"),
        full_pss,
        "MiB",
        None,
        Some(empty_pss),
        Some(1.15),
    ));
    Ok(())
}

fn binary_sizes(rows: &mut Vec<Row>) {
    for name in ["licdesk-app", "licdesk", "licdesk-issuer"] {
        let path = licdesk_tests::target_debug().join("../release").join(name);
        if let Ok(meta) = std::fs::metadata(&path) {
            rows.push(row(
                &format!("release binary {name}, stripped"),
                meta.len() as f64 / (1024.0 * 1024.0),
                "MiB",
                None,
                None,
                None,
            ));
        }
    }
}

fn fmt(v: Option<f64>) -> String {
    v.map(|v| {
        if v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
        }
    })
    .unwrap_or_else(|| "—".into())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let licenses: usize = arg("--licenses")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(100_000);
    let files: usize = arg("--files")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(10_000);
    let sizes: Vec<usize> = arg("--sizes")
        .map(|s| {
            s.split(',')
                .map(|v| v.trim().parse())
                .collect::<Result<_, _>>()
        })
        .transpose()?
        .unwrap_or_else(|| vec![1_000, 10_000, licenses, 1_000_000]);
    let dir = tempfile::tempdir()?;
    let mut rows = Vec::new();
    // `--only NAME` runs one part: import, memory, listing, single, check, window.
    let only = arg("--only");
    let part = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if part("import") {
        eprintln!("bench: bulk import of {files} files …");
        bulk_import(dir.path(), files, &mut rows)?;
    }
    if part("memory") {
        eprintln!("bench: memory of a bulk import of 60 files of 8 MiB …");
        bulk_memory(dir.path(), 60, &mut rows)?;
    }
    if part("listing") {
        eprintln!("bench: listing and search at {sizes:?} licenses …");
        listing(dir.path(), &sizes, &mut rows)?;
    }
    if part("single") {
        eprintln!("bench: hardware ID, request, response …");
        single_operations(dir.path(), &mut rows)?;
    }
    if part("check") {
        // Two sizes by default: the check's cost must not grow with the licenses.
        let check_sizes: Vec<usize> = arg("--check-licenses")
            .map(|s| {
                s.split(',')
                    .map(|v| v.trim().parse())
                    .collect::<Result<_, _>>()
            })
            .transpose()?
            .unwrap_or_else(|| vec![10_000, 1_000_000]);
        for n in check_sizes {
            eprintln!("bench: check on a store of {n} licenses …");
            check_cost(dir.path(), n, &mut rows)?;
        }
    }
    if part("window") && !args.iter().any(|a| a == "--no-window") {
        eprintln!("bench: the window, empty and with {licenses} licenses …");
        window(dir.path(), licenses, &mut rows)?;
    }
    binary_sizes(&mut rows);

    println!(
        "{:<62} {:>10} {:>5} {:>9} {:>9} {:>7} {:>7} {:>5}",
        "figure", "value", "unit", "target", "floor", "ratio", "max", "pass"
    );
    for r in &rows {
        println!(
            "{:<62} {:>10} {:>5} {:>9} {:>9} {:>7} {:>7} {:>5}",
            r.figure,
            fmt(Some(r.value)),
            r.unit,
            fmt(r.target),
            fmt(r.floor),
            fmt(r.ratio),
            fmt(r.ratio_target),
            match r.pass {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "—",
            }
        );
    }
    let out = licdesk_tests::target_debug().join("../bench");
    std::fs::create_dir_all(&out)?;
    let json = out.join("bench.json");
    std::fs::write(
        &json,
        serde_json::to_string_pretty(
            &serde_json::json!({ "licenses": licenses, "files": files, "sizes": sizes, "rows": rows }),
        )?,
    )?;
    println!("\nJSON: {}", json.canonicalize()?.display());
    Ok(())
}

/// Imports `base` and a FailoverSuite of it (its number made from `seed`), both signed by `key`,
/// into `desk`; returns the FailoverSuite.
fn import_with_failover(
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
fn bench_machine(name: &str) -> licdesk_core::Hardware {
    licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            name,
        )],
        None,
    )
}
