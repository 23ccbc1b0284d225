//! docs/CODES.md names every code a shell may meet: each `ErrorCode`, each `NextStep`, each
//! `CheckProblem` and each refusal (the variants of `Refusal`'s enums, by their `refusal` tag),
//! read from their sources, so that a new variant without a line fails here.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

#[path = "common/enum_variants.rs"]
mod enum_variants;
use enum_variants::variants;

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

/// Metrics list every monitoring problem by its code (zero when none): the list is complete.
#[test]
fn the_metrics_name_every_monitoring_problem() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let source = std::fs::read_to_string(root.join("crates/desk/src/check/problem.rs")).unwrap();
    assert_eq!(
        variants(&source, "CheckProblem"),
        licdesk_desk::CheckProblem::CODES
    );
}

#[test]
fn every_refusal_is_documented_with_its_tag() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("docs/CODES.md")).unwrap();
    // The section of the refusals, up to the next section.
    let start = doc.find("## Which refusal").expect("a section of refusals");
    let section = &doc[start..];
    let section = &section[..section[2..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 2)];
    let read =
        |p: &str| std::fs::read_to_string(root.join("crates/desk/src/refusal").join(p)).unwrap();
    let mod_rs = read("mod.rs");
    let enums = [
        ("import.rs", "ImportRefusal"),
        ("standby.rs", "StandbyRefusal"),
        ("response.rs", "ResponseRefusal"),
        ("journal.rs", "JournalRefusal"),
    ];
    let mut count = 0;
    for (file, name) in enums {
        // Each use case's enum is a variant of `Refusal`.
        assert!(
            mod_rs.contains(&format!("(#[from] {name})")),
            "Refusal does not wrap {name}"
        );
        for tag in variants(&read(file), name) {
            count += 1;
            assert!(
                section.contains(&format!("| `{tag}` |")),
                "docs/CODES.md does not name the refusal `{tag}` ({name})"
            );
        }
    }
    // …and `Refusal` wraps no other.
    assert_eq!(variants(&mod_rs, "Refusal").len(), enums.len());
    assert!(count >= 60, "{count}");
}
