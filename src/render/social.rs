//! Social posts that fit each platform, counted the platform's way.
//!
//! - X: 280, weighted as twitter-text does (most Latin, Greek, Cyrillic and
//!   punctuation count 1, other scripts and each emoji 2) and every URL as 23;
//! - Mastodon: 500 grapheme clusters, every URL as 23;
//! - Bluesky: 300 grapheme clusters, URLs in full;
//! - LinkedIn: 3,000 characters; Facebook: 63,206 characters.
//!
//! A post is the summary and the update's URL. When the summary is too long
//! it is shortened at a word boundary with an ellipsis, never inside a word
//! or a grapheme, and the caller warns.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Mastodon,
    Bluesky,
    LinkedIn,
    Facebook,
}

pub const PLATFORMS: [Platform; 5] = [
    Platform::X,
    Platform::Mastodon,
    Platform::Bluesky,
    Platform::LinkedIn,
    Platform::Facebook,
];

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::X => "X",
            Platform::Mastodon => "Mastodon",
            Platform::Bluesky => "Bluesky",
            Platform::LinkedIn => "LinkedIn",
            Platform::Facebook => "Facebook",
        }
    }

    pub fn limit(self) -> usize {
        match self {
            Platform::X => 280,
            Platform::Mastodon => 500,
            Platform::Bluesky => 300,
            Platform::LinkedIn => 3000,
            Platform::Facebook => 63_206,
        }
    }

    /// The length of `text` as the platform counts it.
    pub fn count(self, text: &str) -> usize {
        match self {
            Platform::X => {
                count_tokens(text, |w| if is_url(w) { 23 * 100 } else { x_weight(w) }).div_ceil(100)
            }
            Platform::Mastodon => count_tokens(text, |w| {
                if is_url(w) {
                    23
                } else {
                    w.graphemes(true).count()
                }
            }),
            Platform::Bluesky => text.graphemes(true).count(),
            Platform::LinkedIn | Platform::Facebook => text.chars().count(),
        }
    }
}

fn is_url(word: &str) -> bool {
    word.starts_with("https://") || word.starts_with("http://")
}

/// Sum a measure over words and the whitespace between them.
fn count_tokens(text: &str, measure: impl Fn(&str) -> usize) -> usize {
    text.split_word_bound_indices_ws()
        .into_iter()
        .map(|(_, piece)| measure(piece))
        .sum()
}

/// Split into runs of whitespace and runs of non-whitespace, so URLs stay whole.
trait WsSplit {
    fn split_word_bound_indices_ws(&self) -> Vec<(usize, &str)>;
}

impl WsSplit for str {
    fn split_word_bound_indices_ws(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut in_ws: Option<bool> = None;
        for (i, c) in self.char_indices() {
            let ws = c.is_whitespace();
            if in_ws.is_some_and(|w| w != ws) {
                out.push((start, &self[start..i]));
                start = i;
            }
            in_ws = Some(ws);
        }
        if start < self.len() {
            out.push((start, &self[start..]));
        }
        out
    }
}

/// twitter-text v3 weights, in hundredths: 100 for code points in its
/// "light" ranges, 200 otherwise, and 200 for each emoji grapheme.
fn x_weight(text: &str) -> usize {
    text.graphemes(true)
        .map(|g| {
            if is_emoji(g) {
                200
            } else {
                g.chars()
                    .map(|c| match c as u32 {
                        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 100,
                        _ => 200,
                    })
                    .sum()
            }
        })
        .sum()
}

fn is_emoji(g: &str) -> bool {
    g.chars().any(|c| {
        matches!(c as u32,
            0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F | 0x200D)
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Post {
    pub platform: Platform,
    pub name: &'static str,
    pub limit: usize,
    pub length: usize,
    pub text: String,
    /// The summary had to be shortened to fit.
    pub shortened: bool,
}

/// The post for `platform`: `summary`, a space, `url`, shortened to fit.
pub fn post(platform: Platform, summary: &str, url: &str) -> Post {
    let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
    let make = |s: &str| {
        if s.is_empty() {
            url.to_string()
        } else {
            format!("{s} {url}")
        }
    };
    let full = make(&summary);
    let limit = platform.limit();
    if platform.count(&full) <= limit {
        return Post {
            platform,
            name: platform.name(),
            limit,
            length: platform.count(&full),
            text: full,
            shortened: false,
        };
    }
    // Longest run of whole words that fits with an ellipsis.
    let words: Vec<&str> = summary.split(' ').collect();
    let (mut lo, mut hi) = (0usize, words.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate = make(&format!("{}…", words[..mid].join(" ")));
        if platform.count(&candidate) <= limit {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let text = if lo == 0 {
        url.to_string()
    } else {
        make(&format!(
            "{}…",
            words[..lo].join(" ").trim_end_matches(['.', ',', ';', ':'])
        ))
    };
    Post {
        platform,
        name: platform.name(),
        limit,
        length: platform.count(&text),
        text,
        shortened: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str =
        "https://status.example.org/incidents/customer-database-2026/2026-11-19-1500-letters-sent/";

    #[test]
    fn x_counts_urls_as_23_and_wide_scripts_double() {
        assert_eq!(Platform::X.count(URL), 23);
        assert_eq!(Platform::X.count("abc"), 3);
        assert_eq!(Platform::X.count("日本"), 4);
        assert_eq!(Platform::X.count("👍"), 2);
        assert_eq!(Platform::X.count("👩‍👩‍👧"), 2, "a ZWJ family is one emoji");
        assert_eq!(
            Platform::X.count("e\u{301}"),
            2,
            "combining marks count in X"
        );
        assert_eq!(
            Platform::Bluesky.count("e\u{301}"),
            1,
            "one grapheme in Bluesky"
        );
    }

    #[test]
    fn short_summaries_are_kept_whole() {
        let p = post(Platform::X, "We have contained the incident.", URL);
        assert_eq!(p.text, format!("We have contained the incident. {URL}"));
        assert!(!p.shortened);
    }

    #[test]
    fn long_summaries_are_cut_at_a_word_with_an_ellipsis() {
        let summary =
            "We have written to every affected customer by email and by post. ".repeat(10);
        for platform in PLATFORMS {
            let p = post(platform, &summary, URL);
            assert!(p.length <= platform.limit(), "{platform:?}: {}", p.length);
            assert!(p.text.ends_with(URL));
            if platform.limit() < 1000 {
                assert!(p.shortened);
                let kept = p
                    .text
                    .trim_end_matches(URL)
                    .trim_end()
                    .trim_end_matches('…');
                assert!(summary.starts_with(kept), "cut mid-word: {kept:?}");
                assert!(
                    summary[kept.len()..].starts_with([' ', '.']),
                    "cut mid-word: {kept:?}"
                );
            }
        }
    }

    #[test]
    fn adversarial_summaries_stay_within_limits() {
        let cases = [
            "x".repeat(5000),
            "👩‍👩‍👧 ".repeat(400),
            "e\u{301}\u{302}\u{303} ".repeat(300),
            format!("see {URL} and {URL} ").repeat(40),
            "日本語のテキスト ".repeat(100),
        ];
        for summary in &cases {
            for platform in PLATFORMS {
                let p = post(platform, summary, URL);
                assert!(
                    p.length <= platform.limit(),
                    "{platform:?} {}: {summary:.30}",
                    p.length
                );
                assert_eq!(p.length, platform.count(&p.text));
            }
        }
    }
}
