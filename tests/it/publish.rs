//! Publishing recipes that are run, not described (issue #24): the S3
//! upload script against a stand-in `aws` that records its calls, the
//! GitHub Pages workflow and the Netlify / Cloudflare Pages headers that
//! `candor init --hosting` sets up.

use std::process::Command;

use crate::common::{NOW, Site};

#[test]
fn the_s3_script_uploads_each_kind_of_file_with_its_cache_time() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let script = site.candor(&["hosting", "s3"]);
    assert_eq!(script.code, 0, "{}", script.stderr);
    site.write("publish-s3.sh", &script.stdout);
    // A stand-in for the aws command: it writes down how it was called.
    site.write(
        "bin/aws",
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$AWS_LOG\"\n",
    );
    let aws = site.path("bin/aws");
    Command::new("chmod").arg("+x").arg(&aws).status().unwrap();
    let log = site.path("aws.log");
    let path = format!(
        "{}:{}",
        site.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = Command::new("sh")
        .args(["publish-s3.sh", "status-bucket"])
        .current_dir(site.path(""))
        .env("PATH", path)
        .env("AWS_LOG", &log)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let calls = std::fs::read_to_string(&log).unwrap();
    let call = |start: &str| {
        calls
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no `aws {start}` in\n{calls}"))
            .to_string()
    };
    // Pages, feeds and status.json: seen within a minute.
    let sync = call("s3 sync public/ s3://status-bucket/ --delete");
    assert!(sync.contains("max-age=60"), "{sync}");
    assert!(call("s3 cp public/status.json s3://status-bucket/status.json").contains("max-age=60"));
    assert!(
        call("s3 cp public/.well-known/security.txt")
            .contains("--content-type text/plain; charset=utf-8")
    );
    assert!(
        call("s3 sync public/ s3://status-bucket/ --exclude * --include *.css")
            .contains("max-age=3600")
    );
    // Without a bucket, it says how to call it and uploads nothing.
    let bare = Command::new("sh")
        .arg("publish-s3.sh")
        .current_dir(site.path(""))
        .output()
        .unwrap();
    assert!(!bare.status.success());
    assert!(String::from_utf8_lossy(&bare.stderr).contains("usage: sh publish-s3.sh BUCKET"));
}

#[test]
fn init_sets_up_publishing_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let candor = env!("CARGO_BIN_EXE_candor");
    let init = |name: &str, host: &str| {
        let out = Command::new(candor)
            .args(["init", name, "--now", NOW, "--hosting", host])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir.path().join(name)
    };
    let pages = init("pages", "github-pages");
    let workflow = std::fs::read_to_string(pages.join(".github/workflows/publish.yml")).unwrap();
    for line in [
        "run: candor build --locked",
        "uses: actions/upload-pages-artifact@v3",
        "path: public",
        "uses: actions/deploy-pages@v4",
        "pages: write",
    ] {
        assert!(workflow.contains(line), "{line}");
    }
    assert!(!workflow.contains('\t'), "YAML is indented with spaces");

    let s3 = init("bucket", "s3");
    assert!(s3.join("publish-s3.sh").exists());

    let netlify = init("netlify", "netlify");
    let toml = std::fs::read_to_string(netlify.join("site.toml")).unwrap();
    assert!(toml.contains("\n[hosting]\nheaders = true"), "{toml}");
}
