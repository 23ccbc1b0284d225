//! Property tests of every parser of untrusted input in the core: no input makes one panic.
//!
//! Signed files are seeded with genuine files of every kind (sealed with fixed keys), then
//! damaged at the byte level, and — what matters most — replaced by hostile content sealed with
//! the trusted key: a vendor-signed file may say anything its signer wants. Whatever parses is
//! then used the way the desk and the vendor tool use it (validated, evaluated, printed).
//!
//! The number of cases of each property comes from `PROPTEST_CASES` when set (`make fuzz` runs
//! many); failures are kept as seeds in this crate's `proptest-regressions/fuzz.txt`.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use licdesk_core::model::{
    standby_notice, validate_text, HardwareIdFile, Release, ReleaseRequest, VendorPublicKey,
};
use licdesk_core::usage::{
    chain_hash, evaluate, Interval, JournalEntry, Level, UsageJournal, UsageState, GENESIS,
};
use licdesk_core::{
    seal, standby_entitlements, trust, ActivationRequest, ActivationResponse, BaseCertificate,
    Component, ComponentKind, Envelope, Extension, FailoverCertificate, FileKind, Hardware,
    HardwareId, KeyId, LicenseNumber, LicenseProduct, LoadLimits, Role, SigningKey, StandbyMode,
    Timestamp, TrustStore, Variant, Verified,
};
use proptest::prelude::*;

mod hostile;
use hostile::*;
use proptest::sample::Index;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Genuine files of every kind

fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

fn installation() -> SigningKey {
    SigningKey::from_bytes(&[77; 32])
}

fn trust() -> TrustStore {
    TrustStore::built_in().with_added("Fuzz Vendor".into(), vendor().verifying_key())
}

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/fuzz.txt");

const T0: i64 = 1_790_000_000;

fn at(offset: i64) -> Timestamp {
    Timestamp::from_unix(T0 + offset)
}

fn base() -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [9, 8, 7, 6, 5]),
        revision: 2,
        customer: "Müller & Söhne <b>GmbH</b>".into(),
        variant: Variant::Users250,
        extensions: vec![
            Extension::parse_spec("XOM.11000:Fax Gateway:2").unwrap(),
            Extension::parse_spec("XOM.12000:Übersetzung:1").unwrap(),
        ],
        issued_at: at(0),
    }
}

fn failover() -> FailoverCertificate {
    FailoverCertificate {
        license: LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 5]),
        article: licdesk_core::FAILOVER_ARTICLE.into(),
        base_license: base().license,
        issued_at: at(10),
    }
}

fn hardware() -> Hardware {
    Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, "machine-1"),
            Component::from_raw(ComponentKind::Cpu, "xeon x8"),
            Component::from_raw(ComponentKind::Nic, "52:54:00:12:34:56"),
        ],
        Some("standby-ä".into()),
    )
}

fn installation_key() -> String {
    trust::encode_public_key(&installation().verifying_key())
}

const NONCE: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn request() -> ActivationRequest {
    ActivationRequest {
        nonce: NONCE.into(),
        created_at: at(50),
        license: failover().license,
        role: Role::Standby,
        hardware: hardware(),
        mirrors: base().license,
        mode: Some(StandbyMode::Hot),
        certificates: vec![
            seal(FileKind::BaseCertificate, &base(), &vendor()),
            seal(FileKind::FailoverCertificate, &failover(), &vendor()),
        ],
        installation_key: Some(installation_key().into()),
    }
}

fn response() -> ActivationResponse {
    ActivationResponse {
        request_nonce: NONCE.into(),
        license: failover().license,
        role: Role::Standby,
        hardware: hardware(),
        mirrors: base().license,
        base_revision: 2,
        mode: Some(StandbyMode::Hot),
        entitlements: standby_entitlements(&base(), &failover().license),
        entitlement_digest: base().entitlement_digest(),
        notice: Some(standby_notice(&LoadLimits::default())),
        limits: Some(LoadLimits::default()),
        installation_key: Some(installation_key().into()),
        activated_at: at(100),
        serial: None,
    }
}

fn journal_entries(times: &[(i64, UsageState)]) -> Vec<JournalEntry> {
    let mut previous = GENESIS.to_string();
    times
        .iter()
        .enumerate()
        .map(|(i, &(unix, state))| {
            let at = Timestamp::from_unix(unix);
            let hash = chain_hash(&previous, i as u64, at, state);
            previous.clone_from(&hash);
            JournalEntry {
                seq: i as u64,
                at,
                state,
                hash,
            }
        })
        .collect()
}

fn journal() -> UsageJournal {
    UsageJournal {
        failover: failover().license,
        hardware_id: hardware().id,
        installation_key: installation_key().into(),
        exported_at: at(200 * 3600),
        entries: journal_entries(&[
            (T0 + 3600, UsageState::Load),
            (T0 + 50 * 3600, UsageState::Idle),
            (T0 + 60 * 3600, UsageState::Load),
        ]),
        activation: seal(FileKind::ActivationResponse, &response(), &vendor()),
    }
}

/// The genuine payload of every kind.
fn seeds() -> Vec<Seed> {
    let vpub = VendorPublicKey {
        key_id: KeyId::of_public_key(&vendor().verifying_key()),
        public_key: trust::encode_public_key(&vendor().verifying_key()),
        vendor: "Fuzz Vendor".into(),
        created_at: at(0),
    };
    vec![
        Seed::new(FileKind::BaseCertificate, &base(), vendor()),
        Seed::new(FileKind::FailoverCertificate, &failover(), vendor()),
        Seed::new(
            FileKind::HardwareId,
            &HardwareIdFile {
                hardware: hardware(),
                created_at: at(20),
            },
            installation(),
        ),
        Seed::new(FileKind::ActivationRequest, &request(), installation()),
        Seed::new(FileKind::ActivationResponse, &response(), vendor()),
        Seed::new(FileKind::VendorPublicKey, &vpub, vendor()),
        Seed::new(FileKind::UsageJournal, &journal(), installation()),
        Seed::new(
            FileKind::ReleaseRequest,
            &ReleaseRequest {
                nonce: NONCE.into(),
                created_at: at(300),
                failover: failover().license,
                hardware: hardware(),
                reason: "the main board failed".into(),
            },
            installation(),
        ),
        Seed::new(
            FileKind::Release,
            &Release {
                request_nonce: NONCE.into(),
                failover: failover().license,
                hardware_id: hardware().id,
                released_at: at(400),
                serial: None,
            },
            vendor(),
        ),
    ]
}

fn genuine_files() -> Vec<Vec<u8>> {
    seeds()
        .iter()
        .map(|s| s.seal(&s.value).into_bytes())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Using whatever parsed, as the desk and the vendor tool would

/// Parses, verifies (both ways, whatever the kind says) and reads every payload type from `bytes`.
fn exercise(bytes: &[u8], depth: u8) {
    let Ok(envelope) = Envelope::parse(bytes) else {
        return;
    };
    let _ = (
        envelope.kind(),
        envelope.key_id().to_string(),
        envelope.message(),
    );
    let _ = envelope.clone().expect(FileKind::ActivationResponse);
    let mut verified = Vec::new();
    if let Ok(v) = envelope.clone().verify(&vendor().verifying_key()) {
        verified.push(v);
    }
    if let Ok(v) = envelope.clone().verify_self_signed() {
        verified.push(v);
    }
    if let Ok((v, key)) = trust().verify(envelope) {
        assert!(!key.vendor.is_empty());
        verified.push(v);
    }
    for v in &verified {
        read_every_payload(v, depth);
    }
}

fn read_every_payload(v: &Verified, depth: u8) {
    if let Some(b) = read::<BaseCertificate>(v) {
        let _ = b.validate();
        let _ = (
            b.entitlements(),
            b.entitlement_digest(),
            b.issued_at.to_string(),
        );
        let _ = standby_entitlements(&b, &failover().license);
        for e in &b.extensions {
            let _ = e.validate();
        }
    }
    if let Some(f) = read::<FailoverCertificate>(v) {
        let _ = (f.validate(), f.issued_at.to_string(), f.license.product());
    }
    if let Some(h) = read::<HardwareIdFile>(v) {
        use_hardware(&h.hardware);
    }
    if let Some(r) = read::<ActivationRequest>(v) {
        use_hardware(&r.hardware);
        let _ = r.nonce.chars().take(12).collect::<String>();
        if let Some(k) = &r.installation_key {
            let _ = (trust::decode_public_key(k), k.decode(), k.key_id());
        }
        if depth > 0 {
            for c in &r.certificates {
                exercise(c.as_bytes(), depth - 1);
            }
        }
    }
    if let Some(r) = read::<ActivationResponse>(v) {
        use_hardware(&r.hardware);
        let limits = r.limits.unwrap_or_default();
        let _ = standby_notice(&limits);
        let _ = evaluate(&sample_intervals(), &limits, r.activated_at);
        if let Some(k) = &r.installation_key {
            let _ = (trust::decode_public_key(k), k.decode(), k.key_id());
        }
        for e in &r.entitlements {
            let _ = validate_text("entitlement", &e.name, 200);
        }
    }
    if let Some(k) = read::<VendorPublicKey>(v) {
        if let Ok(key) = trust::decode_public_key(&k.public_key) {
            let _ = KeyId::of_public_key(&key) == k.key_id;
        }
        let _ = validate_text("vendor name", &k.vendor, 200);
    }
    if let Some(r) = read::<ReleaseRequest>(v) {
        use_hardware(&r.hardware);
        let _ = validate_text("reason", &r.reason, 500);
    }
    if let Some(r) = read::<Release>(v) {
        let _ = (r.hardware_id.to_string(), r.released_at.to_string());
    }
    if let Some(j) = read::<UsageJournal>(v) {
        use_journal(&j, &LoadLimits::default());
        if depth > 0 {
            exercise(j.activation.as_bytes(), depth - 1);
        }
    }
}

/// The payload as `T`, if it is one; then it must come back the same when sealed again.
fn read<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(v: &Verified) -> Option<T> {
    let value = v.payload::<T>().ok()?;
    let again = seal(v.kind, &value, &vendor());
    let back = Envelope::parse(again.as_bytes())
        .unwrap()
        .verify(&vendor().verifying_key())
        .unwrap()
        .payload::<T>()
        .unwrap();
    assert_eq!(back, value);
    Some(value)
}

fn use_hardware(h: &Hardware) {
    let _ = h.validate();
    let _ = h.is_same_machine(&hardware());
    let _ = hardware().is_same_machine(h);
    let _ = (h.id.to_string(), h.label.as_deref().map(str::len));
}

fn sample_intervals() -> Vec<Interval> {
    journal().intervals().unwrap()
}

fn use_journal(j: &UsageJournal, limits: &LoadLimits) {
    for desk_time in [Timestamp::MIN, Timestamp::MAX, j.exported_at, at(0)] {
        let _ = j.not_ahead_of(desk_time);
    }
    let _ = j.continues(j.last_entry(), Some(j.exported_at));
    let _ = j.continues(Some((u64::MAX, "")), Some(Timestamp::from_unix(i64::MAX)));
    let _ = j.continues(Some((0, GENESIS)), None);
    if let Ok(ivs) = j.intervals() {
        assert_eq!(ivs.len(), j.entries.len());
        for iv in &ivs {
            assert!(iv.from <= iv.to, "{iv:?}");
        }
        // Intervals from a journal whose chain and clock were checked never overlap.
        let e = evaluate(&ivs, limits, j.exported_at).unwrap();
        check_evaluation(&ivs, &e);
        // What the time after the export could hide, up to either end of time.
        for now in [Timestamp::MIN, Timestamp::MAX, j.exported_at] {
            let u = licdesk_core::usage::unaccounted(Some(&e), j.exported_at, limits, now);
            assert!(
                u.seconds >= 0 && u.worst_case_load_seconds >= u.seconds,
                "{u:?}"
            );
        }
    }
}

fn check_evaluation(ivs: &[Interval], e: &licdesk_core::usage::Evaluation) {
    let load: i64 = ivs
        .iter()
        .filter(|i| i.state == UsageState::Load)
        .map(|i| i.to.unix() - i.from.unix())
        .sum();
    assert_eq!(e.episodes.iter().map(|e| e.load_seconds).sum::<i64>(), load);
    for ep in &e.episodes {
        assert!(ep.load_seconds > 0, "{ep:?}");
        assert!(ep.over_limit_seconds >= 0, "{ep:?}");
        assert!(ep.load_seconds <= ep.last_load_end.unix() - ep.start.unix());
        assert!(ep.level <= e.worst);
        let _ = (ep.start.to_string(), ep.last_load_end.to_string());
    }
    assert_eq!(
        e.worst,
        e.episodes
            .iter()
            .map(|e| e.level)
            .max()
            .unwrap_or(Level::Fine)
    );
    let _ = (e.current_level(), e.past_violations().count());
    let _ = e.unacknowledged_violations(Some(Timestamp::MAX));
    let _ = e.unacknowledged_violations(None);
}

// ---------------------------------------------------------------------------------------------
// Strategies

fn extreme_unix() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(-1i64),
        Just(0i64),
        Just(Timestamp::MAX.unix()),
        Just(Timestamp::MAX.unix() + 1),
        any::<i64>(),
        0..=Timestamp::MAX.unix(),
        T0..T0 + 400 * 3600,
    ]
}

fn limit() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1u32),
        Just(u32::MAX),
        0u32..200,
        any::<u32>()
    ]
}

fn limits() -> impl Strategy<Value = LoadLimits> {
    (limit(), limit(), limit(), limit()).prop_map(|(max, gap, warn, fin)| LoadLimits {
        max_load_hours: max,
        episode_gap_hours: gap,
        warning_hours: warn,
        final_warning_hours: fin,
    })
}

fn state() -> impl Strategy<Value = UsageState> {
    prop_oneof![Just(UsageState::Load), Just(UsageState::Idle)]
}

/// Boundaries in time order: a start and steps forward (some of them huge).
fn ordered_times() -> impl Strategy<Value = Vec<(i64, UsageState)>> {
    let step = prop_oneof![
        Just(0i64),
        0i64..3 * 24 * 3600,
        0i64..i64::MAX,
        Just(i64::MAX)
    ];
    (
        extreme_unix(),
        prop::collection::vec((step, state()), 0..40),
    )
        .prop_map(|(start, steps)| {
            let mut t = Timestamp::from_unix(start).unix();
            steps
                .into_iter()
                .map(|(step, s)| {
                    t = Timestamp::from_unix(t.saturating_add(step)).unix();
                    (t, s)
                })
                .collect()
        })
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config(500, REGRESSIONS))]

    /// Genuine files of every kind, damaged byte by byte: bit flips, inserted and deleted bytes,
    /// cut off, spliced with another file, parts repeated.
    #[test]
    fn damaged_genuine_files_never_panic(
        which in 0usize..9,
        edits in prop::collection::vec(byte_edit(9), 1..5),
    ) {
        let files = genuine_files();
        let mut bytes = files[which].clone();
        for e in &edits {
            apply_byte_edit(&mut bytes, e, &files);
        }
        exercise(&bytes, 1);
    }

    /// Genuine payloads with hostile content, sealed with the key each kind trusts: the signature
    /// verifies, so everything after it must cope with whatever the signer wrote.
    #[test]
    fn signed_hostile_payloads_never_panic(
        which in 0usize..9,
        edits in prop::collection::vec(json_edit(), 1..4),
    ) {
        let seed = seeds().swap_remove(which);
        let mut value = seed.value.clone();
        for e in &edits {
            apply_edit(&mut value, e);
        }
        exercise(seed.seal(&value).as_bytes(), 1);
    }

    /// Any JSON at all, sealed as every kind with the trusted key.
    #[test]
    fn signed_arbitrary_json_never_panics(which in 0usize..9, value in hostile_value()) {
        exercise(seeds().swap_remove(which).seal(&value).as_bytes(), 1);
    }

    /// Bytes and text of any shape, with and without a valid first line.
    #[test]
    fn arbitrary_bytes_never_panic(
        which in 0usize..9,
        head in any::<bool>(),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..2000),
            "[A-Za-z0-9+/=:\\- \\r\\n]{0,2000}".prop_map(String::into_bytes),
            any::<String>().prop_map(String::into_bytes),
        ],
    ) {
        let mut bytes = Vec::new();
        if head {
            bytes.extend_from_slice(
                format!("-----BEGIN LICDESK {}-----\n", FileKind::ALL[which].armor_label())
                    .as_bytes(),
            );
        }
        bytes.extend_from_slice(&body);
        exercise(&bytes, 1);
    }

    /// The five-day rule on intervals in any order with any times and any limits.
    #[test]
    fn evaluation_of_any_intervals_never_panics(
        raw in prop::collection::vec((extreme_unix(), extreme_unix(), state()), 0..30),
        limits in limits(),
        at in extreme_unix(),
    ) {
        let ivs: Vec<Interval> = raw
            .iter()
            .map(|&(from, to, state)| Interval {
                from: Timestamp::from_unix(from),
                to: Timestamp::from_unix(to),
                state,
            })
            .collect();
        if let Ok(e) = evaluate(&ivs, &limits, Timestamp::from_unix(at)) {
            check_evaluation(&ivs, &e);
        }
    }

    /// Intervals that follow each other (the only kind a journal makes) always evaluate.
    #[test]
    fn evaluation_of_ordered_intervals_always_succeeds(
        times in ordered_times(),
        end in 0i64..i64::MAX,
        limits in limits(),
        at in extreme_unix(),
    ) {
        let last = times.last().map_or(0, |t| t.0);
        let end = Timestamp::from_unix(last.saturating_add(end));
        let ivs: Vec<Interval> = times
            .iter()
            .enumerate()
            .map(|(i, &(from, state))| Interval {
                from: Timestamp::from_unix(from),
                to: times.get(i + 1).map_or(end, |n| Timestamp::from_unix(n.0)),
                state,
            })
            .collect();
        let e = evaluate(&ivs, &limits, Timestamp::from_unix(at)).unwrap();
        check_evaluation(&ivs, &e);
    }

    /// Journals with genuine chains over extreme times, then tampered with; any limits.
    #[test]
    fn journals_with_any_entries_never_panic(
        times in ordered_times(),
        exported in extreme_unix(),
        tamper in prop::option::of((any::<Index>(), 0u8..5, extreme_unix())),
        limits in limits(),
    ) {
        let mut j = journal();
        j.entries = journal_entries(&times);
        j.exported_at = Timestamp::from_unix(exported);
        if let Some((i, how, t)) = tamper {
            if !j.entries.is_empty() {
                let n = i.index(j.entries.len());
                match how {
                    0 => j.entries[n].at = Timestamp::from_unix(t),
                    1 => j.entries[n].seq = t as u64,
                    2 => j.entries[n].hash = "é".repeat(n),
                    3 => { j.entries.remove(n); }
                    _ => j.entries.swap(0, n),
                }
            }
        }
        use_journal(&j, &limits);
        // And through a signed file.
        exercise(seal(FileKind::UsageJournal, &j, &installation()).as_bytes(), 0);
    }
}

// ---------------------------------------------------------------------------------------------
// Text parsers

#[derive(Debug, Clone)]
enum TextEdit {
    Insert(Index, char),
    Delete(Index),
    Replace(Index, char),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    let ch = prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '-', ' ', 'O', 'I', 'L', 'U', 'é', '😀', '\u{0}', 'z', ':'
        ]),
    ];
    prop_oneof![
        (any::<Index>(), ch.clone()).prop_map(|(i, c)| TextEdit::Insert(i, c)),
        any::<Index>().prop_map(TextEdit::Delete),
        (any::<Index>(), ch).prop_map(|(i, c)| TextEdit::Replace(i, c)),
    ]
}

fn apply_text_edit(text: &str, edit: &TextEdit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    match edit {
        TextEdit::Insert(i, c) => chars.insert(i.index(n + 1), *c),
        TextEdit::Delete(i) if n > 0 => {
            chars.remove(i.index(n));
        }
        TextEdit::Replace(i, c) if n > 0 => chars[i.index(n)] = *c,
        _ => {}
    }
    chars.into_iter().collect()
}

/// Valid inputs of every text parser, to start near-valid inputs from.
fn valid_texts() -> Vec<String> {
    let mut v: Vec<String> = vec![
        base().license.to_string(),
        failover().license.to_string(),
        hardware().id.to_string(),
        KeyId::of_public_key(&vendor().verifying_key()).to_string(),
        "XOM.11000:Fax Gateway:2".into(),
        "XOM.1:Name: with colon:1000000".into(),
        "2026-11-24T09:30:00Z".into(),
        "9999-12-31T23:59:59+00:00".into(),
        "1970-01-01T00:00:00Z".into(),
        "unlimited".into(),
        "cold".into(),
        "idle".into(),
        "standby".into(),
        installation_key(),
    ];
    v.extend(Variant::ALL.iter().map(|x| x.code().to_string()));
    v
}

/// Every text parser over `text`: none panics, and what parses prints back as itself.
fn parse_all(text: &str) {
    if let Ok(n) = LicenseNumber::parse(text) {
        assert_eq!(LicenseNumber::parse(n.as_str()).as_ref(), Ok(&n));
        let _ = n.product();
    }
    if let Ok(h) = HardwareId::parse(text) {
        assert_eq!(HardwareId::parse(h.as_str()).as_ref(), Ok(&h));
    }
    if let Ok(k) = KeyId::parse(text) {
        assert_eq!(KeyId::parse(k.as_str()).as_ref(), Ok(&k));
    }
    if let Ok(e) = Extension::parse_spec(text) {
        assert_eq!(e.validate(), Ok(()));
        let spec = format!("{}:{}:{}", e.article, e.name, e.quantity);
        assert_eq!(Extension::parse_spec(&spec).as_ref(), Ok(&e));
    }
    match Timestamp::parse(text) {
        Ok(t) => {
            assert!(Timestamp::MIN <= t && t <= Timestamp::MAX);
            assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
            let _ = (t.plus_seconds(i64::MAX), t.plus_seconds(i64::MIN));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(v) = Variant::parse(text) {
        assert_eq!(Variant::parse(v.code()), Ok(v));
    }
    if let Ok(m) = StandbyMode::parse(text) {
        assert_eq!(StandbyMode::parse(m.code()), Ok(m));
    }
    if let Ok(s) = UsageState::parse(text) {
        assert_eq!(UsageState::parse(s.code()), Ok(s));
    }
    if let Ok(r) = Role::parse(text) {
        assert_eq!(Role::parse(r.code()), Ok(r));
    }
    if let Ok(k) = trust::decode_public_key(text) {
        let _ = KeyId::of_public_key(&k);
    }
    let _ = validate_text("text", text, 100);
}

fn rfc3339_like() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        0u64..10_000,
        Just(0u64),
        Just(1969u64),
        Just(1970u64),
        Just(9999u64),
        Just(10_000u64),
        any::<u64>()
    ];
    (
        year,
        0u8..14,
        0u8..33,
        0u8..26,
        0u8..62,
        0u8..63,
        prop::option::of("[0-9]{1,12}"),
        prop_oneof![
            Just("Z".to_string()),
            Just("z".to_string()),
            (any::<bool>(), 0u8..30, 0u8..62)
                .prop_map(|(neg, h, m)| format!("{}{h:02}:{m:02}", if neg { '-' } else { '+' })),
        ],
        prop::sample::select(vec!["T", "t", " ", "_"]),
        any::<bool>(),
    )
        .prop_map(|(y, mo, d, h, mi, s, frac, offset, sep, pad)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let y = if pad {
                format!("{y:04}")
            } else {
                y.to_string()
            };
            format!("{y}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{offset}")
        })
}

proptest! {
    #![proptest_config(config(2000, REGRESSIONS))]

    /// Any text at all.
    #[test]
    fn text_parsers_never_panic_on_any_text(text in any::<String>()) {
        parse_all(&text);
    }

    /// Valid inputs with a few characters inserted, removed or replaced (multi-byte ones too).
    #[test]
    fn text_parsers_never_panic_near_valid_input(
        which in any::<Index>(),
        edits in prop::collection::vec(text_edit(), 0..4),
    ) {
        let texts = valid_texts();
        let mut text = texts[which.index(texts.len())].clone();
        for e in &edits {
            text = apply_text_edit(&text, e);
        }
        parse_all(&text);
    }

    /// Times of every shape near RFC 3339: each parses into the range or is refused.
    #[test]
    fn times_parse_into_the_range_or_are_refused(text in rfc3339_like()) {
        parse_all(&text);
    }

    /// Printing any time that can be made never fails, and it reads back as itself.
    #[test]
    fn every_time_prints_and_reads_back(unix in extreme_unix(), step in any::<i64>()) {
        for t in [Timestamp::from_unix(unix), Timestamp::from_unix(unix).plus_seconds(step)] {
            let text = t.to_string();
            prop_assert_eq!(Timestamp::parse(&text), Ok(t));
            prop_assert_eq!(serde_json::from_value::<Timestamp>(serde_json::to_value(t).unwrap()).unwrap(), t);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed hostile files

#[test]
fn the_seeds_are_genuine_files_that_verify_and_read_back() {
    for seed in seeds() {
        let text = seed.seal(&seed.value);
        let envelope = Envelope::parse(text.as_bytes()).unwrap();
        let verified = match seed.kind.signed_by() {
            licdesk_core::envelope::SignedBy::Vendor => trust().verify(envelope).unwrap().0,
            licdesk_core::envelope::SignedBy::SelfSigned => envelope.verify_self_signed().unwrap(),
        };
        let readable = match seed.kind {
            FileKind::BaseCertificate => read::<BaseCertificate>(&verified).is_some(),
            FileKind::FailoverCertificate => read::<FailoverCertificate>(&verified).is_some(),
            FileKind::HardwareId => read::<HardwareIdFile>(&verified).is_some(),
            FileKind::ActivationRequest => read::<ActivationRequest>(&verified).is_some(),
            FileKind::ActivationResponse => read::<ActivationResponse>(&verified).is_some(),
            FileKind::VendorPublicKey => read::<VendorPublicKey>(&verified).is_some(),
            FileKind::UsageJournal => read::<UsageJournal>(&verified).is_some(),
            FileKind::ReleaseRequest => read::<ReleaseRequest>(&verified).is_some(),
            FileKind::Release => read::<Release>(&verified).is_some(),
        };
        assert!(readable, "{:?} does not read as its own type", seed.kind);
    }
}

#[test]
fn a_vendor_signed_certificate_with_10000_extensions_is_handled() {
    let mut cert = base();
    cert.extensions = (0..10_000)
        .map(|i| Extension {
            article: format!("XOM.{i}"),
            name: "é".repeat(i % 120),
            quantity: u32::MAX - i as u32,
        })
        .collect();
    let text = seal(FileKind::BaseCertificate, &cert, &vendor());
    // Far above a certificate's size cap: refused before its content is read.
    assert!(matches!(
        Envelope::parse(text.as_bytes()),
        Err(licdesk_core::FileError::TooLarge { .. })
    ));
    exercise(text.as_bytes(), 1);
    // Under the cap of a larger kind, the same content is read and fails validation cleanly.
    let as_journal = seal(FileKind::UsageJournal, &cert, &installation());
    let verified = Envelope::parse(as_journal.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap();
    let parsed: BaseCertificate = verified.payload().unwrap();
    assert!(parsed.validate().is_err());
    read_every_payload(&verified, 1);
}

#[test]
fn a_vendor_signed_response_with_a_multibyte_nonce_and_extreme_numbers_is_handled() {
    let mut r = response();
    r.request_nonce = "é".repeat(40);
    r.base_revision = u32::MAX;
    r.limits = Some(LoadLimits {
        max_load_hours: u32::MAX,
        episode_gap_hours: u32::MAX,
        warning_hours: 0,
        final_warning_hours: u32::MAX,
    });
    r.entitlements[0].quantity = u32::MAX;
    r.notice = Some(String::new());
    let text = seal(FileKind::ActivationResponse, &r, &vendor());
    exercise(text.as_bytes(), 1);
    let (verified, _) = trust()
        .verify(Envelope::parse(text.as_bytes()).unwrap())
        .unwrap();
    assert_eq!(verified.payload::<ActivationResponse>().unwrap(), r);
}

#[test]
fn a_signed_payload_with_a_time_outside_the_years_1970_to_9999_is_refused() {
    for time in [
        "9999-12-31T23:59:59-01:00",
        "0000-01-01T00:00:00+01:00",
        "1969-12-31T23:59:59Z",
    ] {
        let seed = seeds().swap_remove(0);
        let mut value = seed.value.clone();
        value["issued_at"] = Value::from(time);
        let text = seed.seal(&value);
        let (verified, _) = trust()
            .verify(Envelope::parse(text.as_bytes()).unwrap())
            .unwrap();
        let e = verified
            .payload::<BaseCertificate>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("outside the years 1970 to 9999"), "{time}: {e}");
    }
}

#[test]
fn a_journal_spanning_the_whole_range_evaluates_without_overflow() {
    let mut j = journal();
    j.entries = journal_entries(&[
        (0, UsageState::Load),
        (1, UsageState::Idle),
        (2, UsageState::Load),
    ]);
    j.exported_at = Timestamp::MAX;
    let ivs = j.intervals().unwrap();
    for limits in [
        LoadLimits::default(),
        LoadLimits {
            max_load_hours: 0,
            episode_gap_hours: 0,
            warning_hours: 0,
            final_warning_hours: 0,
        },
        LoadLimits {
            max_load_hours: u32::MAX,
            episode_gap_hours: u32::MAX,
            warning_hours: u32::MAX,
            final_warning_hours: u32::MAX,
        },
    ] {
        let e = evaluate(&ivs, &limits, Timestamp::MAX).unwrap();
        check_evaluation(&ivs, &e);
        assert_eq!(
            e.episodes.iter().map(|e| e.load_seconds).sum::<i64>(),
            1 + Timestamp::MAX.unix() - 2
        );
    }
    assert!(j.not_ahead_of(Timestamp::MAX).is_ok());
    assert!(j.not_ahead_of(Timestamp::MIN).is_err());
}
