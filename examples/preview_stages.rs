//! Where a preview rebuild's time goes: compiles a site incrementally,
//! edits one update N times (default 20) and prints each stage's median.
//!
//!     cargo run --release --example generate_site -- /tmp/site 1000
//!     cargo run --release --example preview_stages -- /tmp/site [N]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use candor::site::Cache;
use candor::site::{self, BuildOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(site) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: preview_stages SITE [N]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(20);
    let update = walkdir::WalkDir::new(site.join("content/incidents"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .expect("the site has an update");
    let opts = BuildOptions {
        site: site.clone(),
        output: None,
        drafts: true,
        now: jiff::Timestamp::now(),
        base_url: Some("http://127.0.0.1:1/".into()),
        notices: None,
        paper: None,
        lenient: false,
        locked: false,
        all_notices: false,
    };
    let mut cache = Cache::new();
    let start = Instant::now();
    site::compile_incremental(&opts, &mut cache).expect("the site builds");
    println!(
        "first build: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let original = std::fs::read_to_string(&update).expect("readable");
    let mut stages: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut totals = Vec::new();
    let pause = std::env::var("PAUSE_MS")
        .ok()
        .and_then(|p| p.parse().ok())
        .map(std::time::Duration::from_millis);
    for round in 0..rounds {
        if let Some(p) = pause {
            std::thread::sleep(p);
        }
        edit(&update, &format!("{original}\nEdit number {round}.\n"));
        let start = Instant::now();
        let compiled = site::compile_incremental(&opts, &mut cache).expect("the site builds");
        totals.push(start.elapsed().as_secs_f64() * 1000.0);
        for (name, d) in compiled.timings {
            stages
                .entry(name)
                .or_default()
                .push(d.as_secs_f64() * 1000.0);
        }
    }
    edit(&update, &original);
    for (name, mut v) in stages {
        println!("  {name:<10} {:>7.2} ms", median(&mut v));
    }
    println!(
        "rebuild: median {:.1} ms ({})",
        median(&mut totals),
        cache.stats
    );
}

fn edit(path: &Path, text: &str) {
    std::fs::write(path, text).expect("writable");
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
