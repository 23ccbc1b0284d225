//! The modules of every crate of the workspace depend on each other without a cycle: every
//! `crate::<module>` a source file names (in a `use`, a path or a doc link) is an edge, and a
//! depth-first search over the edges finds no way back to where it started. A module can then be
//! read, and moved, with only what is below it. (The crates themselves are layered by Cargo,
//! which refuses a cycle between them.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules each file of the crate sources in `src` names with `crate::`. A module split into
/// a folder (`usage/mod.rs` and the files beside it) is one module: what any of its files names.
fn module_graph_of(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(src).expect("a crate's sources") {
        let path = entry.expect("a source file").path();
        let module = path
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let text = if path.is_dir() && path.join("mod.rs").is_file() {
            folder_text(&path)
        } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
            std::fs::read_to_string(&path).expect("readable source")
        } else {
            continue;
        };
        if module == "lib" || module == "main" {
            continue;
        }
        graph.insert(module, named_modules(&text));
    }
    for deps in graph.values_mut() {
        // `crate::Timestamp`-style paths name the crate root's re-exports, not a module.
        deps.retain(|d| d.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
    }
    for (module, deps) in &mut graph {
        deps.remove(module);
    }
    graph
}

/// Every `.rs` file under the folder `dir`, one after another.
fn folder_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("a module folder") {
        let path = entry.expect("a source file").path();
        if path.is_dir() {
            text.push_str(&folder_text(&path));
        } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
            text.push_str(&std::fs::read_to_string(&path).expect("readable source"));
            text.push('\n');
        }
    }
    text
}

/// The first path segment after every `crate::` in `text`; for `crate::{a, b::c}`, `a` and `b`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.insert(ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.remove("");
    found
}

/// A cycle in `graph`, as the modules along it, if there is one (depth-first search, colouring
/// each module white, grey while on the path, black when done).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for dep in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(dep, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// The core's graph.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    module_graph_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn the_modules_of_every_crate_depend_on_each_other_without_a_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut sources: Vec<_> = std::fs::read_dir(root.join("crates"))
        .expect("crates/")
        .map(|e| e.expect("a crate").path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    sources.push(root.join("src-tauri/src"));
    sources.push(root.join("tests/src"));
    assert!(sources.len() >= 10, "{sources:?}");
    for src in sources {
        let graph = module_graph_of(&src);
        assert_eq!(
            find_cycle(&graph),
            None,
            "the module graph of {} has a cycle",
            src.display()
        );
    }
}

#[test]
fn the_core_modules_depend_on_each_other_without_a_cycle() {
    let graph = module_graph();
    for (module, deps) in &graph {
        println!(
            "{module} -> {}",
            Vec::from_iter(deps.iter().cloned()).join(", ")
        );
        for dep in deps {
            assert!(
                graph.contains_key(dep),
                "{module} names crate::{dep}, which is no module file"
            );
        }
    }
    assert!(
        graph.len() >= 10,
        "the core's modules were not found: {graph:?}"
    );
    assert_eq!(
        find_cycle(&graph),
        None,
        "the core's module graph has a cycle"
    );
    // The circle this test was written for: the hardware description needs neither the
    // licensing model nor anything above it.
    assert!(!graph["hwid"].contains("model"), "{:?}", graph["hwid"]);
}

#[test]
fn the_cycle_search_finds_a_cycle_and_the_parser_reads_grouped_paths() {
    let edges = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, BTreeSet<String>> {
        pairs
            .iter()
            .map(|(m, deps)| (m.to_string(), deps.iter().map(|d| d.to_string()).collect()))
            .collect()
    };
    let circle = edges(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"]), ("d", &[])]);
    assert_eq!(
        find_cycle(&circle),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let tree = edges(&[("a", &["b", "c"]), ("b", &["c"]), ("c", &[])]);
    assert_eq!(find_cycle(&tree), None);
    let named = named_modules(
        "use crate::{hex, ids::{HardwareId, KeyId}, value::ValueError};\nlet x = crate::time::Timestamp::MIN;",
    );
    assert_eq!(
        Vec::from_iter(named),
        ["hex", "ids", "time", "value"].map(String::from)
    );
}
