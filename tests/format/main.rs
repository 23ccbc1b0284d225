//! The file format of docs/FORMAT.md held three ways: the committed vectors are what the generator
//! makes now; `licdesk`/`licdesk-issuer` give each vector the manifest's verdict and code; and an
//! independent verifier written from the document alone (tests/format/verify.py, Python) agrees,
//! on the vectors and on files the real tools have just made.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use licdesk_core::FileKind;
use licdesk_tests::format_vectors::{self, Vector};
use licdesk_tests::{built_binary, demo_vendor, demo_vendor_signing_key, target_dir, Run};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn vectors_dir() -> PathBuf {
    repo().join("docs/format-vectors")
}

/// The refusal codes of FORMAT.md §8: a tool refusing with another code accepted the format and
/// refused for what the file asks (no matching request, a missing base license, …).
const FORMAT_CODES: &[&str] = &[
    "empty_file",
    "too_large",
    "not_license_file",
    "damaged_file",
    "unsupported_format",
    "untrusted_key",
    "bad_signature",
    "invalid_content",
    "wrong_kind",
    "tampered",
];

/// A verdict: `None` when the format was accepted, else the refusal code.
type Verdict = Option<String>;

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l.trim()).ok())
        .collect()
}

/// `licdesk`'s verdict from a `--json` run: accepted, or the code it refused with.
fn desk_verdict(run: &Run) -> Verdict {
    let code = if let Ok(out) = serde_json::from_str::<Value>(&run.stdout) {
        out["files"][0]["error"]["code"]
            .as_str()
            .map(str::to_string)
    } else {
        None
    }
    .or_else(|| {
        (run.code != 0).then(|| {
            json_lines(&run.stderr)
                .iter()
                .find_map(|v| v["code"].as_str().map(str::to_string))
                .unwrap_or_else(|| panic!("licdesk failed without a JSON error: {run:?}"))
        })
    });
    code.filter(|c| FORMAT_CODES.contains(&c.as_str()))
}

/// `licdesk-issuer`'s verdict: a request file refused for itself has the desk's code of §8 as its
/// `error` (under the category `refused_file`); the issuer's own codes for a value §7.4 or §7.6
/// forbids are `invalid_content`, and those for a file above its cap `too_large`.
fn issuer_verdict(run: &Run) -> Verdict {
    if run.code == 0 {
        return None;
    }
    let err = json_lines(&run.stderr)
        .into_iter()
        .find(|v| v["error"].is_string())
        .unwrap_or_else(|| panic!("licdesk-issuer failed without a JSON error: {run:?}"));
    let code = err["error"].as_str().unwrap_or_default();
    if FORMAT_CODES.contains(&code) {
        assert_eq!(err["code"], "refused_file", "{err}");
        return Some(code.to_string());
    }
    let code = match code {
        "request_too_large" | "request_grew" => "too_large",
        "bad_nonce"
        | "bad_hardware"
        | "bad_installation_key"
        | "no_installation_key"
        | "request_invalid"
        | "not_a_certificate" => "invalid_content",
        _ => return None,
    };
    Some(code.to_string())
}

/// Runs the tools on files of a kind, each in a scratch desk (and ledger) of its own.
struct Tools {
    dir: tempfile::TempDir,
    vendor_key: PathBuf,
    count: std::cell::Cell<usize>,
}

impl Tools {
    fn new() -> Tools {
        let dir = tempfile::tempdir().expect("temp dir");
        let vendor_key = dir.path().join("demo-vendor.key");
        demo_vendor(dir.path()).expect("demo vendor key");
        Tools {
            dir,
            vendor_key,
            count: std::cell::Cell::new(0),
        }
    }

    fn fresh(&self, name: &str) -> String {
        self.count.set(self.count.get() + 1);
        let path = self.dir.path().join(format!("{}-{name}", self.count.get()));
        path.display().to_string()
    }

    fn licdesk(&self, args: &[&str]) -> Run {
        let store = self.fresh("desk.sqlite");
        Run::from(
            Command::new(built_binary("licdesk"))
                .args(["--json", "--store", &store])
                .args(args)
                .env_remove("LICDESK_STORE")
                .output()
                .expect("run licdesk"),
        )
    }

    fn issuer(&self, args: &[&str]) -> Run {
        Run::from(
            Command::new(built_binary("licdesk-issuer"))
                .arg("--json")
                .args(args)
                .output()
                .expect("run licdesk-issuer"),
        )
    }

    /// The tools' verdict on `file` read as a `kind`: the way each kind is read in practice.
    fn verdict(&self, kind: FileKind, file: &Path, failover: &str) -> Verdict {
        let f = file.display().to_string();
        let key = self.vendor_key.display().to_string();
        match kind {
            FileKind::BaseCertificate
            | FileKind::FailoverCertificate
            | FileKind::ActivationResponse
            | FileKind::Release
            | FileKind::UsageJournal => desk_verdict(&self.licdesk(&["import", &f])),
            FileKind::HardwareId => desk_verdict(&self.licdesk(&[
                "standby",
                "register",
                "--failover",
                failover,
                "--hwid-file",
                &f,
            ])),
            FileKind::VendorPublicKey => desk_verdict(&self.licdesk(&["trust", "add", &f])),
            FileKind::ActivationRequest | FileKind::ReleaseRequest => {
                let verb = if kind == FileKind::ActivationRequest {
                    "activate"
                } else {
                    "release"
                };
                let (ledger, out) = (self.fresh("ledger.sqlite"), self.fresh("answer"));
                issuer_verdict(&self.issuer(&[
                    verb,
                    "--key",
                    &key,
                    "--ledger",
                    &ledger,
                    "--request",
                    &f,
                    "--out",
                    &out,
                ]))
            }
        }
    }
}

/// The Python verifier's verdict on each file, run once over all of them.
fn python_verdicts(files: &[PathBuf]) -> BTreeMap<PathBuf, (Verdict, Value)> {
    let python = format_venv();
    let mut cmd = Command::new(&python);
    cmd.arg(repo().join("tests/format/verify.py"))
        .arg("--trust")
        .arg(repo().join("tests/data/demo-vendor.vpub"))
        .args(files);
    let run = Run::from(cmd.output().expect("run verify.py"));
    assert_eq!(run.code, 0, "verify.py failed: {}", run.stderr);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), files.len(), "verify.py said: {}", run.stdout);
    lines
        .into_iter()
        .map(|v| {
            let file = PathBuf::from(v["file"].as_str().unwrap_or_default());
            (file, (v["code"].as_str().map(str::to_string), v))
        })
        .collect()
}

/// The virtual environment with `cryptography` the verifier runs in, made when missing
/// (`python3 -m venv`: Debian's python3-venv; pip from PyPI). Fails saying why, never skips.
/// Made once for the tests of this process, which run side by side.
fn format_venv() -> PathBuf {
    static VENV: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    VENV.get_or_init(make_format_venv).clone()
}

fn make_format_venv() -> PathBuf {
    let venv = target_dir().join("format-venv");
    let python = venv.join("bin/python");
    let works = |p: &Path| {
        Command::new(p)
            .args([
                "-c",
                "import cryptography.hazmat.primitives.asymmetric.ed25519",
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works(&python) {
        return python;
    }
    let step = |what: &str, cmd: &mut Command| {
        let out = cmd.output().unwrap_or_else(|e| {
            panic!(
                "{what}: cannot start it: {e} (scripts/setup.sh installs python3 and python3-venv)"
            )
        });
        assert!(
            out.status.success(),
            "{what} failed (scripts/setup.sh installs python3-venv; pip needs PyPI): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    step(
        "python3 -m venv",
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    );
    step(
        "pip install cryptography",
        Command::new(venv.join("bin/pip")).args(["install", "--quiet", "cryptography"]),
    );
    assert!(
        works(&python),
        "{} cannot import cryptography",
        python.display()
    );
    python
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(vectors_dir().join("vectors.json")).expect("vectors.json");
    serde_json::from_str(&text).expect("vectors.json is JSON")
}

fn generated() -> Vec<Vector> {
    format_vectors::vectors(&demo_vendor_signing_key().expect("demo vendor key"))
}

#[test]
fn the_committed_vectors_are_what_the_generator_makes() {
    let vendor = demo_vendor_signing_key().expect("demo vendor key");
    let vectors = generated();
    let regenerate = "regenerate with `cargo run -p licdesk-tests --bin make-format-vectors -- docs/format-vectors`";
    for v in &vectors {
        let committed = std::fs::read(vectors_dir().join(&v.file))
            .unwrap_or_else(|e| panic!("{}: {e}: {regenerate}", v.file));
        assert!(committed == v.bytes, "{} differs: {regenerate}", v.file);
    }
    let committed = std::fs::read_to_string(vectors_dir().join("vectors.json")).expect("manifest");
    assert_eq!(
        committed,
        format_vectors::manifest(&vectors, &vendor),
        "{regenerate}"
    );
    let mut on_disk: Vec<String> = std::fs::read_dir(vectors_dir())
        .expect("vectors folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut named: Vec<String> = vectors.iter().map(|v| v.file.clone()).collect();
    named.push("vectors.json".into());
    named.sort();
    assert_eq!(on_disk, named, "files in docs/format-vectors: {regenerate}");
    // Every kind has a valid vector and the invalid ones cover every code of §8 but wrong_kind.
    for kind in FileKind::ALL {
        assert!(
            vectors.iter().any(|v| v.kind == kind && v.code.is_none()),
            "no valid {kind:?}"
        );
    }
    for code in FORMAT_CODES.iter().filter(|c| **c != "wrong_kind") {
        assert!(vectors.iter().any(|v| v.code == Some(*code)), "no {code}");
    }
}

#[test]
fn the_tools_and_the_python_verifier_give_every_vector_its_verdict() {
    let m = manifest();
    let entries = m["vectors"].as_array().expect("vectors");
    let kinds: BTreeMap<&str, FileKind> = FileKind::ALL.iter().map(|k| (k.tag(), *k)).collect();
    let failover = licdesk_core::LicenseNumber::from_random(
        licdesk_core::LicenseProduct::FailoverSuite,
        [6, 7, 8, 9, 10],
    )
    .to_string();
    let files: Vec<PathBuf> = entries
        .iter()
        .map(|e| vectors_dir().join(e["file"].as_str().expect("file")))
        .collect();
    let python = python_verdicts(&files);
    let tools = Tools::new();
    let mut disagreements = Vec::new();
    for (e, file) in entries.iter().zip(&files) {
        let expected: Verdict = e["code"].as_str().map(str::to_string);
        assert_eq!(
            e["verdict"].as_str(),
            Some(if expected.is_some() {
                "invalid"
            } else {
                "valid"
            })
        );
        let kind = kinds[e["kind"].as_str().expect("kind")];
        let tool = tools.verdict(kind, file, &failover);
        let (py, detail) = &python[file];
        if tool != expected || *py != expected {
            disagreements.push(format!(
                "{}: manifest {expected:?}, tools {tool:?}, verify.py {py:?} ({})",
                e["file"], detail["detail"]
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} vectors:\n{}",
        disagreements.len(),
        entries.len(),
        disagreements.join("\n")
    );
}

#[test]
fn the_python_verifier_accepts_what_the_tools_just_made() {
    let tools = Tools::new();
    let dir = tools.dir.path();
    let p = |name: &str| dir.join(name).display().to_string();
    let key = tools.vendor_key.display().to_string();
    let ledger = p("vendor-ledger.sqlite");
    let store = p("made.sqlite");
    let desk = |args: &[&str]| {
        Run::from(
            Command::new(built_binary("licdesk"))
                .args(["--json", "--store", &store])
                .args(args)
                .env_remove("LICDESK_STORE")
                .output()
                .expect("run licdesk"),
        )
        .ok()
    };
    let issued = tools
        .issuer(&[
            "issue",
            "--key",
            &key,
            "--customer",
            "Format Prüfung AG",
            "--users",
            "250",
            "--extension",
            "XOM.11000:Fax Gateway:2",
            "--out",
            &p("made.lic"),
        ])
        .ok()
        .json();
    let base = issued["license"].as_str().expect("license").to_string();
    let fo = tools
        .issuer(&[
            "issue-failover",
            "--key",
            &key,
            "--base",
            &base,
            "--out",
            &p("made-fo.lic"),
        ])
        .ok()
        .json()["license"]
        .as_str()
        .expect("license")
        .to_string();
    tools
        .issuer(&[
            "keygen",
            "--out",
            &p("other-vendor.key"),
            "--vendor",
            "Other Vendor GmbH",
        ])
        .ok();
    desk(&["import", &p("made.lic"), &p("made-fo.lic")]);
    desk(&["hwid", "--out", &p("made.hwid")]);
    desk(&["standby", "register", "--failover", &fo, "--this-machine"]);
    desk(&[
        "request",
        "--license",
        &fo,
        "--role",
        "standby",
        "--out",
        &p("made.actreq"),
    ]);
    tools
        .issuer(&[
            "activate",
            "--key",
            &key,
            "--ledger",
            &ledger,
            "--request",
            &p("made.actreq"),
            "--out",
            &p("made.actresp"),
        ])
        .ok();
    desk(&["import", &p("made.actresp")]);
    desk(&["journal", "append", "--state", "load"]);
    desk(&["journal", "export", "--out", &p("made.journal")]);
    desk(&[
        "standby",
        "release-request",
        "--failover",
        &fo,
        "--out",
        &p("made.relreq"),
    ]);
    tools
        .issuer(&[
            "release",
            "--key",
            &key,
            "--ledger",
            &ledger,
            "--request",
            &p("made.relreq"),
            "--out",
            &p("made.release"),
        ])
        .ok();
    let made = [
        ("made.lic", FileKind::BaseCertificate),
        ("made-fo.lic", FileKind::FailoverCertificate),
        ("made.hwid", FileKind::HardwareId),
        ("made.actreq", FileKind::ActivationRequest),
        ("made.actresp", FileKind::ActivationResponse),
        ("made.journal", FileKind::UsageJournal),
        ("made.relreq", FileKind::ReleaseRequest),
        ("made.release", FileKind::Release),
        ("other-vendor.vpub", FileKind::VendorPublicKey),
    ];
    let files: Vec<PathBuf> = made.iter().map(|(f, _)| dir.join(f)).collect();
    let python = python_verdicts(&files);
    for ((name, kind), file) in made.iter().zip(&files) {
        let (py, detail) = &python[file];
        assert_eq!(*py, None, "verify.py refused {name}: {detail}");
        assert_eq!(detail["kind"].as_str(), Some(kind.tag()), "{name}");
        assert_eq!(
            tools.verdict(*kind, file, &fo),
            None,
            "the tools refused {name}"
        );
    }
}
