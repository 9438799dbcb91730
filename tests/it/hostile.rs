//! Hostile and broken input: each gives a clear error or a correct build,
//! never a panic or a hang.

use std::time::{Duration, Instant};

use crate::common::{Run, Site};

/// Run `candor build`, killing it if it takes longer than `limit`.
fn build_within(site: &Site, limit: Duration) -> Run {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--now", crate::common::NOW])
        .current_dir(&site.root)
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let run = Run {
                code: status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            };
            assert!(
                !run.stderr.contains("panicked"),
                "candor panicked:\n{}",
                run.stderr
            );
            assert!(
                run.code == 0 || run.code == 1,
                "exit {}:\n{}",
                run.code,
                run.stderr
            );
            return run;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("candor did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn byte_order_marks_and_crlf_line_endings_build() {
    let site = Site::fixture("basic");
    site.write(
        "content/faq/bom.md",
        "\u{feff}+++\r\nquestion = \"With a BOM and CRLF?\"\r\ncategory = \"The incident\"\r\n+++\r\n\r\nYes, **it works**.\r\n",
    );
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let faq = site.out("faq/index.html");
    assert!(faq.contains("With a BOM and CRLF?") && faq.contains("<strong>it works</strong>"));
    // An error in a CRLF file still points at the right line and column.
    site.write(
        "content/faq/crlf-bad.md",
        "+++\r\nquestion = \"Q\"\r\nwieght = 2\r\n+++\r\nA\r\n",
    );
    let run = build_within(&site, LIMIT);
    assert!(
        run.stderr
            .contains("content/faq/crlf-bad.md:3:1: unknown key `wieght`"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_files() {
    let site = Site::fixture("basic");
    site.write("content/faq/empty.md", "");
    site.write("content/_index.md", "");
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/faq/empty.md: this file has no front matter")
            || run
                .stderr
                .contains("content/faq/empty.md:1:1: this file has no front matter"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("_index.md"),
        "an empty home introduction is fine: {}",
        run.stderr
    );

    let site = Site::fixture("basic");
    site.write("site.toml", "");
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("site.toml has no `title`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_ten_megabyte_file_builds() {
    let site = Site::fixture("basic");
    let mut body = String::from(
        "+++\ntitle = \"Big\"\nat = 2026-10-25T10:00:00Z\nstatus = \"contained\"\n+++\n\n",
    );
    let para = "We are still checking every record in the database, one by one, and we will tell you what we find. ";
    while body.len() < 10 * 1024 * 1024 {
        body.push_str(para);
        body.push_str("\n\n");
    }
    site.write("content/incidents/laptop-theft/05-big.md", &body);
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.out("incidents/laptop-theft/05-big/index.html").len() > 10_000_000);
}

#[test]
fn deeply_nested_lists_and_quotes_do_not_overflow_the_stack() {
    let site = Site::fixture("basic");
    let quotes = ">".repeat(20_000);
    let mut lists = String::new();
    for i in 0..3_000 {
        lists.push_str(&" ".repeat(i * 2));
        lists.push_str("- item\n");
    }
    site.write(
        "content/pages/nested.md",
        &format!(
            "+++\ntitle = \"Nested\"\n+++\n\n{quotes} deep\n\n{lists}\n{}\n",
            "*".repeat(50_000)
        ),
    );
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.out_exists("nested/index.html"));
}

#[test]
fn nul_bytes_and_invalid_utf8_are_errors_with_a_place() {
    let site = Site::fixture("basic");
    std::fs::write(
        site.path("content/faq/nul.md"),
        b"+++\nquestion = \"Q\"\n+++\nAn\0swer\n",
    )
    .unwrap();
    std::fs::write(
        site.path("content/faq/latin1.md"),
        b"+++\nquestion = \"Caf\xe9?\"\n+++\nA\n",
    )
    .unwrap();
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/faq/nul.md:4:3: this file contains a NUL byte"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/faq/latin1.md:2:16: this file is not valid UTF-8 text"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: save it as UTF-8"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_are_not_followed() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink(site.path("content"), site.path("content/faq/loop")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path("content/faq/passwd.md")).unwrap();
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: content/faq/loop: symbolic links in content/ are not followed"),
        "{}",
        run.stderr
    );
    for (path, bytes) in site.snapshot("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("root:x:0:0"),
            "{path} has /etc/passwd"
        );
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_errors() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("basic");
    let path = site.path("content/faq/secret.md");
    std::fs::write(&path, "+++\nquestion = \"Q\"\n+++\nA\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading, so there is nothing to test.
        eprintln!(
            "note: running as root, so an unreadable file cannot be made; the build must still pass"
        );
        build_within(&site, LIMIT);
        return;
    }
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/faq/secret.md: cannot read this file"),
        "{}",
        run.stderr
    );
}

#[test]
fn odd_file_names() {
    let site = Site::fixture("basic");
    site.write(
        "content/faq/.hidden.md",
        "this is ignored, as editors' files are",
    );
    site.write(
        "content/faq/Was it safe.md",
        "+++\nquestion = \"Q\"\n+++\nA\n",
    );
    site.write("content/faq/café.md", "+++\nquestion = \"Q\"\n+++\nA\n");
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "content/faq/Was it safe.md: candor does not know what this Markdown file is"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("such as `was-it-safe`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/faq/café.md"), "{}", run.stderr);
    assert!(!run.stderr.contains(".hidden.md"), "{}", run.stderr);
}

#[test]
fn script_links_raw_html_and_handlers_are_neutralised_and_warned_about() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/evil.md",
        "+++\ntitle = \"Evil\"\n+++\n\n[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [tab](java&#09;script:alert(1))\n\n<script>alert(1)</script>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<img src=x onerror=alert(1)>\n\n<a href=\"#\" onclick=\"alert(1)\">x</a>\n",
    );
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.out("evil/index.html");
    let body = &html[html.find("<main").unwrap()..];
    // No element or attribute survives; the text may show, escaped.
    for bad in ["<script", "<iframe", "<img", "javascript:", "data:text"] {
        assert!(!body.contains(bad), "{bad} survived: {body}");
    }
    for tag in body
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
    {
        assert!(
            !tag.contains("onerror") && !tag.contains("onclick"),
            "handler in <{tag}>"
        );
    }
    assert!(
        run.stderr.contains("content/pages/evil.md"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("raw HTML is shown as text"));
    assert!(run.stderr.contains("a `javascript:` link was removed"));
    assert!(run.stderr.contains("a `data:` link was removed"));
    // check warns about it too.
    let run = site.candor(&["check", "--format", "json", "--now", crate::common::NOW]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "site.unsafe-markup" && f["file"] == "content/pages/evil.md"),
        "{report:#}"
    );
}

/// Regression: a vertical tab or form feed pasted into a body, or `\x01` in
/// a title, built with exit 0 and made both Atom feeds invalid. Each is an
/// error at its line and column. A bidirectional control (U+202E), a way to
/// disguise an address, is a warning.
#[test]
fn control_characters_are_errors_at_their_place() {
    let site = Site::fixture("basic");
    site.write(
        "content/faq/pasted.md",
        "+++\nquestion = \"Q\"\n+++\nLine one.\n\nPasted\u{b}from a word processor.\n",
    );
    site.write(
        "content/pages/odd.md",
        "+++\ntitle = \"Odd\u{1} title\"\n+++\nBody.\n",
    );
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: content/faq/pasted.md:6:7: this file holds a control character (U+000B)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error: content/pages/odd.md:2:13: this file holds a control character (U+0001)"
        ),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.path("content/faq/pasted.md")).unwrap();
    std::fs::remove_file(site.path("content/pages/odd.md")).unwrap();
    site.write(
        "content/pages/odd.md",
        "+++\ntitle = \"Odd\"\n+++\nWrite to help@\u{202e}elpmaxe.example.\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stderr.contains("warning: content/pages/odd.md:4:15: this file holds a bidirectional control character (U+202E)"), "{}", run.stderr);
}

/// Regression: `javascript:` and `data:` URLs in site.toml (the website,
/// contact page, security.txt contact) were published as links, and a line
/// break in a security.txt contact injected a field of its own.
#[test]
fn settings_that_become_links_or_lines_are_checked() {
    let site = Site::fixture("basic");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    let toml = toml.replace(
        "website = \"https://fixture.example\"",
        "website = \"javascript:alert(1)\"",
    ) + "web = \"data:text/html,x\"\n"
        + "\n[security_txt]\ncontact = [\"mailto:a@b.example\\nHiring: https://evil.example/\"]\nexpires = 2027-01-01T00:00:00Z\n";
    // `web` belongs in [contact]: put it there.
    let toml = toml
        .replace("\n[contact]\n", "\n[contact]\nweb = \"data:text/html,x\"\n")
        .replace(
            "\nweb = \"data:text/html,x\"\n\n[security_txt]",
            "\n\n[security_txt]",
        );
    site.write("site.toml", &toml);
    site.write(
        "content/guidance/bad.md",
        "+++\ntitle = \"Bad\"\nregion = \"uk\"\nsource = [\"javascript:alert(1)\"]\n+++\nBody.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for key in [
        "`website` must be an address starting with https:// or http://",
        "`web` must be an address",
        "`contact` must be an address starting with mailto: or https:// or tel:",
        "`source` must be an address",
    ] {
        assert!(run.stderr.contains(key), "{key}: {}", run.stderr);
    }
    assert!(!site.out_exists("index.html"));
}

/// Regression: a FIFO named `content/faq/x.md` hung the build, and a device
/// file named `*.md` was read until memory ran out. Only regular files are
/// read; others are left out with a warning; a content file over 16 MB is
/// an error. A symbolic link in static/ is said to be left out.
#[cfg(unix)]
#[test]
fn special_files_are_left_out_and_huge_files_refused() {
    let site = Site::fixture("basic");
    let fifo = site.path("content/faq/x.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", site.path("content/faq/zero.md")).unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", site.path("static/host.txt")).unwrap();
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: content/faq/x.md: this is not a regular file, so it is left out"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("static/host.txt: symbolic links in static/ are not followed"),
        "{}",
        run.stderr
    );
    assert!(!site.out_exists("host.txt"));
    std::fs::remove_file(&fifo).unwrap();
    let big = "a".repeat(17 << 20);
    site.write(
        "content/pages/big.md",
        &format!("+++\ntitle = \"Big\"\n+++\n{big}\n"),
    );
    let run = build_within(&site, LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/pages/big.md: cannot read this file: it is larger than 16 MB"),
        "{}",
        run.stderr
    );
}

/// Regression: `candor new update` wrote into any folder with an
/// `_index.md` given as a path, and `new incident 事件` made a folder every
/// build then refused. One name rule for `new` and `build`.
#[test]
fn new_uses_the_same_name_rule_as_build() {
    let site = Site::fixture("basic");
    let run = site.candor(&["new", "update", "../../etc"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot be used as the incident's name"),
        "{}",
        run.stderr
    );
    let run = site.candor(&["new", "incident", "事件"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("such as `shi-jian`"), "{}", run.stderr);
    let run = site.candor(&["new", "incident", "shi-jian", "--title", "事件"]);
    run.assert_ok();
    site.build(&["--drafts"]).assert_ok();
}
