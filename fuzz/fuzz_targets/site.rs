//! A whole site from generated files: site.toml and a few content files
//! with arbitrary text, compiled in memory. Must never panic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    site_toml: Option<String>,
    files: Vec<(u8, String, String)>,
}

const DIRS: &[&str] = &[
    "",
    "incidents/a/",
    "incidents/b/",
    "faq/",
    "guidance/",
    "pages/",
    "incidents/",
];

const GOOD_SITE: &str = "title = \"T\"\nbase_url = \"https://example.org/x/\"\ntimezone = \"Europe/London\"\n[organisation]\nname = \"O\"\n";

fuzz_target!(|input: Input| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    let _ = std::fs::write(
        root.join("site.toml"),
        input.site_toml.as_deref().unwrap_or(GOOD_SITE),
    );
    let _ = std::fs::create_dir_all(root.join("content/incidents/a"));
    let _ = std::fs::write(
        root.join("content/incidents/a/_index.md"),
        "+++\ntitle = \"A\"\ndiscovered = 2026-01-01T00:00:00Z\n+++\nBody\n",
    );
    for (which, name, text) in input.files.iter().take(8) {
        let name: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(20)
            .collect();
        let folder = root
            .join("content")
            .join(DIRS[*which as usize % DIRS.len()]);
        let _ = std::fs::create_dir_all(&folder);
        let _ = std::fs::write(
            folder.join(format!("{}.md", if name.is_empty() { "f" } else { &name })),
            text,
        );
    }
    let opts = candor::site::BuildOptions {
        site: root.to_path_buf(),
        output: None,
        drafts: which_drafts(&input),
        now: jiff::Timestamp::from_second(1_800_000_000).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        base_url: None,
        notices: None,
        paper: None,
        lenient: false,
        locked: false,
        all_notices: false,
    };
    let _ = candor::site::compile(&opts);
});

fn which_drafts(input: &Input) -> bool {
    input.files.len() % 2 == 0
}
