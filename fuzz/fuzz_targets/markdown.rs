//! Any text as a Markdown body, with highlighting: render it to HTML and to
//! plain text. Must never panic, and must never emit a script element.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let body = candor::load::content::Body {
        file: "content/pages/p.md".into(),
        text: data.into(),
        first_line: 4,
    };
    let rendered = candor::markdown::render(&body, "/prefix/", &mut Vec::new());
    assert!(
        !rendered.html.to_ascii_lowercase().contains("<script"),
        "a script element got through"
    );
    let _ = candor::markdown::plain::to_plain(data, "https://example.org", "/prefix/");
    let _ = candor::render::notices::inline_styles(&rendered.html, "https://example.org");
});
