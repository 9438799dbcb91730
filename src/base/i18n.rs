//! The interface words readers see, in one language, and what is made from
//! them: dates, numbers and the labels of the content model's words. They
//! come from the theme's translation files (`themes/default/i18n/`, read by
//! `load::i18n`).
//!
//! Templates read the words as `t` (`{{ t.incident.discovered }}`); code
//! reads them with [`Strings::get`] and [`Strings::fill`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::base::vocab::{DataType, Region, Status, Word};

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
    /// Whether the site gave its own `verify.never_ask_default` in this
    /// language (its `i18n/<lang>.toml`), rather than the theme's.
    pub never_ask_by_site: bool,
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
pub type Table = toml::Table;

/// Every `section.key` of a table, with its value.
pub fn flatten(table: &Table) -> BTreeMap<String, toml::Value> {
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
            let table = include_str!("../../themes/default/i18n/en-GB.toml")
                .parse::<Table>()
                .unwrap_or_default();
            Arc::new(Strings::from_table("en-GB", &table))
        })
        .clone()
    }

    pub fn from_table(lang: &str, table: &Table) -> Strings {
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
            never_ask_by_site: false,
            address_placeholder: list("letter.address_placeholder"),
            words,
        }
    }

    /// The words as templates read them (`t`).
    pub fn value(&self) -> &tera::Value {
        &self.value
    }

    /// The text of `key` (`incident.discovered`); the key itself if there
    /// is none (which the shipped files' test and `load::i18n::load` rule out).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// What the site's `i18n/<lang>.toml` says of one of its own settings
    /// in this language (`[site] title`, `description`, `hours`), if it does.
    pub fn site_setting(&self, key: &str) -> Option<&str> {
        self.words.get(&format!("site.{key}")).map(String::as_str)
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
        let items = if items.is_empty() {
            &self.never_ask[..]
        } else {
            items
        };
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
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
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
        match after.find('}').and_then(|close| {
            args.iter()
                .find(|(n, _)| *n == &after[..close])
                .map(|(_, v)| (close, v))
        }) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_and_numbers() {
        assert_eq!(
            fill("From {start} to {end}", &[("start", "a"), ("end", "b")]),
            "From a to b"
        );
        assert_eq!(fill("{unknown} {x", &[]), "{unknown} {x");
        let en = Strings::english();
        assert_eq!(en.number(1240), "1,240");
        assert_eq!(en.number(-1_000_000), "-1,000,000");
        assert_eq!(en.number(12), "12");
        assert_eq!(en.status(Status::Contained), "Contained");
        assert_eq!(en.language_name("cy"), "Welsh");
    }
}
