//! The layers of `src/` look only down: each module imports from the layers
//! below its own, never from a layer above or a command beside it, and the
//! files of one layer import each other without a cycle. Zola gets this
//! from one crate per component; candor, one crate, gets it from this test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. Commands share a rank and never import each
/// other.
const LAYERS: &[(&str, usize)] = &[
    ("base", 0),
    ("embedded", 0),
    ("load", 1),
    ("markdown", 2),
    ("record", 3),
    ("model", 4),
    ("render", 5),
    ("site", 6),
    ("check", 7),
    ("preview", 7),
    ("recipients", 7),
    ("scaffold", 7),
    ("verify", 7),
    ("cli", 8),
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().find(|(l, _)| *l == layer).map(|(_, r)| *r)
}

/// One `crate::` or `super::` path in a file.
#[derive(Debug)]
struct Reference {
    line: usize,
    /// The segments after `crate::`, as far as they name modules.
    path: Vec<String>,
}

/// Every `crate::…` path in `text` (comments left out), with its line.
/// `use crate::a::{b, c::d}` gives `a::b` and `a::c::d`.
fn references(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let path: Vec<String> = after
                .split("::")
                .map(|s| {
                    s.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|s| !s.is_empty())
                .collect();
            if !path.is_empty() {
                out.push(Reference { line: i + 1, path });
            }
            rest = after;
        }
    }
    out
}

/// A source file's layer and module (`render/notices.rs` → `render`,
/// `render::notices`).
fn module_of(rel: &str) -> (String, String) {
    let rel = rel.trim_end_matches(".rs");
    let parts: Vec<&str> = rel.split('/').filter(|p| *p != "mod").collect();
    (parts[0].to_string(), parts.join("::"))
}

/// Problems in one file: imports that look up or sideways.
fn check_file(rel: &str, text: &str) -> Vec<String> {
    let (layer, _) = module_of(rel);
    if layer == "lib" || layer == "main" {
        return Vec::new();
    }
    let Some(own) = rank(&layer) else {
        return vec![format!(
            "src/{rel}: the folder `{layer}` is not in the table of layers in tests/it/layers.rs"
        )];
    };
    let mut problems = Vec::new();
    for r in references(text) {
        let target = r.path[0].as_str();
        if target == layer {
            continue;
        }
        match rank(target) {
            Some(t) if t < own => {}
            Some(t) if t == own => problems.push(format!(
                "src/{rel}:{}: `crate::{}` is a command beside `{layer}`: commands never import each other; move what both need to a lower layer",
                r.line,
                r.path.join("::")
            )),
            Some(_) => problems.push(format!(
                "src/{rel}:{}: `crate::{}` is in a layer above `{layer}`: move what it needs down, or the code up",
                r.line,
                r.path.join("::")
            )),
            None => problems.push(format!("src/{rel}:{}: `crate::{target}` is in no layer", r.line)),
        }
    }
    problems
}

/// Import cycles between the files of one layer (a folder's `mod.rs` is its
/// front door and left out).
fn cycles(files: &BTreeMap<String, String>) -> Vec<String> {
    let modules: BTreeSet<String> = files.keys().map(|rel| module_of(rel).1).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in files {
        let (layer, module) = module_of(rel);
        if rel.ends_with("mod.rs") {
            continue;
        }
        for r in references(text) {
            if r.path[0] != layer {
                continue;
            }
            // The longest module that the path names.
            let target = (1..=r.path.len())
                .rev()
                .map(|n| r.path[..n].join("::"))
                .find(|m| modules.contains(m) && m.contains("::"));
            if let Some(t) = target.filter(|t| *t != module) {
                edges.entry(module.clone()).or_default().insert(t);
            }
        }
        let parent = module.rsplit_once("::").map(|(p, _)| p.to_string());
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for (i, _) in code.match_indices("super::") {
                let name: String = code[i + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if let Some(p) = &parent {
                    let t = format!("{p}::{name}");
                    if modules.contains(&t) && t != module {
                        edges.entry(module.clone()).or_default().insert(t);
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    for start in edges.keys() {
        // Depth-first from each module: a path back to it is a cycle.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, path)) = stack.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.push(start.clone());
                    found.push(format!("import cycle: {}", cycle.join(" → ")));
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found
}

fn source_files() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    for entry in walkdir(&src) {
        let rel = entry
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.insert(rel, std::fs::read_to_string(&entry).unwrap());
    }
    files
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

#[test]
fn layers_only_look_down() {
    let files = source_files();
    let mut problems: Vec<String> = files
        .iter()
        .flat_map(|(rel, text)| check_file(rel, text))
        .collect();
    problems.extend(cycles(&files));
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
    // The table covers every folder, and every folder is a layer.
    let layers: BTreeSet<String> = files.keys().map(|rel| module_of(rel).0).collect();
    for l in &layers {
        assert!(l == "lib" || l == "main" || rank(l).is_some(), "{l}");
    }
}

/// The test bites: an upward import, a command importing another, and a
/// cycle are each reported, naming the file and line.
#[test]
fn the_layer_test_catches_what_it_must() {
    let up = check_file(
        "load/config.rs",
        "use crate::base::text;\nuse crate::check::REGIMES;\n",
    );
    assert_eq!(up.len(), 1, "{up:?}");
    assert!(up[0].starts_with("src/load/config.rs:2:"), "{up:?}");
    assert!(up[0].contains("layer above"), "{up:?}");
    let inline = check_file(
        "render/notices.rs",
        "fn f() { crate::site::write_error(); }\n",
    );
    assert_eq!(inline.len(), 1, "{inline:?}");
    let sideways = check_file("check/mod.rs", "use crate::preview::serve;\n");
    assert!(
        sideways[0].contains("commands never import each other"),
        "{sideways:?}"
    );
    let fine = check_file(
        "site/mod.rs",
        "use crate::render::{pages, Templates}; // crate::cli\n",
    );
    assert!(fine.is_empty(), "{fine:?}");
    let mut files = BTreeMap::new();
    files.insert(
        "render/a.rs".to_string(),
        "use crate::render::b::X;\n".to_string(),
    );
    files.insert("render/b.rs".to_string(), "use super::a::Y;\n".to_string());
    let found = cycles(&files);
    assert!(
        found
            .iter()
            .any(|c| c.contains("render::a → render::b → render::a")),
        "{found:?}"
    );
}
