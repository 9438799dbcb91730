//! The notification rules as data for every place a notice goes
//! (`rules/jurisdictions/`, issue #21): each US state, DC, Puerto Rico,
//! Guam and the US Virgin Islands, the UK, the EU, Canada and Quebec,
//! Australia and New Zealand has an entry that cites its law and at least
//! one public https source, and says when it was last checked.

use std::path::Path;

const US: &[&str] = &[
    "al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks",
    "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny",
    "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv",
    "wi", "wy", "dc", "pr", "gu", "vi",
];
const OTHERS: &[&str] = &["uk", "eu", "ca", "ca-qc", "au", "nz"];

#[test]
fn every_place_has_an_entry_with_sources_and_a_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/jurisdictions");
    let ids = US
        .iter()
        .map(|s| format!("us-{s}"))
        .chain(OTHERS.iter().map(|s| s.to_string()));
    let mut checked = 0;
    for id in ids {
        let path = dir.join(format!("{id}.toml"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{id}: {e}"));
        let entry: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(entry["id"].as_str(), Some(id.as_str()), "{id}");
        assert!(
            entry
                .get("law")
                .and_then(|l| l.as_str())
                .is_some_and(|l| !l.is_empty()),
            "{id}: no law"
        );
        let sources = entry["sources"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no sources"));
        assert!(!sources.is_empty(), "{id}: no source");
        for s in sources {
            let s = s.as_str().unwrap_or_default();
            assert!(
                s.starts_with("https://") && !s.contains(char::is_whitespace),
                "{id}: source {s}"
            );
        }
        let date = entry["last_checked"]
            .as_datetime()
            .unwrap_or_else(|| panic!("{id}: no last_checked date"));
        assert!(
            date.date.is_some() && date.time.is_none(),
            "{id}: last_checked is a date"
        );
        assert!(
            matches!(
                entry.get("confidence").and_then(|c| c.as_str()),
                Some("high" | "medium" | "low")
            ),
            "{id}: confidence"
        );
        checked += 1;
    }
    assert_eq!(checked, 60);
}
