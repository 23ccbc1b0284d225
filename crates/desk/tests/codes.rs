//! docs/CODES.md names every code a shell may meet: each `ErrorCode`, each `NextStep` and each
//! `CheckProblem` (read from their sources, so that a new variant without a line fails here).

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The variant names of `enum NAME` in `source`.
fn variants(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("enum {name} not found"));
    let body = &source[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#'))
        .filter_map(|l| {
            let first = l.split([' ', ',', '{', '(']).next()?;
            let is_variant = first.chars().next()?.is_ascii_uppercase()
                && (l.ends_with(',') || l.ends_with('{'));
            is_variant.then(|| snake(first))
        })
        .collect()
}

#[test]
fn every_code_a_shell_may_meet_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("docs/CODES.md")).unwrap();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let sets = [
        (variants(&read("crates/desk/src/error.rs"), "ErrorCode"), 30),
        (
            variants(&read("crates/desk/src/next_step.rs"), "NextStep"),
            15,
        ),
        (
            variants(&read("crates/desk/src/check/problem.rs"), "CheckProblem"),
            10,
        ),
    ];
    for (codes, at_least) in sets {
        assert!(codes.len() >= at_least, "{codes:?}");
        for code in codes {
            assert!(
                doc.contains(&format!("| `{code}` |")),
                "docs/CODES.md does not name `{code}`"
            );
        }
    }
}
