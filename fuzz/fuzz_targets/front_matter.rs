//! Any bytes, as any kind of content file: split, parse and read the front
//! matter. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PATHS: &[&str] = &[
    "_index.md",
    "incidents/x/_index.md",
    "incidents/x/update.md",
    "faq/q.md",
    "guidance/g.md",
    "pages/p.md",
    "faq/_index.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let path = PATHS[which as usize % PATHS.len()];
    let text = String::from_utf8_lossy(rest).into_owned();
    let _ = candor::load::items::parse_markdown_file(path, text);
    let _ = candor::load::config::load(String::from_utf8_lossy(rest).into_owned(), &mut Vec::new());
});
