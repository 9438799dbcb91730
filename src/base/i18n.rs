//! The interface words readers see, per language: the theme's translation
//! files (`themes/default/i18n/<language>.toml`, TOML), a site's own
//! overrides (`i18n/<language>.toml` in the site folder, only the keys it
//! changes), and what is made from them: dates, numbers and the labels of
//! the content model's words.
//!
//! Templates read the words as `t` (`{{ t.incident.discovered }}`); code
//! reads them with [`Strings::get`] and [`Strings::fill`].

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::base::vocab::{DataType, Region, Status, Word};
use crate::embedded;

/// The languages the default theme ships words for, by file name.
pub const SHIPPED: &[&str] = &["en-GB", "en-US", "cy", "es", "fr", "de"];

/// The file every other must match, key for key.
pub const REFERENCE: &str = "en-GB";

/// One language's interface words.
#[derive(Debug)]
pub struct Strings {
    /// The language tag as the site writes it (`cy`, `en-GB`).
    pub lang: String,
    /// `section.key` → text (arrays joined are not here: see the fields).
    words: HashMap<String, String>,
    /// For templates, as `t`.
    value: tera::Value,
    /// Of every word: what a preview's cached renders depend on.
    pub fingerprint: crate::base::fingerprint::Fingerprint,
    months: Vec<String>,
    months_short: Vec<String>,
    date: String,
    time: String,
    long: String,
    short: String,
    am: String,
    pm: String,
    group: String,
    zone: HashMap<String, String>,
    never_ask: Vec<String>,
    address_placeholder: Vec<String>,
}

/// One of the site's languages, for the language switch.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Alternate {
    pub lang: String,
    /// Where its pages are under the site's root: empty, or `cy/`.
    pub prefix: String,
    /// Its name in itself ("Cymraeg").
    pub name: String,
    /// "This page in Welsh", in Welsh.
    pub this_page_in: String,
    #[serde(skip)]
    pub words: Arc<Strings>,
}

/// What a translation file holds, as TOML: tables of strings and arrays.
type Table = toml::Table;

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

/// Every `section.key` of a table, with its value.
fn flatten(table: &Table) -> BTreeMap<String, toml::Value> {
    let mut out = BTreeMap::new();
    for (section, v) in table {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    out.insert(format!("{section}.{k}"), v.clone());
                }
            }
            other => {
                out.insert(section.clone(), other.clone());
            }
        }
    }
    out
}

/// The `{name}`s a text asks to be filled.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(name);
        }
        rest = &after[close + 1..];
    }
    out
}

impl Strings {
    /// The built-in English (UK) words: for tests, and for what is made
    /// before a site's settings are read.
    pub fn english() -> Arc<Strings> {
        static EN: std::sync::OnceLock<Arc<Strings>> = std::sync::OnceLock::new();
        EN.get_or_init(|| {
            let table = shipped(REFERENCE).unwrap_or_default();
            Arc::new(Strings::from_table(REFERENCE, &table))
        })
        .clone()
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
        let mut table = base.unwrap_or_default();
        if let Some(over) = site {
            let rel = format!("i18n/{lang}.toml");
            let known = flatten(&reference);
            for key in flatten(&over).keys() {
                if !known.contains_key(key) {
                    let names: Vec<&str> = known.keys().map(String::as_str).collect();
                    let mut d = Diagnostic::warning(
                        &rel,
                        format!("`{key}` is not one of the theme's words, so it is not used"),
                    );
                    d.hint = Some(match did_you_mean(key, names.iter().copied()) {
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
        Arc::new(Strings::from_table(lang, &table))
    }

    fn from_table(lang: &str, table: &Table) -> Strings {
        let flat = flatten(table);
        let mut words = HashMap::new();
        for (k, v) in &flat {
            if let toml::Value::String(s) = v {
                words.insert(k.clone(), s.clone());
            }
        }
        let list = |key: &str| -> Vec<String> {
            match flat.get(key) {
                Some(toml::Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let word = |key: &str| words.get(key).cloned().unwrap_or_default();
        let zone = match table.get("zone") {
            Some(toml::Value::Table(t)) => t
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect(),
            _ => HashMap::new(),
        };
        let mut months = list("date.months");
        months.resize(12, String::new());
        let mut months_short = list("date.months_short");
        months_short.resize(12, String::new());
        Strings {
            lang: lang.to_string(),
            value: tera::Value::from_serializable(table),
            fingerprint: crate::base::fingerprint::of(&table.to_string()),
            months,
            months_short,
            date: word("date.date"),
            time: word("date.time"),
            long: word("date.long"),
            short: word("date.short"),
            am: word("date.am"),
            pm: word("date.pm"),
            group: word("number.group"),
            zone,
            never_ask: list("verify.never_ask_default"),
            address_placeholder: list("letter.address_placeholder"),
            words,
        }
    }

    /// The words as templates read them (`t`).
    pub fn value(&self) -> &tera::Value {
        &self.value
    }

    /// The text of `key` (`incident.discovered`); the key itself if there
    /// is none (which the shipped files' test and [`Strings::load`] rule out).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// The text of `key` with each `{name}` filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(key), args)
    }

    pub fn status(&self, s: Status) -> &str {
        self.label("status", s)
    }

    pub fn data_type(&self, d: DataType) -> &str {
        self.label("data", d)
    }

    pub fn region(&self, r: Region) -> &str {
        self.label("region", r)
    }

    fn label<W: Word>(&self, section: &str, w: W) -> &str {
        self.words
            .get(&format!("{section}.{}", w.id()))
            .map_or(w.id(), String::as_str)
    }

    /// A language's name in this language (`cy` → "Welsh"), or its tag.
    pub fn language_name<'a>(&'a self, lang: &'a str) -> &'a str {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        self.words
            .get(&format!("names.{}", primary.to_ascii_lowercase()))
            .map_or(lang, String::as_str)
    }

    /// What the promise lists when the site's settings list nothing.
    pub fn never_ask_default(&self) -> &[String] {
        &self.never_ask
    }

    /// "We will never ask for a, b or c." `items` empty: this language's own list.
    pub fn promise(&self, items: &[String]) -> String {
        let items = if items.is_empty() { &self.never_ask[..] } else { items };
        let list = match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{}{}{last}", rest.join(", "), self.get("contact.or")),
        };
        self.fill("verify.never_ask", &[("list", &list)])
    }

    pub fn address_placeholder(&self) -> &[String] {
        &self.address_placeholder
    }

    /// 1240 → "1,240" (or "1.240", "1 240": the language's separator).
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(&self.group);
            }
            out.push(c);
        }
        out
    }

    /// A calendar date ("19 November 2026"), in this language's order.
    pub fn date(&self, year: i16, month: i8, day: i8) -> String {
        let m = usize::try_from(month.saturating_sub(1)).unwrap_or(0) % 12;
        fill(
            &self.date,
            &[
                ("day", &day.to_string()),
                ("month", &self.months[m]),
                ("mon", &self.months_short[m]),
                ("year", &year.to_string()),
            ],
        )
    }

    /// A time's every form, from its parts in the site's zone.
    pub fn times(&self, p: &TimeParts<'_>) -> (String, String, String, String) {
        let m = usize::try_from(p.month.saturating_sub(1)).unwrap_or(0) % 12;
        let (month, mon) = (self.months[m].as_str(), self.months_short[m].as_str());
        let zone = self.zone.get(p.zone).map_or(p.zone, String::as_str);
        let h12 = match p.hour % 12 {
            0 => 12,
            h => h,
        };
        let day = p.day.to_string();
        let year = p.year.to_string();
        let hh = format!("{:02}", p.hour);
        let mm = format!("{:02}", p.minute);
        let h = h12.to_string();
        let ampm = if p.hour < 12 { &self.am } else { &self.pm };
        let parts: [(&str, &str); 9] = [
            ("day", &day),
            ("month", month),
            ("mon", mon),
            ("year", &year),
            ("HH", &hh),
            ("mm", &mm),
            ("h", &h),
            ("ampm", ampm),
            ("zone", zone),
        ];
        let date = fill(&self.date, &parts);
        let time = fill(&self.time, &parts);
        let with = |pattern: &str| {
            let mut all = parts.to_vec();
            all.push(("date", &date));
            all.push(("time", &time));
            fill(pattern, &all)
        };
        let long = with(&self.long);
        let short = with(&self.short);
        (long, date, time, short)
    }
}

/// A time's parts in the site's zone, for [`Strings::times`].
pub struct TimeParts<'a> {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub zone: &'a str,
}

/// `text` with each `{name}` of `args` replaced; others are left as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| args.iter().find(|(n, _)| *n == &after[..close]).map(|(_, v)| (close, v)))
        {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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
fn read_file(dir: &Path, lang: &str, site_root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Table> {
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

    /// Every shipped language has every key of the reference and no other,
    /// arrays of the same length, and the same `{placeholders}` in each text.
    #[test]
    fn every_shipped_language_has_every_string() {
        let reference = flatten(&shipped(REFERENCE).expect("the reference parses"));
        for lang in SHIPPED {
            let table = shipped(lang).unwrap_or_else(|| panic!("i18n/{lang}.toml is shipped and parses"));
            let flat = flatten(&table);
            let missing: Vec<&String> = reference.keys().filter(|k| !flat.contains_key(*k)).collect();
            assert!(missing.is_empty(), "i18n/{lang}.toml lacks {missing:?}");
            let extra: Vec<&String> = flat.keys().filter(|k| !reference.contains_key(*k)).collect();
            assert!(extra.is_empty(), "i18n/{lang}.toml has keys the reference lacks: {extra:?}");
            for (key, want) in &reference {
                let got = &flat[key];
                match (want, got) {
                    (toml::Value::String(w), toml::Value::String(g)) => {
                        let mut a = placeholders(w);
                        let mut b = placeholders(g);
                        a.sort_unstable();
                        b.sort_unstable();
                        assert_eq!(a, b, "i18n/{lang}.toml `{key}`: placeholders differ");
                        if !w.is_empty() {
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
    fn fill_and_numbers() {
        assert_eq!(fill("From {start} to {end}", &[("start", "a"), ("end", "b")]), "From a to b");
        assert_eq!(fill("{unknown} {x", &[]), "{unknown} {x");
        let en = Strings::english();
        assert_eq!(en.number(1240), "1,240");
        assert_eq!(en.number(-1_000_000), "-1,000,000");
        assert_eq!(en.number(12), "12");
        assert_eq!(en.status(Status::Contained), "Contained");
        assert_eq!(en.language_name("cy"), "Welsh");
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
