//! A small harness: copy a fixture site into a temp folder, run the real
//! `candor` binary on it with a clean environment, read what it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const NOW: &str = "2026-12-01T12:00:00Z";

pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(self.code, 0, "candor failed:\n{}", self.stderr);
        self
    }
}

impl Site {
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, &root);
        Site { _dir: dir, root }
    }

    /// The repository's example site.
    pub fn example() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        copy_dir(&src, &root);
        let _ = std::fs::remove_dir_all(root.join("public"));
        let _ = std::fs::remove_dir_all(root.join("notices"));
        Site { _dir: dir, root }
    }

    /// Start `candor serve` on the site (drafts shown, "now" fixed at
    /// [`NOW`], any free port).
    pub fn preview(&self) -> candor::preview::serve::Handle {
        self.preview_within(Default::default())
    }

    /// The preview, with these limits on what a client may take.
    pub fn preview_within(
        &self,
        limits: candor::preview::serve::Limits,
    ) -> candor::preview::serve::Handle {
        candor::preview::serve::start(candor::preview::serve::ServeOptions {
            site: self.root.clone(),
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            drafts: true,
            now: Some(NOW.parse().unwrap()),
            limits,
        })
        .expect("preview starts")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The `_index.md` of the site's first incident folder.
    pub fn first_incident(&self) -> PathBuf {
        std::fs::read_dir(self.path("content/incidents"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path()
            .join("_index.md")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Forget what earlier builds published (`record.jsonl`), as for a
    /// site built for the first time: for tests of other things that edit
    /// published content between builds.
    pub fn forget_record(&self) {
        let _ = std::fs::remove_file(self.path("record.jsonl"));
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// A file of the built site, as text.
    #[track_caller]
    pub fn out(&self, rel: &str) -> String {
        let p = self.root.join("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn out_exists(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).exists()
    }

    /// Run candor with `args`, in the site folder, with a clean environment.
    pub fn candor(&self, args: &[&str]) -> Run {
        self.candor_env(args, &[])
    }

    pub fn candor_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_candor"));
        cmd.args(args).current_dir(&self.root).env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run candor");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `candor build --now NOW` plus `extra`.
    pub fn build(&self, extra: &[&str]) -> Run {
        self.build_at(NOW, extra)
    }

    /// `candor build --now now` plus `extra`: a build at another time.
    pub fn build_at(&self, now: &str, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--now", now];
        args.extend_from_slice(extra);
        let run = self.candor(&args);
        if run.code == 0 {
            self.feeds_parse();
        }
        run
    }

    /// Every Atom feed a build wrote is well-formed XML (one control
    /// character once made every feed invalid, silently).
    #[track_caller]
    pub fn feeds_parse(&self) {
        let public = self.root.join("public");
        for e in walkdir::WalkDir::new(&public).into_iter().flatten() {
            if e.file_name() != "feed.xml" {
                continue;
            }
            let xml = std::fs::read_to_string(e.path()).unwrap();
            let mut reader = quick_xml::Reader::from_str(&xml);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(err) => panic!("{} is not well-formed XML: {err}", e.path().display()),
                }
            }
            assert!(
                xml.chars().all(
                    |c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')
                ),
                "{}: a control character XML forbids",
                e.path().display()
            );
        }
    }

    /// Every file under the output folder, with its bytes, sorted by path.
    pub fn snapshot(&self, out: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.root.join(out);
        let mut files = Vec::new();
        for e in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
        files
    }
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Text of an HTML page with tags removed and whitespace folded: what a reader sees.
pub fn visible_text(html: &str) -> String {
    // Only the body, without scripts: what is on the screen.
    let html = html.find("<body").map_or(html, |i| &html[i..]);
    let mut cleaned = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        cleaned.push_str(&rest[..i]);
        rest = rest[i..]
            .find("</script>")
            .map_or("", |j| &rest[i + j + 9..]);
    }
    cleaned.push_str(rest);
    let html = cleaned.as_str();
    const INLINE: &[&str] = &[
        "a", "time", "strong", "em", "span", "code", "b", "i", "abbr", "svg", "path", "circle",
        "rect",
    ];
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start + 1..start + end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    // What a browser shows for the character references templates write.
    let out = out
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A small, dependency-free pseudo-random sequence, so runs repeat.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

/// What the example site's notices say, in the language of the notice at
/// `path` (under `cy/`: Welsh; otherwise English).
pub struct ExampleWords {
    pub verify_heading: &'static str,
    pub lead: &'static str,
    pub promise: &'static str,
    pub incidents: &'static str,
}

pub fn example_words(path: &str) -> ExampleWords {
    if path.starts_with("cy/") {
        ExampleWords {
            verify_heading: "Sut i wirio bod y neges hon yn dod gennym ni go iawn",
            lead: "Diweddariad Northbridge Computer Repairs Ltd am ddigwyddiad data: ",
            promise: "Fyddwn ni byth yn gofyn am eich cyfrinair neu'ch PIN",
            incidents: "https://status.northbridge-repairs.example/cy/incidents/",
        }
    } else {
        ExampleWords {
            verify_heading: "How to check this message is really from us",
            lead: "Northbridge Computer Repairs Ltd data incident update: ",
            promise: "We will never ask for your password or PIN",
            incidents: "https://status.northbridge-repairs.example/incidents/",
        }
    }
}
