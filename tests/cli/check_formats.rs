//! `licdesk check` for machines and other monitoring systems: `--json`, a Checkmk local check
//! (`--format checkmk`) and Prometheus metrics (`--format prometheus`), each read back line by
//! line as those systems parse them; every count present, zero on an empty store.

use crate::support::*;

/// A Prometheus sample: its name, its labels (unescaped) and its value.
type Sample = (String, Vec<(String, String)>, f64);

/// A Checkmk local check line: `STATUS "SERVICE" METRICS TEXT`, returned as (status, service,
/// metric names, text).
fn checkmk_line(line: &str) -> (u8, String, Vec<String>, String) {
    let (status, rest) = line.split_once(' ').unwrap();
    let status: u8 = status.parse().unwrap();
    assert!(status <= 3, "{line}");
    let rest = rest.strip_prefix('"').unwrap_or_else(|| panic!("{line}"));
    let (service, rest) = rest.split_once("\" ").unwrap();
    assert!(!service.contains('"'), "{line}");
    let (metrics, text) = rest.split_once(' ').unwrap();
    let names = if metrics == "-" {
        Vec::new()
    } else {
        metrics
            .split('|')
            .map(|m| {
                let (name, values) = m.split_once('=').unwrap_or_else(|| panic!("{line}"));
                let fields: Vec<&str> = values.split(';').collect();
                assert!(fields.len() <= 5, "{line}");
                for f in fields.iter().filter(|f| !f.is_empty()) {
                    f.parse::<f64>().unwrap_or_else(|_| panic!("{m} in {line}"));
                }
                name.to_string()
            })
            .collect()
    };
    assert!(!text.contains(['\n', ';', '|']), "{line}");
    (status, service.to_string(), names, text.to_string())
}

/// The labels of a sample, `{name="value",…}` at the start of `text` (values unescaped), and
/// what follows them.
fn prometheus_labels<'a>(text: &'a str, line: &str) -> (Vec<(String, String)>, &'a str) {
    let mut labels = Vec::new();
    let mut rest = text.strip_prefix('{').unwrap_or_else(|| panic!("{line}"));
    loop {
        let (label, after) = rest.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
        assert!(
            !label.is_empty() && label.chars().all(|c| c.is_ascii_lowercase()),
            "{line}"
        );
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next().unwrap_or_else(|| panic!("{line}")) {
                (_, '\\') => match chars.next().unwrap_or_else(|| panic!("{line}")).1 {
                    '\\' => value.push('\\'),
                    '"' => value.push('"'),
                    'n' => value.push('\n'),
                    c => panic!("escape \\{c} in {line}"),
                },
                (i, '"') => break i,
                (_, c) => value.push(c),
            }
        };
        labels.push((label.to_string(), value));
        rest = &after[end + 1..];
        if let Some(r) = rest.strip_prefix(',') {
            rest = r;
        } else {
            let r = rest.strip_prefix('}').unwrap_or_else(|| panic!("{line}"));
            return (labels, r);
        }
    }
}

/// Prometheus text exposition: every sample's family announced by `# HELP` and `# TYPE gauge`
/// just before it, names `licdesk_…`, label values escaped. Returns each sample as (name,
/// labels unescaped, value).
fn prometheus_samples(text: &str) -> Vec<Sample> {
    let valid_name = |n: &str| {
        n.starts_with("licdesk_") && n.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    };
    let (mut helped, mut typed) = (None::<String>, None::<String>);
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').unwrap_or_else(|| panic!("{line}"));
            assert!(valid_name(name) && !help.is_empty(), "{line}");
            helped = Some(name.to_string());
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap_or_else(|| panic!("{line}"));
            assert_eq!(helped.as_deref(), Some(name), "{line}");
            assert_eq!(kind, "gauge", "{line}");
            typed = Some(name.to_string());
        } else {
            let end = line.find(['{', ' ']).unwrap_or_else(|| panic!("{line}"));
            let name = &line[..end];
            assert!(valid_name(name), "{line}");
            assert_eq!(typed.as_deref(), Some(name), "{line}");
            let (labels, rest) = if line[end..].starts_with('{') {
                prometheus_labels(&line[end..], line)
            } else {
                (Vec::new(), &line[end..])
            };
            let value = rest.strip_prefix(' ').unwrap_or_else(|| panic!("{line}"));
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
            samples.push((name.to_string(), labels, value));
        }
    }
    samples
}

/// The value of the sample `name` whose labels include `with`.
fn sample(samples: &[Sample], name: &str, with: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, labels, _)| {
            n == name
                && with
                    .iter()
                    .all(|(l, v)| labels.iter().any(|(ll, vv)| ll == l && vv == v))
        })
        .map(|s| s.2)
}

#[test]
fn an_empty_store_has_every_count_zero_in_every_format() {
    let w = World::new();
    w.desk("empty", &["list"]).ok();
    let run = check(&w, "empty");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("\n| standbys=0;;;0 journals=0;;;0 problems=0;;;0 "),
        "{}",
        run.stdout
    );
    let json = w.desk("empty", &["--json", "check"]).json();
    assert_eq!(json["status"], "OK");
    assert_eq!(json["counts"]["standbys"], 0);
    assert_eq!(json["counts"]["violations"], 0);
    assert_eq!(json["standbys"], serde_json::json!([]));

    let run = w.desk("empty", &["check", "--format", "checkmk"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let (status, service, metrics, text) = checkmk_line(lines[0]);
    assert_eq!((status, service.as_str()), (0, "License Desk"));
    assert_eq!(metrics, ALWAYS_LABELS);
    assert!(text.contains("all within the rules"), "{text}");

    let run = w.desk("empty", &["check", "--format", "prometheus"]);
    assert_eq!(run.code, 0);
    let samples = prometheus_samples(&run.stdout);
    assert_eq!(sample(&samples, "licdesk_check_status", &[]), Some(0.0));
    assert_eq!(sample(&samples, "licdesk_standbys", &[]), Some(0.0));
    for code in licdesk_desk::CheckProblem::CODES {
        assert_eq!(
            sample(&samples, "licdesk_problems", &[("code", code)]),
            Some(0.0),
            "{code}"
        );
    }
    assert!(samples.iter().all(|s| !s.0.starts_with("licdesk_standby_")));
}

#[test]
fn checkmk_and_prometheus_name_each_standby_with_its_host_escaped_and_json_types_it() {
    let w = World::new();
    let v = setup(&w);
    let (base, bf) = w.issue_base(&v, "Formats AG", "25", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    w.desk("main", &["import", &bf, &ff]).ok();
    // A host name label with a quote and a backslash (a line end is refused where it enters).
    let host = "we\"ird\\host";
    let key = licdesk_core::SigningKey::from_bytes(&[31; 32]);
    let (hwid, _) = hwid_file(&w, host, &key);
    w.desk(
        "main",
        &[
            "standby",
            "register",
            "--failover",
            &fo,
            "--hwid-file",
            &hwid,
        ],
    )
    .ok();
    activate_standby(&w, &v, "main", &fo);
    assert_eq!(check(&w, "main").code, 0);
    // No key trusts the certificates any more: CRITICAL, for the desk and for the standby.
    raw_store(&w.path("main.sqlite"))
        .execute("DELETE FROM trusted_keys", [])
        .unwrap();
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);

    let run = w.desk("main", &["check", "--format", "checkmk"]);
    assert_eq!(run.code, 0, "the state is in the output: {}", run.stdout);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    let (status, service, metrics, text) = checkmk_line(lines[0]);
    assert_eq!((status, service.as_str()), (2, "License Desk"));
    assert_eq!(metrics, ALWAYS_LABELS);
    assert!(lines[0].contains("|standbys=1;;;0|") || lines[0].contains(" standbys=1;;;0|"));
    assert!(
        text.contains("vendor trust fails") && text.ends_with("(+1 more)"),
        "{text}"
    );
    let (status, service, metrics, text) = checkmk_line(lines[1]);
    assert_eq!(
        (status, service.as_str()),
        (2, format!("License Desk standby {fo}").as_str())
    );
    assert_eq!(metrics, ["unaccounted_seconds"]);
    assert!(
        text.starts_with(&format!("{host} - CRITICAL: {fo}: vendor trust fails")),
        "{text}"
    );

    let run = w.desk("main", &["check", "--format", "prometheus"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains(&format!(
            "licdesk_standby_status{{failover=\"{fo}\",host=\"we\\\"ird\\\\host\"}} 2\n"
        )),
        "{}",
        run.stdout
    );
    let samples = prometheus_samples(&run.stdout);
    let standby = [("failover", fo.as_str()), ("host", host)];
    assert_eq!(sample(&samples, "licdesk_check_status", &[]), Some(2.0));
    assert_eq!(sample(&samples, "licdesk_standbys", &[]), Some(1.0));
    assert_eq!(
        sample(
            &samples,
            "licdesk_problems",
            &[("code", "vendor_trust_fails")]
        ),
        Some(2.0)
    );
    assert_eq!(
        sample(&samples, "licdesk_standby_status", &standby),
        Some(2.0)
    );
    let unaccounted = sample(&samples, "licdesk_standby_unaccounted_seconds", &standby).unwrap();
    assert!((0.0..3600.0).contains(&unaccounted), "{unaccounted}");
    assert_eq!(
        sample(&samples, "licdesk_standby_load_seconds", &standby),
        None
    );

    let json = w.desk("main", &["--json", "check"]).json();
    assert_eq!(json["status"], "CRITICAL");
    assert_eq!(json["counts"]["trust_failures"], 2);
    assert_eq!(json["standbys"][0]["failover"], fo.as_str());
    assert_eq!(json["standbys"][0]["host"], host);
    assert_eq!(json["standbys"][0]["status"], "CRITICAL");
    assert_eq!(json["findings"][0]["code"], "vendor_trust_fails");
}

#[test]
fn a_check_that_cannot_be_made_is_unknown_in_every_format() {
    let w = World::new();
    let missing = w.p("nowhere.sqlite");
    let run = |args: &[&str]| {
        Run::from(
            std::process::Command::new(binary("licdesk"))
                .arg("--store")
                .arg(&missing)
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let checkmk = run(&["check", "--format", "checkmk"]);
    assert_eq!(checkmk.code, 0);
    let (status, service, metrics, text) = checkmk_line(checkmk.stdout.trim_end());
    assert_eq!((status, service.as_str()), (3, "License Desk"));
    assert!(
        metrics.is_empty() && text.starts_with("there is no store at"),
        "{text}"
    );
    let prometheus = run(&["check", "--format=prometheus"]);
    assert_eq!(prometheus.code, 0);
    let samples = prometheus_samples(&prometheus.stdout);
    assert_eq!(samples.len(), 1);
    assert_eq!(sample(&samples, "licdesk_check_status", &[]), Some(3.0));
    // A usage error answers in the format asked for.
    let usage = run(&["check", "--format", "prometheus", "--bogus"]);
    assert_eq!(
        sample(
            &prometheus_samples(&usage.stdout),
            "licdesk_check_status",
            &[]
        ),
        Some(3.0)
    );
    // --json is the machines' own format: combined with --format, a usage error.
    let both = run(&["--json", "check", "--format", "checkmk"]);
    assert_eq!(both.code, 3);
    assert_eq!(both.json()["status"], "UNKNOWN");
    assert!(!std::path::Path::new(&missing).exists());
}
