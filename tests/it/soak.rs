//! Watcher soak: 1,000 random creates, edits, renames and deletes (with
//! editor-style rename-on-save and swap files) while the preview runs; at
//! the end it serves exactly what a fresh build makes.

use std::time::{Duration, Instant};

use crate::common::{Lcg, Site};
use candor::base::output::FileData;
use candor::site::{self, BuildOptions};

fn faq(n: u64, rev: u64) -> String {
    format!(
        "+++\nquestion = \"Question {n}?\"\ncategory = \"Soak\"\nweight = {n}\n+++\n\nAnswer {n}, revision {rev}.\n"
    )
}

#[test]
fn the_preview_serves_a_fresh_build_after_a_thousand_random_changes() {
    let site = Site::fixture("basic");
    let now: jiff::Timestamp = crate::common::NOW.parse().unwrap();
    let handle = site.preview();
    let dir = site.path("content/faq");
    let mut rng = Lcg(42);
    let mut live: Vec<u64> = Vec::new();
    let mut next_id = 100;
    let ops = 1000;
    for op in 0..ops {
        let choice = rng.next(6);
        match (choice, live.is_empty()) {
            (0, _) | (_, true) => {
                std::fs::write(dir.join(format!("s{next_id}.md")), faq(next_id, op)).unwrap();
                live.push(next_id);
                next_id += 1;
            }
            (1, false) => {
                let n = live[rng.next(live.len() as u64) as usize];
                std::fs::write(dir.join(format!("s{n}.md")), faq(n, op)).unwrap();
            }
            (2, false) => {
                // vim: write a new file, rename the old to a backup, rename the new in, delete the backup.
                let n = live[rng.next(live.len() as u64) as usize];
                let path = dir.join(format!("s{n}.md"));
                std::fs::write(dir.join("4913"), "").unwrap();
                std::fs::remove_file(dir.join("4913")).unwrap();
                std::fs::write(dir.join(format!(".s{n}.md.swp")), "swap").unwrap();
                std::fs::write(dir.join(format!("s{n}.md.new")), faq(n, op)).unwrap();
                std::fs::rename(&path, dir.join(format!("s{n}.md~"))).unwrap();
                std::fs::rename(dir.join(format!("s{n}.md.new")), &path).unwrap();
                std::fs::remove_file(dir.join(format!("s{n}.md~"))).unwrap();
                std::fs::remove_file(dir.join(format!(".s{n}.md.swp"))).unwrap();
            }
            (3, false) => {
                // Rename to a new name (a new URL anchor).
                let i = rng.next(live.len() as u64) as usize;
                let n = live[i];
                std::fs::rename(
                    dir.join(format!("s{n}.md")),
                    dir.join(format!("s{next_id}.md")),
                )
                .unwrap();
                std::fs::write(dir.join(format!("s{next_id}.md")), faq(next_id, op)).unwrap();
                live[i] = next_id;
                next_id += 1;
            }
            (4, false) => {
                let i = rng.next(live.len() as u64) as usize;
                std::fs::remove_file(dir.join(format!("s{}.md", live[i]))).unwrap();
                live.swap_remove(i);
            }
            _ => {
                // JetBrains' safe write.
                let n = live[rng.next(live.len() as u64) as usize];
                let tmp = dir.join(format!("s{n}.md___jb_tmp___"));
                std::fs::write(&tmp, faq(n, op)).unwrap();
                std::fs::rename(&tmp, dir.join(format!("s{n}.md"))).unwrap();
            }
        }
        if rng.next(10) == 0 {
            std::thread::sleep(Duration::from_millis(rng.next(40)));
        }
    }
    // Wait until the preview has been quiet for a while.
    let mut last = handle.preview.snapshot().generation;
    let mut quiet_since = Instant::now();
    let start = Instant::now();
    while quiet_since.elapsed() < Duration::from_millis(1500)
        && start.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(50));
        let g = handle.preview.snapshot().generation;
        if g != last {
            last = g;
            quiet_since = Instant::now();
        }
    }
    let served = handle.preview.snapshot();
    assert!(served.errors.is_empty(), "{:?}", served.errors);

    let fresh = site::compile(&BuildOptions {
        site: site.root.clone(),
        output: None,
        drafts: true,
        now,
        base_url: Some(handle.url()),
        notices: None,
        paper: None,
        lenient: false,
        locked: false,
        all_notices: false,
    })
    .unwrap();
    let tag = "<script src=\"/_candor/reload.js\" defer></script>";
    let mut mismatches = Vec::new();
    for (path, data) in &fresh.files {
        let want = match data {
            FileData::Copy(p) => std::fs::read(p).unwrap(),
            FileData::Written => unreachable!("compile keeps files in memory"),
            data => data.to_vec().unwrap(),
        };
        match served.files.get(path) {
            None => mismatches.push(format!("missing {path}")),
            Some(got) => {
                let got = String::from_utf8_lossy(&got.bytes()).replace(tag, "");
                if got.as_bytes() != want.as_slice() {
                    mismatches.push(format!("differs {path}"));
                }
            }
        }
    }
    let extra: Vec<&String> = served
        .files
        .keys()
        .filter(|k| !k.starts_with("_candor/") && !fresh.files.contains_key(*k))
        .collect();
    eprintln!(
        "soak: {ops} operations, {} rebuilds, {} files compared, {} mismatches",
        last,
        fresh.files.len(),
        mismatches.len() + extra.len()
    );
    assert!(mismatches.is_empty(), "{mismatches:?}");
    assert!(extra.is_empty(), "served but not built: {extra:?}");
    assert!(served.files.get("faq/index.html").is_some_and(|f| {
        String::from_utf8_lossy(&f.bytes()).contains(&format!("Question {}?", live[0]))
    }));
    handle.stop();
}
