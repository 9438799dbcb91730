//! Memory of the preview across many rebuilds: starts `candor serve` (the
//! library) on a copy of the example site, rebuilds it N times (default
//! 10,000) and prints the resident memory every tenth of the way. Flat is good.
//!
//!     cargo run --release --example rebuild_memory -- [N]

use std::path::Path;

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("candor-rebuild-memory-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for e in walkdir::WalkDir::new(root.join("example-site"))
        .into_iter()
        .flatten()
    {
        let rel = e
            .path()
            .strip_prefix(root.join("example-site"))
            .unwrap_or(e.path());
        if rel.starts_with("public") || rel.starts_with("notices") {
            continue;
        }
        let target = dir.join(rel);
        if e.file_type().is_dir() {
            let _ = std::fs::create_dir_all(&target);
        } else {
            let _ = std::fs::copy(e.path(), &target);
        }
    }
    let handle = candor::preview::serve::start(candor::preview::serve::ServeOptions {
        site: dir.clone(),
        bind: "127.0.0.1"
            .parse()
            .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1])),
        port: 0,
        drafts: true,
        now: None,
        limits: Default::default(),
    });
    let Ok(handle) = handle else {
        eprintln!("could not start the preview");
        std::process::exit(2);
    };
    let start = std::time::Instant::now();
    println!("rebuilds  rss_kib");
    println!("{:>8}  {:>7}", 0, rss_kb());
    for i in 1..=n {
        let errors = handle.preview.rebuild();
        assert!(errors.is_empty(), "the example site failed to build");
        if i % (n / 10).max(1) == 0 {
            println!("{i:>8}  {:>7}", rss_kb());
        }
    }
    println!("{n} rebuilds in {:.1} s", start.elapsed().as_secs_f64());
    handle.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
