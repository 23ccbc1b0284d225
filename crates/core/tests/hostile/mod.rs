//! Hostile input for property tests, shared by the core's and the desk's fuzz tests: text and
//! JSON an attacker might choose, edits of JSON payloads and of a file's bytes, genuine payloads
//! sealed with their fields in the order the payload type writes them.

#![allow(dead_code)] // each test crate uses its part

use std::collections::HashMap;

use licdesk_core::{seal, FileKind, SigningKey};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;
use serde::Serialize;
use serde_json::Value;

/// `default_cases` cases, or `PROPTEST_CASES` when it is set. Failures are kept (and replayed
/// first) in `regressions`, a path (the crate's `proptest-regressions/`).
pub fn config(default_cases: u32, regressions: &'static str) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
        ..ProptestConfig::default()
    }
}

/// A genuine payload: its kind, its JSON, the key that signs it, and the order of its fields.
pub struct Seed {
    pub kind: FileKind,
    pub value: Value,
    pub key: SigningKey,
    pub order: FieldOrder,
}

impl Seed {
    pub fn new<T: Serialize>(kind: FileKind, payload: &T, key: SigningKey) -> Seed {
        let text = serde_json::to_string(payload).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        Seed {
            kind,
            order: FieldOrder::of(&value, &text),
            value,
            key,
        }
    }

    /// `value` sealed as this seed's kind, its fields in the order the payload type writes them
    /// (else the canonical-form check alone would refuse every edited payload).
    pub fn seal(&self, value: &Value) -> String {
        seal(
            self.kind,
            &Ordered {
                value,
                order: &self.order,
            },
            &self.key,
        )
    }
}

/// Where each field name first appears in a payload's canonical JSON.
pub struct FieldOrder(HashMap<String, usize>);

impl FieldOrder {
    fn of(value: &Value, text: &str) -> FieldOrder {
        fn keys(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, child) in m {
                        out.push(k.clone());
                        keys(child, out);
                    }
                }
                Value::Array(a) => a.iter().for_each(|c| keys(c, out)),
                _ => {}
            }
        }
        let mut all = Vec::new();
        keys(value, &mut all);
        // A quote inside a JSON string is escaped, so `"name":` is only ever a field name.
        FieldOrder(
            all.into_iter()
                .filter_map(|k| Some((text.find(&format!("\"{k}\":"))?, k)))
                .map(|(at, k)| (k, at))
                .collect(),
        )
    }
}

/// A JSON value whose objects are written with known fields first, in the payload's order.
pub struct Ordered<'a> {
    pub value: &'a Value,
    pub order: &'a FieldOrder,
}

impl Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let wrap = |value| Ordered {
            value,
            order: self.order,
        };
        match self.value {
            Value::Object(m) => {
                let mut fields: Vec<(&String, &Value)> = m.iter().collect();
                fields.sort_by_key(|(k, _)| {
                    (self.order.0.get(*k).copied().unwrap_or(usize::MAX), *k)
                });
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, &wrap(v))?;
                }
                map.end()
            }
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(&wrap(v))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

/// Text an attacker might choose: empty, blank, multi-byte, control characters, near-valid
/// identifiers and times, very long.
pub fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        1 => Just(String::new()),
        1 => Just(" \t\n".to_string()),
        1 => "[0-9a-f]{0,70}",
        1 => "[ -~]{0,40}",
        1 => Just("é".repeat(40)),
        1 => Just("😀".repeat(20)),
        1 => Just("ab😀".repeat(16)),
        // The twelfth byte inside a character.
        1 => Just(format!("x{}", "é".repeat(40))),
        1 => Just(format!("a{}", "€".repeat(30))),
        1 => Just("\u{0}\u{7f}\u{202e}\u{feff}".to_string()),
        1 => prop::sample::select(vec![
            "9999-12-31T23:59:59-01:00",
            "0000-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "2016-12-31T23:59:60Z",
            "2026-06-01t12:00:00z",
            "2026-06-01T12:00:00.5+23:59",
            "OMS-0000-0000-00",
            "XFM-7K3D-9PQ2-X4",
            "vk-0123456789abcdef",
            "ABCD-EFGH-JKMN-PQ12",
            "XFM.47000",
            "unlimited",
            "standby",
            "load",
            "machine-id",
        ])
        .prop_map(String::from),
        1 => (0usize..70_000).prop_map(|n| "x".repeat(n)),
    ]
}

pub fn hostile_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::from(0u64)),
        Just(Value::from(u64::from(u32::MAX))),
        Just(Value::from(u64::from(u32::MAX) + 1)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(i64::MIN)),
        Just(Value::from(-1i64)),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
    ]
}

pub fn hostile_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        hostile_number(),
        hostile_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(hostile_string(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every place in a JSON value, as JSON pointers ("" is the whole value).
pub fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{here}/{escaped}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(here);
}

#[derive(Debug, Clone)]
pub enum JsonEdit {
    /// Replace a text by another text, a number by another number (the shape stays: the
    /// content reaches the checks after parsing).
    Leaf(Index, String, Value),
    /// The same, for a field of the payload itself (not of a part of it).
    Field(Index, String, Value),
    /// Replace the value at a place.
    Replace(Index, Value),
    /// Remove a field or an element.
    Remove(Index),
    /// Add a field to an object, or an element to an array, at a place.
    Add(Index, String, Value),
    /// Repeat an array's element (or wrap the value in an array) up to `n` times.
    Repeat(Index, usize),
}

pub fn json_edit() -> impl Strategy<Value = JsonEdit> {
    prop_oneof![
        4 => (any::<Index>(), hostile_string(), hostile_number())
            .prop_map(|(i, text, n)| JsonEdit::Leaf(i, text, n)),
        4 => (any::<Index>(), hostile_string(), hostile_number())
            .prop_map(|(i, text, n)| JsonEdit::Field(i, text, n)),
        3 => (any::<Index>(), hostile_value()).prop_map(|(i, v)| JsonEdit::Replace(i, v)),
        1 => any::<Index>().prop_map(JsonEdit::Remove),
        1 => (any::<Index>(), hostile_string(), hostile_value())
            .prop_map(|(i, k, v)| JsonEdit::Add(i, k, v)),
        1 => (any::<Index>(), 0usize..300).prop_map(|(i, n)| JsonEdit::Repeat(i, n)),
    ]
}

pub fn apply_edit(v: &mut Value, edit: &JsonEdit) {
    let mut places = Vec::new();
    pointers(v, String::new(), &mut places);
    let place = |i: &Index| places[i.index(places.len())].clone();
    match edit {
        JsonEdit::Leaf(i, text, n) | JsonEdit::Field(i, text, n) => {
            let top = matches!(edit, JsonEdit::Field(..));
            let leaves: Vec<&String> = places
                .iter()
                .filter(|p| !top || p.matches('/').count() == 1)
                .filter(|p| matches!(v.pointer(p), Some(Value::String(_) | Value::Number(_))))
                .collect();
            if leaves.is_empty() {
                return;
            }
            let p = leaves[i.index(leaves.len())].clone();
            if let Some(slot) = v.pointer_mut(&p) {
                *slot = match slot {
                    Value::String(_) => Value::String(text.clone()),
                    _ => n.clone(),
                };
            }
        }
        JsonEdit::Replace(i, new) => {
            if let Some(slot) = v.pointer_mut(&place(i)) {
                *slot = new.clone();
            }
        }
        JsonEdit::Remove(i) => {
            let p = place(i);
            let Some((parent, last)) = p.rsplit_once('/') else {
                return;
            };
            match v.pointer_mut(parent) {
                Some(Value::Object(m)) => {
                    m.remove(&last.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(a)) => {
                    if let Ok(n) = last.parse::<usize>() {
                        if n < a.len() {
                            a.remove(n);
                        }
                    }
                }
                _ => {}
            }
        }
        JsonEdit::Add(i, key, new) => match v.pointer_mut(&place(i)) {
            Some(Value::Object(m)) => {
                m.insert(key.clone(), new.clone());
            }
            Some(Value::Array(a)) => a.push(new.clone()),
            _ => {}
        },
        JsonEdit::Repeat(i, n) => {
            if let Some(slot) = v.pointer_mut(&place(i)) {
                let one = match &*slot {
                    Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
                    other => other.clone(),
                };
                *slot = Value::Array(vec![one; *n]);
            }
        }
    }
}

#[derive(Debug, Clone)]
pub enum ByteEdit {
    Flip(Index, u8),
    Set(Index, u8),
    Insert(Index, u8),
    Delete(Index, usize),
    Truncate(Index),
    /// Put a slice of another genuine file at a place.
    Splice(Index, usize, Index, Index),
    /// Repeat a slice of the file in place.
    Duplicate(Index, usize),
}

pub fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        any::<u8>(),
        prop::sample::select(b"\n\r-=+/ :A\0\xff\xc3\xa9".to_vec()),
    ]
}

pub fn byte_edit(files: usize) -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        2 => (any::<Index>(), interesting_byte()).prop_map(|(i, b)| ByteEdit::Set(i, b)),
        2 => (any::<Index>(), interesting_byte()).prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        2 => (any::<Index>(), 1usize..100).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
        1 => any::<Index>().prop_map(ByteEdit::Truncate),
        1 => (any::<Index>(), 0..files, any::<Index>(), any::<Index>())
            .prop_map(|(at, f, from, to)| ByteEdit::Splice(at, f, from, to)),
        1 => (any::<Index>(), 1usize..200).prop_map(|(i, n)| ByteEdit::Duplicate(i, n)),
    ]
}

pub fn apply_byte_edit(bytes: &mut Vec<u8>, edit: &ByteEdit, files: &[Vec<u8>]) {
    let len = bytes.len();
    let pos = |i: &Index| if len == 0 { 0 } else { i.index(len) };
    match edit {
        ByteEdit::Flip(i, bit) if len > 0 => bytes[pos(i)] ^= 1 << bit,
        ByteEdit::Set(i, b) if len > 0 => bytes[pos(i)] = *b,
        ByteEdit::Insert(i, b) => bytes.insert(if len == 0 { 0 } else { i.index(len + 1) }, *b),
        ByteEdit::Delete(i, n) if len > 0 => {
            let at = pos(i);
            bytes.drain(at..(at + n).min(len));
        }
        ByteEdit::Truncate(i) => bytes.truncate(pos(i)),
        ByteEdit::Splice(at, f, from, to) => {
            let other = &files[*f];
            let (a, b) = (from.index(other.len()), to.index(other.len()));
            let piece = other[a.min(b)..a.max(b)].to_vec();
            let at = pos(at);
            bytes.splice(at..at, piece);
        }
        ByteEdit::Duplicate(i, n) if len > 0 => {
            let at = pos(i);
            let piece = bytes[at..(at + n).min(len)].to_vec();
            bytes.splice(at..at, piece);
        }
        _ => {}
    }
}
