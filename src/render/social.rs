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

use crate::load::config::Config;

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

/// What makes a post stand on its own: who it is from and that it is about
/// a data incident (`lead`), and what the organisation will never ask for
/// (`promise`), around the update's summary and link.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub lead: String,
    pub promise: String,
    /// The promise with only its first item, where the whole does not fit.
    pub short_promise: String,
}

impl Frame {
    pub fn of(config: &Config) -> Frame {
        Frame {
            lead: config.words.fill(
                "social.lead",
                &[("organisation", &config.organisation.name)],
            ),
            promise: config.verify.promise.clone(),
            short_promise: config.verify.never_ask.first().map_or_else(
                || config.verify.promise.clone(),
                |first| config.words.promise(std::slice::from_ref(first)),
            ),
        }
    }
}

/// The post for `platform`: the lead, the summary, the promise and the
/// link, in that order, fitted to the platform's limit: the whole summary
/// with the whole promise, else with the promise's first item, else that
/// with the summary shortened at a word (to no less than two fifths of it),
/// else without the promise. The link is always there.
pub fn post(platform: Platform, frame: &Frame, summary: &str, url: &str) -> Post {
    let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
    let limit = platform.limit();
    let compose = |summary: &str, promise: &str| {
        [frame.lead.as_str(), summary, promise, url]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let fits = |text: &str| platform.count(text) <= limit;
    let done = |text: String, shortened: bool| Post {
        platform,
        name: platform.name(),
        limit,
        length: platform.count(&text),
        text,
        shortened,
    };
    let words: Vec<&str> = summary.split(' ').filter(|w| !w.is_empty()).collect();
    let cut = |n: usize, promise: &str| {
        let kept = words[..n].join(" ");
        compose(
            &format!("{}…", kept.trim_end_matches(['.', ',', ';', ':'])),
            promise,
        )
    };
    let least = (words.len() * 2).div_ceil(5).max(1);
    // The promise protects readers from scams: it is kept before the whole
    // summary, as long as at least two fifths of the summary are left.
    let (full, short) = (frame.promise.as_str(), frame.short_promise.as_str());
    for (promise, whole, min) in [
        (full, true, 0),
        (short, true, 0),
        (short, false, least),
        ("", true, 0),
        ("", false, 1),
    ] {
        if whole {
            let text = compose(&summary, promise);
            if fits(&text) {
                return done(text, false);
            }
        } else if let Some(n) =
            longest(words.len(), |n| fits(&cut(n, promise))).filter(|n| *n >= min)
        {
            return done(cut(n, promise), true);
        }
    }
    // Not even a word of the summary fits: the lead and the link, or the link.
    let bare = compose("", "");
    done(
        if fits(&bare) { bare } else { url.to_string() },
        !words.is_empty(),
    )
}

/// The largest `n` in 1..=`max` for which `fits(n)` holds (it holds for
/// every smaller `n` too), if any.
fn longest(max: usize, fits: impl Fn(usize) -> bool) -> Option<usize> {
    let (mut lo, mut hi) = (0usize, max);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    (lo > 0).then_some(lo)
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

    fn frame() -> Frame {
        Frame {
            lead: "Northbridge Computer Repairs Ltd data incident update:".into(),
            promise: "We will never ask for your password, your bank details or a payment.".into(),
            short_promise: "We will never ask for your password.".into(),
        }
    }

    #[test]
    fn short_summaries_are_kept_whole_and_stand_on_their_own() {
        let p = post(
            Platform::X,
            &frame(),
            "We have contained the incident.",
            URL,
        );
        assert_eq!(
            p.text,
            format!(
                "Northbridge Computer Repairs Ltd data incident update: We have contained the incident. We will never ask for your password, your bank details or a payment. {URL}"
            )
        );
        assert!(!p.shortened);
    }

    #[test]
    fn the_promise_goes_before_the_summary_is_cut_to_nothing() {
        let summary =
            "We have written to every affected customer by email and by post today. ".repeat(3);
        let p = post(Platform::X, &frame(), &summary, URL);
        assert!(
            p.text
                .starts_with("Northbridge Computer Repairs Ltd data incident update:"),
            "{}",
            p.text
        );
        assert!(p.text.ends_with(URL));
        assert!(p.length <= 280);
        let kept = p.text.split("update: ").nth(1).unwrap_or("");
        assert!(
            kept.split_whitespace().count() * 5 >= summary.split_whitespace().count() * 2,
            "{}",
            p.text
        );
    }

    #[test]
    fn long_summaries_are_cut_at_a_word_with_an_ellipsis() {
        let summary =
            "We have written to every affected customer by email and by post. ".repeat(10);
        for platform in PLATFORMS {
            let p = post(platform, &Frame::default(), &summary, URL);
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
                for f in [
                    frame(),
                    Frame::default(),
                    Frame {
                        lead: "x".repeat(3000),
                        promise: "y ".repeat(900),
                        short_promise: "z".repeat(400),
                    },
                ] {
                    let p = post(platform, &f, summary, URL);
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
}
