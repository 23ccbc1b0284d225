//! Several issuers on one PostgreSQL ledger at once (R4, R13): 8 threads, each with its own
//! connection, activate 50 standbys each; some of them race for the same FailoverSuite, the same
//! standby machine or the same nonce, and exactly one of each race wins every time, the others
//! refused with the reason the SQLite ledger gives.

use std::collections::{BTreeSet, HashSet};
use std::sync::Barrier;

use licdesk_core::{
    seal, ActivationRequest, ActivationResponse, Envelope, FileKind, HardwareId, LicenseNumber,
    Role, RuleViolation, StandbyMode, Timestamp, Variant,
};
use licdesk_issuer::{activate, issue_base, issue_failover, keygen, IfExists, IssuerError};
use licdesk_store::ledger::Ledger;

use crate::support::*;

const ISSUERS: usize = 8;
const PER_ISSUER: usize = 50;
/// Races per issuer for one FailoverSuite (each issuer its own machine) and for one machine
/// (each issuer its own FailoverSuite); one race for one nonce (each issuer its own request).
const FAILOVER_RACES: usize = 5;
const MACHINE_RACES: usize = 5;
const OWN: usize = PER_ISSUER - FAILOVER_RACES - MACHINE_RACES - 1;
const ROUNDS: usize = 2;

/// What one activation of the race is about.
#[derive(Debug, Clone)]
enum Race {
    Own,
    Failover(usize),
    Machine(usize),
    Nonce,
}

#[derive(Debug)]
struct Planned {
    race: Race,
    failover: LicenseNumber,
    hardware_id: HardwareId,
    request: Vec<u8>,
}

#[test]
fn issuers_racing_on_one_postgresql_ledger_give_each_failover_suite_and_machine_one_standby_r4_r13()
{
    for round in 0..ROUNDS {
        race_once(round);
    }
}

fn race_once(round: usize) {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(&dir.path().join("v.key"), "Vendor", IfExists::Refuse).unwrap();
    // A new database: the issuers' first opens race to make the schema too.
    let place = Engine::Postgres.ledger("race");
    let (base, bt) = issue_base(&key, "Race", Variant::Users10, vec![], None, 1).unwrap();
    let failover = || {
        let (fo, ft) = issue_failover(&key, &base.license).unwrap();
        (fo.license, ft)
    };
    let failover_races: Vec<_> = (0..FAILOVER_RACES).map(|_| failover()).collect();
    let shared_nonce = format!("{:064x}", rand_nonce());
    let plans: Vec<Vec<Planned>> = (0..ISSUERS)
        .map(|i| {
            let mut plan = Vec::new();
            let mut add = |race: Race, (fo, ft): (LicenseNumber, String), hw: String, nonce| {
                let hw = machine(&hw);
                plan.push(Planned {
                    race,
                    request: standby_request(&[&bt, &ft], &fo, &base.license, &hw, nonce),
                    failover: fo,
                    hardware_id: hw.id,
                });
            };
            // The races first, interleaved, so that the issuers meet on them.
            for g in 0..FAILOVER_RACES.max(MACHINE_RACES) {
                if let Some(contested) = failover_races.get(g) {
                    add(
                        Race::Failover(g),
                        contested.clone(),
                        format!("fo{g}-by-{i}"),
                        None,
                    );
                }
                if g < MACHINE_RACES {
                    add(Race::Machine(g), failover(), format!("machine{g}"), None);
                }
            }
            add(
                Race::Nonce,
                failover(),
                format!("nonce-by-{i}"),
                Some(shared_nonce.clone()),
            );
            for n in 0..OWN {
                add(Race::Own, failover(), format!("own{n}-by-{i}"), None);
            }
            assert_eq!(plan.len(), PER_ISSUER);
            plan
        })
        .collect();

    let start = Barrier::new(ISSUERS);
    let results: Vec<Vec<(&Planned, Result<licdesk_issuer::Activated, IssuerError>)>> =
        std::thread::scope(|s| {
            let running: Vec<_> = plans
                .iter()
                .map(|plan| {
                    let (key, at, start) = (&key, &place.at, &start);
                    s.spawn(move || {
                        start.wait();
                        let mut ledger = Ledger::open(at).unwrap();
                        plan.iter()
                            .map(|p| (p, activate(key, &mut ledger, &p.request)))
                            .collect()
                    })
                })
                .collect();
            running.into_iter().map(|t| t.join().unwrap()).collect()
        });
    let results: Vec<_> = results.into_iter().flatten().collect();
    assert_eq!(results.len(), ISSUERS * PER_ISSUER);

    let winners = |wanted: &dyn Fn(&Race) -> bool| -> Vec<&Planned> {
        results
            .iter()
            .filter(|(p, r)| wanted(&p.race) && r.is_ok())
            .map(|(p, _)| *p)
            .collect()
    };
    let mut responses = Vec::new();
    for (planned, result) in &results {
        match (&planned.race, result) {
            (_, Ok(done)) => {
                assert!(!done.repeated, "round {round}: {planned:?}");
                responses.push(done.response.clone());
            }
            (Race::Own, Err(e)) => panic!("round {round}: an uncontested activation failed: {e}"),
            (Race::Failover(g), Err(e)) => {
                let won = winners(&|r| matches!(r, Race::Failover(w) if w == g));
                assert_eq!(won.len(), 1, "round {round}: FailoverSuite race {g}");
                match e {
                    IssuerError::Rule(RuleViolation::FailoverTaken { failover, hwid }) => {
                        assert_eq!(failover, &planned.failover);
                        assert_eq!(hwid, &won[0].hardware_id, "the winner holds it");
                    }
                    other => panic!("round {round}: FailoverSuite race {g} lost with {other}"),
                }
            }
            (Race::Machine(g), Err(e)) => {
                let won = winners(&|r| matches!(r, Race::Machine(w) if w == g));
                assert_eq!(won.len(), 1, "round {round}: machine race {g}");
                match e {
                    IssuerError::Rule(RuleViolation::AlreadyStandbyOfAnother {
                        hwid,
                        other,
                        failover,
                    }) => {
                        assert_eq!(hwid, &planned.hardware_id);
                        assert_eq!(other, &won[0].failover, "the winner's FailoverSuite");
                        assert_eq!(failover, &planned.failover);
                    }
                    other => panic!("round {round}: machine race {g} lost with {other}"),
                }
            }
            (Race::Nonce, Err(e)) => {
                assert_eq!(winners(&|r| matches!(r, Race::Nonce)).len(), 1);
                assert!(
                    matches!(e, IssuerError::NonceReused { .. }),
                    "round {round}: the nonce race lost with {e}"
                );
            }
        }
    }
    let wins = ISSUERS * OWN + FAILOVER_RACES + MACHINE_RACES + 1;
    assert_eq!(responses.len(), wins, "round {round}");
    for g in 0..MACHINE_RACES {
        assert_eq!(
            winners(&|r| matches!(r, Race::Machine(w) if *w == g)).len(),
            1
        );
    }
    for g in 0..FAILOVER_RACES {
        assert_eq!(
            winners(&|r| matches!(r, Race::Failover(w) if *w == g)).len(),
            1
        );
    }

    // Every response answers its own nonce, and the ledger's sequence numbered them 1..=wins,
    // none twice.
    let signed: Vec<ActivationResponse> = responses
        .iter()
        .map(|text| {
            Envelope::parse(text.as_bytes())
                .unwrap()
                .verify(&key.key.verifying_key())
                .unwrap()
                .payload()
                .unwrap()
        })
        .collect();
    let nonces: HashSet<&str> = signed.iter().map(|r| r.request_nonce.as_str()).collect();
    assert_eq!(nonces.len(), wins, "round {round}: a nonce answered twice");
    let serials: BTreeSet<u64> = signed.iter().filter_map(|r| r.serial).collect();
    assert_eq!(serials, (1..=wins as u64).collect(), "round {round}");

    // The ledger holds exactly the winners, each FailoverSuite and machine once.
    let mut ledger = Ledger::open(&place.at).unwrap();
    let held = ledger.decide().unwrap().known_systems().unwrap();
    assert_eq!(held.len(), wins, "round {round}");
    let licenses: HashSet<_> = held.iter().map(|s| s.license.clone()).collect();
    let machines: HashSet<_> = held.iter().map(|s| s.hardware.id.clone()).collect();
    assert_eq!(
        (licenses.len(), machines.len()),
        (wins, wins),
        "round {round}"
    );
}

/// A standby request; `nonce` when the test needs one shared by several requests.
fn standby_request(
    certs: &[&str],
    failover: &LicenseNumber,
    base: &LicenseNumber,
    hw: &licdesk_core::Hardware,
    nonce: Option<String>,
) -> Vec<u8> {
    let installation = desk_key();
    let req = ActivationRequest {
        nonce: nonce.unwrap_or_else(|| format!("{:064x}", rand_nonce())),
        created_at: Timestamp::from_unix(1_790_000_000),
        license: failover.clone(),
        role: Role::Standby,
        hardware: hw.clone(),
        mirrors: base.clone(),
        mode: Some(StandbyMode::Cold),
        certificates: certs.iter().map(|c| c.to_string()).collect(),
        installation_key: Some(licdesk_core::InstallationKey::of(
            &installation.verifying_key(),
        )),
    };
    seal(FileKind::ActivationRequest, &req, &installation).into_bytes()
}
