//! The interface words of each language: the theme's translation files
//! (`themes/default/i18n/<language>.toml`, TOML, embedded in the binary),
//! a local theme's, and a site's own overrides (`i18n/<language>.toml` in
//! the site folder, only the keys it changes).

use std::path::Path;
use std::sync::Arc;

use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::base::i18n::{Strings, Table, flatten};
use crate::embedded;

/// The languages the default theme ships words for, by file name.
pub const SHIPPED: &[&str] = &["en-GB", "en-US", "cy", "es", "fr", "de"];

/// What a site's `i18n/<lang>.toml` may say of its own settings, under
/// `[site]`: site.toml's `title` and `description`, and `[contact] hours`.
pub const SITE_SETTINGS: &[&str] = &["title", "description", "hours"];

/// The file every other must match, key for key.
pub const REFERENCE: &str = "en-GB";

/// The built-in words for `file` (`en-GB`), parsed.
fn shipped(file: &str) -> Option<Table> {
    let path = format!("i18n/{file}.toml");
    let (_, bytes) = embedded::THEME_FILES.iter().find(|(p, _)| *p == path)?;
    std::str::from_utf8(bytes).ok()?.parse::<Table>().ok()
}

/// The shipped file for a language tag: the tag itself, else its language
/// (`cy-GB` → `cy`, `es-MX` → `es`), and English as `en-GB`.
pub fn shipped_for(lang: &str) -> Option<&'static str> {
    let lower = lang.to_ascii_lowercase();
    if let Some(f) = SHIPPED.iter().find(|f| f.to_ascii_lowercase() == lower) {
        return Some(f);
    }
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    match primary {
        "en" => Some("en-GB"),
        _ => SHIPPED.iter().copied().find(|f| *f == primary),
    }
}

/// The words for `lang` on this site: the theme's file (a local theme's
/// `i18n/`, else the built-in one), with the site's `i18n/<lang>.toml`
/// over it. A language no file covers needs a complete site file.
pub fn load(
    site_root: &Path,
    theme: &str,
    lang: &str,
    diags: &mut Vec<Diagnostic>,
) -> Arc<Strings> {
    let reference = shipped(REFERENCE).unwrap_or_default();
    let mut base: Option<Table> = shipped_for(lang).and_then(shipped);
    // A local theme's words replace the built-in ones for its languages.
    let local = site_root.join("themes").join(theme).join("i18n");
    if let Some(t) = read_file(&local, lang, site_root, diags) {
        base = Some(merge(base.unwrap_or_default(), t));
    }
    let site = read_file(&site_root.join("i18n"), lang, site_root, diags);
    let complete = base.is_some();
    let never_ask_by_site = site
        .as_ref()
        .and_then(|t| t.get("verify"))
        .and_then(|v| v.get("never_ask_default"))
        .is_some();
    let mut table = base.unwrap_or_default();
    if let Some(over) = site {
        let rel = format!("i18n/{lang}.toml");
        let known = flatten(&reference);
        for key in flatten(&over).keys() {
            // Zone names are the language's own list, not the reference's;
            // `[site]` says the site's own settings in this language.
            if !known.contains_key(key)
                && !key.starts_with("zone.")
                && !SITE_SETTINGS
                    .iter()
                    .any(|s| key.strip_prefix("site.") == Some(*s))
            {
                let names: Vec<&str> = known.keys().map(String::as_str).collect();
                let mut d = Diagnostic::warning(
                    &rel,
                    format!("`{key}` is not one of the theme's words, so it is not used"),
                );
                d.hint = Some(match did_you_mean(key, names.iter().copied()) {
                    _ if key.starts_with("site.") => format!(
                        "under [site] a translation says the site's own {} in this language",
                        SITE_SETTINGS.join(", ")
                    ),
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the keys are those of themes/default/i18n/{REFERENCE}.toml (`candor templates` copies the theme)"
                    ),
                });
                diags.push(d);
            }
        }
        table = merge(table, over);
    }
    // Whatever is still missing is said once, and filled in English so
    // that no page shows a key.
    let have = flatten(&table);
    let missing: Vec<String> = flatten(&reference)
        .into_keys()
        .filter(|k| !have.contains_key(k))
        .collect();
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(5).map(|k| k.as_str()).collect();
        let what = if complete {
            format!("i18n/{lang}.toml")
        } else {
            format!("language `{lang}`")
        };
        diags.push(
            Diagnostic::error(
                if complete { format!("i18n/{lang}.toml") } else { crate::load::config::FILE.to_string() },
                format!(
                    "{what} has no words for {} interface {} ({}{})",
                    missing.len(),
                    if missing.len() == 1 { "text" } else { "texts" },
                    shown.join(", "),
                    if missing.len() > shown.len() { ", …" } else { "" }
                ),
            )
            .with_hint(format!(
                "candor ships words for {}; for another language, copy themes/default/i18n/{REFERENCE}.toml (`candor templates` writes it) to i18n/{lang}.toml in the site and translate every text",
                SHIPPED.join(", ")
            )),
        );
        table = merge(reference, table);
    }
    let mut words = Strings::from_table(lang, &table);
    words.never_ask_by_site = never_ask_by_site;
    Arc::new(words)
}

/// `over` laid over `base`, table by table.
fn merge(mut base: Table, over: Table) -> Table {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => {
                for (k2, v2) in o {
                    b.insert(k2, v2);
                }
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
    base
}

/// `dir/<lang>.toml`, parsed; a syntax error is reported where it is.
fn read_file(
    dir: &Path,
    lang: &str,
    site_root: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let path = dir.join(format!("{lang}.toml"));
    if !path.is_file() {
        return None;
    }
    let rel = path
        .strip_prefix(site_root)
        .unwrap_or(&path)
        .display()
        .to_string();
    let text = crate::load::walk::read_text(&path, &rel, diags)?;
    match text.parse::<Table>() {
        Ok(t) => Some(t),
        Err(e) => {
            let mut d = Diagnostic::error(&rel, format!("not valid TOML: {}", e.message()));
            if let Some(span) = e.span() {
                d = d.at(&text, span);
            }
            diags.push(d.with_hint("each text is `key = \"words\"` under its [section], as in themes/default/i18n/en-GB.toml"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::i18n::placeholders;

    /// Every shipped language has every key of the reference and no other,
    /// arrays of the same length, and the same `{placeholders}` in each text.
    /// What a date or time pattern may use (see `Strings::times`).
    const DATE_PARTS: &[&str] = &[
        "day", "month", "mon", "year", "HH", "mm", "h", "ampm", "zone", "date", "time",
    ];

    #[test]
    fn every_shipped_language_has_every_string() {
        let reference = flatten(&shipped(REFERENCE).expect("the reference parses"));
        for lang in SHIPPED {
            let table =
                shipped(lang).unwrap_or_else(|| panic!("i18n/{lang}.toml is shipped and parses"));
            let flat = flatten(&table);
            let missing: Vec<&String> = reference
                .keys()
                .filter(|k| !flat.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "i18n/{lang}.toml lacks {missing:?}");
            let extra: Vec<&String> = flat
                .keys()
                .filter(|k| !reference.contains_key(*k) && !k.starts_with("zone."))
                .collect();
            assert!(
                extra.is_empty(),
                "i18n/{lang}.toml has keys the reference lacks: {extra:?}"
            );
            for (key, want) in &reference {
                let got = &flat[key];
                match (want, got) {
                    (toml::Value::String(w), toml::Value::String(g)) => {
                        let mut a = placeholders(w);
                        let mut b = placeholders(g);
                        a.sort_unstable();
                        b.sort_unstable();
                        if key.starts_with("date.") {
                            // A language orders a date its own way (12-hour
                            // clocks, month first) from the same parts.
                            for p in &b {
                                assert!(
                                    DATE_PARTS.contains(p),
                                    "i18n/{lang}.toml `{key}`: `{{{p}}}` is not a part of a date"
                                );
                            }
                        } else {
                            assert_eq!(a, b, "i18n/{lang}.toml `{key}`: placeholders differ");
                        }
                        // A digit group separator may be a (narrow) space.
                        if !w.is_empty() && key != "number.group" {
                            assert!(!g.trim().is_empty(), "i18n/{lang}.toml `{key}` is empty");
                        }
                    }
                    (toml::Value::Array(w), toml::Value::Array(g)) => {
                        if key != "verify.never_ask_default" {
                            assert_eq!(w.len(), g.len(), "i18n/{lang}.toml `{key}`: length");
                        }
                    }
                    (toml::Value::Table(_), toml::Value::Table(_)) => {}
                    _ => panic!("i18n/{lang}.toml `{key}`: not the same kind of value"),
                }
            }
        }
    }

    #[test]
    fn language_tags_find_their_file() {
        assert_eq!(shipped_for("en"), Some("en-GB"));
        assert_eq!(shipped_for("en-us"), Some("en-US"));
        assert_eq!(shipped_for("cy-GB"), Some("cy"));
        assert_eq!(shipped_for("es-MX"), Some("es"));
        assert_eq!(shipped_for("pl"), None);
    }
}
