//! Fault injection: a build killed at any moment, or run out of disk, leaves
//! the output folder as the complete old site or the complete new one.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Lcg, Site};

type Snapshot = Vec<(String, Vec<u8>)>;

/// A build of a site whose published content the test changes at will:
/// the record of what was published is forgotten first.
fn build(site: &Site) -> std::process::Child {
    site.forget_record();
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "-q", "--now", crate::common::NOW])
        .current_dir(&site.root)
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_build_killed_at_random_moments_never_leaves_a_partial_site() {
    let site = Site::example();
    let notice = "content/incidents/customer-database-2026/2026-11-23-1200-resolved.md";
    let original = std::fs::read_to_string(site.path(notice)).unwrap();
    let versions = [
        original.clone(),
        original.replace(
            "Thank you for your patience",
            "Thank you, again, for your patience",
        ),
    ];

    // The two complete sites, and how long a build takes.
    let mut complete: Vec<Snapshot> = Vec::new();
    let mut took = Duration::ZERO;
    for v in &versions {
        site.write(notice, v);
        let start = Instant::now();
        assert!(build(&site).wait().unwrap().success());
        took = took.max(start.elapsed());
        complete.push(site.snapshot("public"));
    }
    assert_ne!(complete[0], complete[1]);
    let mut state = 1; // the output now holds version 1
    let mut rng = Lcg(0x5eed);
    let trials = 100;
    let (mut killed_before_end, mut partial, mut mixed) = (0, 0, 0);
    let marker = |dir: &str| candor::base::output::build_id(&site.path(dir));
    let window = took.as_micros() as u64 * 3 / 2;
    for _ in 0..trials {
        let next = 1 - state;
        site.write(notice, &versions[next]);
        let mut child = build(&site);
        std::thread::sleep(Duration::from_micros(rng.next(window)));
        if child.try_wait().unwrap().is_none() {
            killed_before_end += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // The site and the notices are from one build, or the notices of
        // the site's build wait complete to be swapped in by the next build.
        if let Some(id) = marker("public")
            && marker("notices").as_ref() != Some(&id)
        {
            mixed += 1;
            assert!(
                candor::base::output::roll_forward(&site.path("notices"), &id).unwrap(),
                "a mixed pair that cannot be finished"
            );
            assert_eq!(marker("notices"), Some(id));
        }
        let now = site.snapshot("public");
        if now == complete[next] {
            state = next;
        } else if now != complete[state] {
            partial += 1;
        }
    }
    eprintln!(
        "kill trials: {trials}, killed mid-build: {killed_before_end}, partial outputs: {partial}, mixed site/notices pairs finished by the next build: {mixed}"
    );
    assert_eq!(
        partial, 0,
        "the output was neither the old nor the new site"
    );
    assert!(
        killed_before_end >= trials / 4,
        "only {killed_before_end} kills landed during a build"
    );
    // Leftover staging folders from killed builds are cleaned up by the next one.
    assert!(build(&site).wait().unwrap().success());
    let leftovers: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("candor-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Mount a small tmpfs (Linux, as root). In CI this must work; elsewhere the
/// test says why it could not run.
fn small_tmpfs(dir: &std::path::Path, size: &str) -> bool {
    std::fs::create_dir_all(dir).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let msg = "cannot mount a small tmpfs (needs root on Linux)";
        assert!(
            std::env::var_os("CI").is_none(),
            "{msg}: CI must run this test"
        );
        eprintln!("SKIPPED a_full_disk_gives_a_clear_error_and_keeps_the_old_output: {msg}");
    }
    ok
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_gives_a_clear_error_and_keeps_the_old_output() {
    let site = Site::fixture("basic");
    let disk = site.root.parent().unwrap().join("small-disk");
    if !small_tmpfs(&disk, "400k") {
        return;
    }
    let out = disk.join("public");
    let notices = disk.join("notices");
    let args = |extra: &str| {
        vec![
            "build".to_string(),
            "--now".into(),
            crate::common::NOW.into(),
            "--output".into(),
            out.display().to_string(),
            "--notices".into(),
            notices.display().to_string(),
            extra.to_string(),
        ]
    };
    let first = site.candor(&args("-q").iter().map(String::as_str).collect::<Vec<_>>());
    let before: Vec<(String, Vec<u8>)> = if first.code == 0 {
        walk(&out)
    } else {
        Vec::new()
    };
    // Fill the disk so the next build cannot fit.
    let filler = disk.join("filler");
    let free = 400 * 1024;
    let _ = std::fs::write(&filler, vec![b'x'; free]);
    site.write(
        "content/pages/more.md",
        "+++\ntitle = \"More\"\n+++\n\nText.\n",
    );
    let run = site.candor(&args("-q").iter().map(String::as_str).collect::<Vec<_>>());
    let after = walk(&out);
    let _ = Command::new("umount").arg(&disk).status();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("could not write"), "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device") || run.stderr.contains("os error 28"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the previous output was left as it was")
    );
    assert_eq!(after, before, "the previous output changed");
}

fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            files.push((
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    files
}

/// Regression: a build killed just after the site's swap left `public/`
/// from the new build and `notices/` from the old one (20 of 20 trials).
/// The next build, before anything else (even one that then fails),
/// finishes the swap, so the pair is always from one build.
#[test]
fn a_build_stopped_between_the_two_swaps_is_finished_by_the_next() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let notice = site.path("content/incidents/laptop-theft/_index.md");
    let text = std::fs::read_to_string(&notice).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title = "))
        .unwrap()
        .to_string();
    std::fs::write(
        &notice,
        text.replace(&title, "title = \"A laptop was stolen: second build\""),
    )
    .unwrap();
    site.forget_record();
    let run = site.candor_env(
        &["build", "--now", crate::common::NOW],
        &[("CANDOR_FAULT_BETWEEN_SWAPS", "1")],
    );
    assert_ne!(run.code, 0, "the fault stops the build");
    let email = || {
        std::fs::read_to_string(site.path("notices/laptop-theft/updates/02-second/email.txt"))
            .unwrap()
    };
    assert!(
        site.out("index.html").contains("second build"),
        "the site was swapped"
    );
    assert!(!email().contains("second build"), "the notices were not");
    // The next build fails (a broken file), yet finishes the swap first.
    site.write("content/faq/broken.md", "+++\nquestion = 3\n+++\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the last build was interrupted between the two"),
        "{}",
        run.stderr
    );
    assert!(
        email().contains("second build"),
        "the notices are the site's build's"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("candor-staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
