//! Activations per second with several issuers on one ledger (issue 15): N `licdesk-issuer`
//! processes at once, each activating its own share of distinct main systems and standbys, one
//! process per activation as a vendor's desk runs it, on one PostgreSQL ledger; the peer is the
//! same on one SQLite ledger file shared by the processes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Barrier;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use licdesk_core::{
    seal, ActivationRequest, Component, ComponentKind, FileKind, Hardware, LicenseNumber, Role,
    SigningKey, StandbyMode, Timestamp, Variant,
};
use licdesk_issuer::{issue_base, issue_failover, keygen, IfExists};
use licdesk_pgtest::Cluster;
use licdesk_store::ledger::Ledger;

use crate::report::*;

/// Activations per configuration: every request once (divisible by each number of issuers).
const ACTIVATIONS: usize = 240;
/// The numbers of issuers running at once.
const ISSUERS: [usize; 3] = [1, 4, 8];
/// Rounds of every configuration, each on new ledgers; a row is the median round.
const ROUNDS: usize = 3;

/// One activation's files: its request, and where the response goes.
struct Planned {
    request: PathBuf,
    name: String,
}

pub(crate) fn activations(dir: &Path, cluster: &Cluster, rows: &mut Vec<Row>) -> Result<()> {
    let issuer = licdesk_tests::target_release().join("licdesk-issuer");
    if !issuer.exists() {
        bail!(
            "{} is missing: make bench builds it (cargo build --release -p licdesk-issuer)",
            issuer.display()
        );
    }
    let dir = dir.join("activations");
    std::fs::create_dir_all(&dir)?;
    let key_path = dir.join("vendor.key");
    let plan = requests(&dir, &key_path)?;
    // Activations per second, per number of issuers: [SQLite, PostgreSQL] of each round.
    let mut rates: Vec<[Vec<f64>; 2]> = ISSUERS.iter().map(|_| [vec![], vec![]]).collect();
    for round in 0..ROUNDS {
        for (c, &issuers) in ISSUERS.iter().enumerate() {
            // In turn, so that a change of load on the machine weighs on both engines alike.
            for (e, engine) in ["sqlite", "postgres"].into_iter().enumerate() {
                let ledger = match engine {
                    "sqlite" => dir.join(format!("ledger-{round}-{issuers}.sqlite")),
                    _ => PathBuf::from(cluster.database(&format!("ledger_{round}_{issuers}"))),
                };
                // The ledger's tables made first: the rounds measure activations, not a race
                // to make the schema.
                drop(Ledger::open(&ledger).context("make the bench's ledger")?);
                let out = dir.join(format!("out-{round}-{issuers}-{engine}"));
                std::fs::create_dir(&out)?;
                let took = run(&issuer, &key_path, &ledger, &out, &plan, issuers)?;
                let rate = plan.len() as f64 / took;
                if verbose() {
                    eprintln!(
                        "bench:   round {round}, {issuers} issuers, {engine} ledger: {:.0} ms, {rate:.1} activations/s",
                        took * 1000.0
                    );
                }
                rates[c][e].push(rate);
            }
        }
    }
    for (&issuers, [sqlite, postgres]) in ISSUERS.iter().zip(rates) {
        let processes = if issuers == 1 { "process" } else { "processes" };
        rows.push(
            row(
                &format!(
                    "activations per second, {issuers} licdesk-issuer {processes} at once on \
                     one PostgreSQL ledger ({ACTIVATIONS} activations, median of {ROUNDS})"
                ),
                percentile(postgres, 0.5),
                "/s",
                None,
                Some(percentile(sqlite, 0.5)),
                None,
            )
            .floor_is(&format!(
                "the same on one SQLite ledger file, {issuers} {processes} at once"
            )),
        );
    }
    Ok(())
}

/// Runs every planned activation through `issuers` processes at once, each running its share
/// (every `issuers`-th request) one after the other; the seconds from the start of all to the
/// end of the last.
fn run(
    issuer: &Path,
    key: &Path,
    ledger: &Path,
    out: &Path,
    plan: &[Planned],
    issuers: usize,
) -> Result<f64> {
    let start = Barrier::new(issuers + 1);
    std::thread::scope(|s| {
        let running: Vec<_> = (0..issuers)
            .map(|i| {
                let start = &start;
                s.spawn(move || -> Result<()> {
                    start.wait();
                    for p in plan.iter().skip(i).step_by(issuers) {
                        let done = Command::new(issuer)
                            .arg("activate")
                            .arg("--key")
                            .arg(key)
                            .arg("--ledger")
                            .arg(ledger)
                            .arg("--request")
                            .arg(&p.request)
                            .arg("--out")
                            .arg(out.join(format!("{}.actresp", p.name)))
                            .output()
                            .with_context(|| format!("start {}", issuer.display()))?;
                        if !done.status.success() {
                            bail!(
                                "licdesk-issuer activate {} failed ({}): {}",
                                p.name,
                                done.status,
                                String::from_utf8_lossy(&done.stderr)
                            );
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        for issuer in running {
            issuer
                .join()
                .map_err(|_| anyhow::anyhow!("an issuer's thread panicked"))??;
        }
        Ok(began.elapsed().as_secs_f64())
    })
}

/// A vendor key written to `key_path` and [`ACTIVATIONS`] requests signed by it: every other
/// one a main system of a base license of its own, the others a standby of a FailoverSuite of
/// its own, each on a machine of its own (so every activation is granted).
fn requests(dir: &Path, key_path: &Path) -> Result<Vec<Planned>> {
    let key = keygen(key_path, "Bench Vendor", IfExists::Refuse)?;
    let requests = dir.join("requests");
    std::fs::create_dir(&requests)?;
    (0..ACTIVATIONS)
        .map(|k| {
            let (base, base_text) = issue_base(
                &key,
                &format!("Team Kunde {k:04}"),
                Variant::ALL[k % 4],
                vec![],
                None,
                1,
            )?;
            let mut seed = [0x3c; 32];
            seed[..8].copy_from_slice(&(k as u64).to_le_bytes());
            let installation = SigningKey::from_bytes(&seed);
            let (name, text) = if k % 2 == 0 {
                let name = format!("main-{k}");
                let request = request(
                    &[&base_text],
                    &base.license,
                    Role::Main,
                    &base.license,
                    &machine(&name),
                    k,
                    &installation,
                );
                (name, request)
            } else {
                let (failover, failover_text) = issue_failover(&key, &base.license)?;
                let name = format!("standby-{k}");
                let request = request(
                    &[&base_text, &failover_text],
                    &failover.license,
                    Role::Standby,
                    &base.license,
                    &machine(&name),
                    k,
                    &installation,
                );
                (name, request)
            };
            let path = requests.join(format!("{name}.actreq"));
            std::fs::write(&path, text)?;
            Ok(Planned {
                request: path,
                name,
            })
        })
        .collect()
}

/// An activation request as a desk writes it: signed by its installation key, which a standby's
/// request also carries (the vendor certifies it).
fn request(
    certificates: &[&str],
    license: &LicenseNumber,
    role: Role,
    mirrors: &LicenseNumber,
    hardware: &Hardware,
    k: usize,
    installation: &SigningKey,
) -> String {
    let standby = role == Role::Standby;
    let request = ActivationRequest {
        nonce: format!("{:064x}", (k as u128 + 1) * 0x9e37_79b9_7f4a_7c15),
        created_at: Timestamp::from_unix(1_790_000_000),
        license: license.clone(),
        role,
        hardware: hardware.clone(),
        mirrors: mirrors.clone(),
        mode: standby.then_some(StandbyMode::Cold),
        certificates: certificates.iter().map(|c| c.to_string()).collect(),
        installation_key: standby
            .then(|| licdesk_core::InstallationKey::of(&installation.verifying_key())),
    };
    seal(FileKind::ActivationRequest, &request, installation)
}

/// A machine of its own: its machine id and a network card.
fn machine(name: &str) -> Hardware {
    Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, name),
            Component::from_raw(ComponentKind::Nic, &format!("{name}-nic")),
        ],
        Some(name.into()),
    )
}
