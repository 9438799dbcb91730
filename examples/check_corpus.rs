//! Measure `candor check` on the corpus of notices in `tests/corpus/check/`
//! (issue #16): for each case, build its site in a temporary folder, check
//! it, and compare the findings with the case's expected ones by rule and
//! level. Prints every miss and false alarm, then precision and recall.
//!
//!   cargo run --release --example check_corpus [CASE ...]
//!
//! Overdue deadlines count as findings `<regime>.deadline.<id>` at error
//! level. It measures; it does not gate (the corpus test that gates at 0.95
//! comes with the rules that reach it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use candor::check::{CheckOptions, check};

type Finding = (String, String);

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/check");
    let only: Vec<String> = std::env::args().skip(1).collect();
    let base: toml::Table =
        toml::from_str(&read(&root.join("base-site.toml"))).expect("base-site.toml parses");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .expect("cases/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| only.is_empty() || only.iter().any(|o| p.ends_with(o)))
        .collect();
    cases.sort();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut errors_on_compliant = 0;
    for case in &cases {
        let id = case.file_name().unwrap().to_string_lossy().into_owned();
        let spec: toml::Table =
            toml::from_str(&read(&case.join("case.toml"))).expect("case.toml parses");
        let expected = expected(&spec);
        let found = match run(case, &id, &base, &spec) {
            Ok(found) => found,
            Err(why) => {
                println!("{id}: the site does not build: {why}");
                fn_ += expected.len();
                continue;
            }
        };
        let mut unmatched = found.clone();
        for e in &expected {
            match unmatched.iter().position(|f| f == e) {
                Some(i) => {
                    unmatched.remove(i);
                    tp += 1;
                }
                None => {
                    fn_ += 1;
                    println!("{id}: missed {} ({})", e.0, e.1);
                }
            }
        }
        for f in &unmatched {
            fp += 1;
            println!("{id}: false {} {}", f.1, f.0);
        }
        if expected.is_empty() && unmatched.iter().any(|f| f.1 == "error") {
            errors_on_compliant += 1;
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "\n{} cases: {tp} found as expected, {fp} false, {fn_} missed; precision {precision:.2}, recall {recall:.2}; compliant cases with a false error: {errors_on_compliant}",
        cases.len()
    );
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The expected findings, each (rule, level) once.
fn expected(spec: &toml::Table) -> Vec<Finding> {
    let mut out: Vec<Finding> = spec
        .get("expect")
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e.get("rule")?.as_str()?.to_string(),
                e.get("level")?.as_str()?.to_string(),
            ))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Build the case's site and check it: its findings, each (rule, level) once.
fn run(
    case: &Path,
    id: &str,
    base: &toml::Table,
    spec: &toml::Table,
) -> Result<Vec<Finding>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let site = dir.path();
    let mut settings = base.clone();
    if let Some(over) = spec.get("site").and_then(|s| s.as_table()) {
        for (k, v) in over {
            settings.insert(k.clone(), v.clone());
        }
    }
    std::fs::write(
        site.join("site.toml"),
        toml::to_string(&settings).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let incident = site.join("content/incidents").join(id);
    std::fs::create_dir_all(&incident).map_err(|e| e.to_string())?;
    for e in std::fs::read_dir(case)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            std::fs::copy(e.path(), incident.join(&name)).map_err(|e| e.to_string())?;
        }
    }
    let now = spec
        .get("now")
        .and_then(|n| n.as_str())
        .unwrap_or("2026-12-01T12:00:00Z");
    let now = candor::base::time::parse_instant(now)?;
    let report = check(&CheckOptions {
        site: site.to_path_buf(),
        now,
    })
    .map_err(|f| {
        f.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.locus(), d.message))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let mut found: BTreeMap<Finding, ()> = BTreeMap::new();
    for d in &report.findings {
        let level = if d.is_error() { "error" } else { "warning" };
        let rule = d
            .rule
            .as_ref()
            .map_or_else(|| "(no rule)".to_string(), |r| r.id.clone());
        found.insert((rule, level.to_string()), ());
    }
    for row in report.deadlines.iter().filter(|r| r.overdue) {
        found.insert(
            (
                format!("{}.deadline.{}", row.regime, row.id),
                "error".to_string(),
            ),
            (),
        );
    }
    Ok(found.into_keys().collect())
}
