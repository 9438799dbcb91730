//! How long from saving a file to the preview telling open pages to reload.
//!
//!     cargo bench --bench reload
//!
//! Starts `candor serve` (the library, release build) on a copy of the
//! example site and on generated sites of 1,000 and 10,000 updates, of
//! both shapes (`benches/support`; `SHAPES=short,long`), holds the event
//! stream open like a browser tab, edits an update 20 times and reports the
//! median and 90th percentile from the write to the `reload` event, and the
//! median of each rebuild stage. `ROUNDS=N` sets the edits, `SIZES=1000`
//! measures only the generated sites of that size, `GAP_MS=N` waits N ms between
//! edits (300), `SHOW_ALL=1` prints every latency.

mod support;

// As the `candor` binary does.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use candor::preview::serve::{self, ServeOptions};

fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        // Without its published record: the edits below change a
        // published update, which the record would (rightly) refuse.
        if rel.starts_with("public")
            || rel.starts_with("notices")
            || rel == Path::new("record.jsonl")
        {
            continue;
        }
        let target = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn measure(name: &str, site: &Path, update: &Path, rounds: usize) {
    let handle = serve::start(ServeOptions {
        site: site.to_path_buf(),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        drafts: true,
        now: None,
        limits: Default::default(),
    })
    .expect("preview starts");
    let mut s = TcpStream::connect(handle.preview.addr()).unwrap();
    write!(s, "GET /_candor/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    while !line.starts_with("retry:") {
        line.clear();
        reader.read_line(&mut line).unwrap();
    }
    let original = std::fs::read_to_string(update).unwrap();
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    let mut stages: Vec<(&str, Vec<f64>)> = Vec::new();
    let gap = std::env::var("GAP_MS")
        .ok()
        .and_then(|g| g.parse().ok())
        .unwrap_or(300);
    for round in 0..rounds {
        std::thread::sleep(Duration::from_millis(gap));
        let start = Instant::now();
        std::fs::write(update, format!("{original}\nEdit number {round}.\n")).unwrap();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line.starts_with("event: reload") {
                break;
            }
            assert!(!line.starts_with("event: failed"), "the build failed");
        }
        latencies.push(start.elapsed().as_secs_f64() * 1000.0);
        if let Some((_, took)) = *handle.preview.last_build.lock().unwrap() {
            rebuilds.push(took.as_secs_f64() * 1000.0);
        }
        for (name, took) in handle.preview.last_timings.lock().unwrap().iter() {
            let ms = took.as_secs_f64() * 1000.0;
            match stages.iter_mut().find(|(n, _)| n == name) {
                Some((_, v)) => v.push(ms),
                None => stages.push((name, vec![ms])),
            }
        }
    }
    let mut sorted = latencies.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let p90 = sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)];
    if std::env::var_os("SHOW_ALL").is_some() {
        println!("{latencies:.0?}");
    }
    println!(
        "{name:<28} save → reload event: median {:>6.1} ms, p90 {:>6.1} ms; rebuild alone: median {:>6.1} ms ({rounds} edits, {} files served)",
        support::median(&mut latencies),
        p90,
        support::median(&mut rebuilds),
        handle.preview.snapshot().files.len()
    );
    let stages: Vec<String> = stages
        .into_iter()
        .map(|(name, mut v)| format!("{} {:.1}", name.trim(), support::median(&mut v)))
        .collect();
    println!("{:<28} stages (median ms): {}", "", stages.join(", "));
    handle.stop();
}

fn main() {
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    if std::env::var_os("SIZES").is_none() {
        let example = tempfile::tempdir().unwrap();
        copy_dir(&root.join("example-site"), example.path());
        let update = example
            .path()
            .join("content/incidents/customer-database-2026/2026-11-20-1700-scam-warning.md");
        measure("example site", example.path(), &update, rounds);
    }

    let shapes = std::env::var("SHAPES").unwrap_or_else(|_| "short,long".into());
    let sizes = std::env::var("SIZES").unwrap_or_else(|_| "1000,10000".into());
    for n in [1_000, 10_000] {
        if !sizes.split(',').any(|s| s.trim() == n.to_string()) {
            continue;
        }
        for shape in [support::Shape::Short, support::Shape::Long] {
            if !shapes.split(',').any(|s| s.trim() == shape.name()) {
                continue;
            }
            let big = tempfile::tempdir().unwrap();
            support::generate(big.path(), n, shape);
            let update = big.path().join("content/incidents/incident-3/u005.md");
            measure(
                &format!("{n} updates, {}", shape.name()),
                big.path(),
                &update,
                rounds,
            );
        }
    }
}
