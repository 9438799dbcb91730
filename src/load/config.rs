//! `site.toml`: the site's title, address, time zone, organisation, contact
//! and verification details.

use serde::Serialize;

use std::path::Path;

use toml::Spanned;

use crate::base::diagnostics::Diagnostic;
use crate::base::text;
use crate::base::time::{self, Clock};
use crate::base::vocab::{Paper, Regime};
use crate::load::frontmatter::{Fields, SourceFile};

#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// As written, without a trailing slash: `https://example.org/incident`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending with `/`.
    pub base_path: String,
    pub language: String,
    /// The site's other languages (`languages = ["cy"]`): each gets its
    /// pages under `/<language>/`, with the content's translations.
    pub languages: Vec<String>,
    /// Where this language's pages are, under the site's root path: empty
    /// for the site's language, `cy/` for Welsh.
    pub lang_prefix: String,
    /// The site's root path (`base_path` without `lang_prefix`): where the
    /// shared files are (style.css, record.jsonl).
    pub root_path: String,
    pub timezone: String,
    pub theme: String,
    pub organisation: Organisation,
    pub contact: Contact,
    pub verify: Verify,
    pub security_txt: Option<SecurityTxt>,
    pub hosting: Hosting,
    pub notices: NoticeSettings,
    pub check: CheckSettings,
    pub extra: serde_json::Value,
    /// The interface words of `language`.
    #[serde(skip)]
    pub words: std::sync::Arc<crate::base::i18n::Strings>,
    /// Every language of the site, its own first (none when it has one).
    #[serde(skip)]
    pub alternates: std::sync::Arc<Vec<crate::base::i18n::Alternate>>,
}

impl Config {
    /// Speak `words`' language: its interface words, and the promise in
    /// them (unless the site wrote its own list of what is never asked).
    pub fn in_language(&mut self, words: std::sync::Arc<crate::base::i18n::Strings>) {
        if self.language != words.lang {
            // What the site lists is in its own language: another's pages
            // list the translation file's (`verify.never_ask_default`,
            // which the site's `i18n/<lang>.toml` says in that language).
            if !self.verify.never_ask.is_empty() {
                self.verify.never_ask = words.never_ask_default().to_vec();
            }
            self.verify.promise = words.promise(&[]);
        } else if self.verify.never_ask.is_empty() {
            self.verify.promise = words.promise(&[]);
        }
        // The site's own words, where its i18n/<lang>.toml says them.
        if let Some(t) = words.site_setting("title") {
            self.title = t.to_string();
        }
        if let Some(d) = words.site_setting("description") {
            self.description = d.to_string();
        }
        if let (Some(h), Some(_)) = (words.site_setting("hours"), &self.contact.hours) {
            self.contact.hours = Some(h.to_string());
        }
        self.language = words.lang.clone();
        self.words = words;
    }
}

/// `[check]`: which regimes `candor check` applies, and its thresholds.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSettings {
    pub regimes: Vec<Regime>,
    pub reading_grade_max: f64,
    /// Hours an open incident may go without an update.
    pub update_every: i64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            regimes: Vec::new(),
            reading_grade_max: 8.0,
            update_every: 48,
        }
    }
}

/// Files for particular hosts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hosting {
    /// Write `_headers` (Netlify, Cloudflare Pages) with security headers and cache rules.
    pub headers: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Organisation {
    pub name: String,
    pub website: Option<String>,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Contact {
    pub phone: Option<String>,
    pub hours: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
    pub postal: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Verify {
    pub domains: Vec<String>,
    pub senders: Vec<String>,
    pub phones: Vec<String>,
    /// What the organisation will never ask for ("your password or PIN").
    pub never_ask: Vec<String>,
    /// The promise made from `never_ask`, worded once for the web, emails
    /// and letters: "We will never ask for your password, your bank details
    /// or a payment."
    pub promise: String,
}

/// What is never asked for when `[verify] never_ask` does not say.
const NEVER_ASK: &[&str] = &["your password", "your bank details", "a payment"];

/// "We will never ask for a, b or c."
fn promise(never_ask: &[String]) -> String {
    let items: Vec<&str> = match never_ask {
        [] => NEVER_ASK.to_vec(),
        list => list.iter().map(String::as_str).collect(),
    };
    let list = match items.as_slice() {
        [.., last] if items.len() > 1 => {
            format!("{} or {last}", items[..items.len() - 1].join(", "))
        }
        _ => items.join(""),
    };
    format!("We will never ask for {list}.")
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityTxt {
    pub contact: Vec<String>,
    pub expires: String,
    pub preferred_languages: Option<String>,
    pub policy: Option<String>,
}

pub const FILE: &str = "site.toml";

/// The schemes a web address in a setting may have.
const WEB: &[&str] = &["https://", "http://"];

/// `[notices]`: where and how the email, letter and social renders are made.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeSettings {
    /// The From address of emails (default: the contact email).
    pub from: String,
    /// The From name (default: the organisation's name).
    pub from_name: String,
    pub paper: Paper,
    /// Folder beside the site, relative to it (default `notices`).
    pub output: String,
}

/// Read `site.toml` from a site folder: its text (what every output is made
/// from) and the settings, or why it cannot be read (a usage error: there is
/// no site here).
pub fn read(site: &Path) -> Result<String, Diagnostic> {
    let path = site.join(FILE);
    std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(FILE, format!("cannot read {}: {e}", path.display())).with_hint(
            "run candor in a site folder, pass --site DIR, or start one with `candor init`",
        )
    })
}

/// Read and check `site.toml`. Returns `None` when it has errors (all of them
/// in `diags`).
pub fn load(text: String, diags: &mut Vec<Diagnostic>) -> Option<Config> {
    let file = SourceFile {
        path: FILE.to_string(),
        text,
    };
    let (table, errors) = toml::de::DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        for e in errors {
            diags.push(
                file.error(
                    e.span().unwrap_or(0..0),
                    format!("invalid TOML: {}", e.message().trim()),
                )
                .with_hint("strings need double quotes; sections look like [contact]"),
            );
        }
        return None;
    }
    let table = table.into_inner();
    let before = diags.iter().filter(|d| d.is_error()).count();
    diags.extend(crate::load::walk::hidden_characters(&file.text, FILE));
    let mut f = Fields::new(&file, &table, 0, 0..0, "site.toml", diags);
    // Every key is read before anything is decided: one run reports all.
    let title = f.required_string("title", "\"Example Ltd: security incident\"");
    if let Some(t) = &title {
        f.single_line("title", t);
    }
    let description = f.text("description");
    let base_url = f.required_string("base_url", "\"https://status.example.org\"");
    let language = f.text("language");
    let languages = f.texts("languages");
    let timezone = f.string("timezone");
    let theme = f.text("theme");
    let organisation = organisation(&mut f);
    let contact = f.table("contact", contact).unwrap_or_default();
    let verify = f.table("verify", verify).unwrap_or_else(|| Verify {
        promise: promise(&[]),
        ..Verify::default()
    });
    let security_txt = f.table("security_txt", security_txt);
    let notices = f.table("notices", |n| {
        let from = n.line("from");
        let from_name = n.line("from_name");
        (from, from_name, n.word("paper"), n.text("output"))
    });
    let check = f.table("check", check).unwrap_or_default();
    let hosting = f
        .table("hosting", |h| Hosting {
            headers: h.bool("headers").unwrap_or(false),
        })
        .unwrap_or_default();
    let extra = f
        .any("extra")
        .unwrap_or(serde_json::Value::Object(Default::default()));
    // What authors put here that belongs to an incident.
    for key in [
        "notified",
        "discovered",
        "data_types",
        "jurisdictions",
        "people_affected",
        "severity",
    ] {
        f.misplaced(
            key,
            "an incident's front matter: content/incidents/<name>/_index.md",
        );
    }
    let base_path = base_url
        .as_ref()
        .map_or_else(|| "/".to_string(), |url| base_path(&mut f, url));
    check_timezone(&mut f, timezone.as_ref());
    f.finish();
    if diags.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    if timezone.is_none() {
        diags.push(
            Diagnostic::warning(FILE, "no `timezone` set: times are shown in UTC")
                .with_hint("add timezone = \"Europe/London\" (or your own IANA zone) so readers see local times"),
        );
    }
    let base_url = base_url?.into_inner();
    let organisation = organisation?;
    let (from, from_name, paper, notices_output) = notices.unwrap_or_default();
    let notices = NoticeSettings {
        from: from
            .or_else(|| contact.email.clone())
            .unwrap_or_else(|| format!("noreply@{}", text::host_of(&base_url))),
        from_name: from_name.unwrap_or_else(|| organisation.name.clone()),
        paper: paper.unwrap_or(Paper::A4),
        output: notices_output.unwrap_or_else(|| "notices".to_string()),
    };
    Some(Config {
        title: title?.into_inner(),
        description: description.unwrap_or_default(),
        base_url: base_url.trim_end_matches('/').to_string(),
        root_path: base_path.clone(),
        base_path,
        language: language.unwrap_or_else(|| "en".to_string()),
        languages,
        lang_prefix: String::new(),
        timezone: timezone.map_or_else(|| "UTC".to_string(), Spanned::into_inner),
        theme: theme.unwrap_or_else(|| "default".to_string()),
        organisation,
        contact,
        verify,
        security_txt,
        hosting,
        notices,
        check,
        extra,
        words: crate::base::i18n::Strings::english(),
        alternates: Default::default(),
    })
}

/// `[organisation]`, which every site needs.
fn organisation(f: &mut Fields<'_, '_>) -> Option<Organisation> {
    let organisation = f.table("organisation", |o| {
        let name = o.required_string("name", "\"Example Ltd\"");
        Organisation {
            // The From name of every email: one line.
            name: name
                .filter(|n| o.single_line("name", n))
                .map(Spanned::into_inner)
                .unwrap_or_default(),
            website: o.url("website", WEB),
            address: o.texts("address"),
        }
    });
    if organisation.is_none() && !f.has("organisation") {
        f.error_at(
            0..0,
            "site.toml has no [organisation] section",
            "add:\n[organisation]\nname = \"Example Ltd\"",
        );
    }
    organisation
}

fn contact(c: &mut Fields<'_, '_>) -> Contact {
    Contact {
        phone: c.line("phone"),
        hours: c.text("hours"),
        email: c.line("email"),
        web: c.url("web", WEB),
        postal: c.texts("postal"),
    }
}

fn verify(v: &mut Fields<'_, '_>) -> Verify {
    let never_ask = v.texts("never_ask");
    Verify {
        domains: v.texts("domains"),
        senders: v.texts("senders"),
        phones: v.texts("phones"),
        promise: promise(&never_ask),
        never_ask,
    }
}

fn security_txt(s: &mut Fields<'_, '_>) -> SecurityTxt {
    let contact = s.urls("contact", &["mailto:", "https://", "tel:"]);
    if contact.is_empty() && !s.has("contact") {
        s.error_at(
            0..0,
            "[security_txt] needs `contact`",
            "contact = [\"mailto:security@example.org\"]",
        );
    }
    let expires = s.required_instant("expires");
    SecurityTxt {
        contact,
        expires: expires
            .map(|t| time::iso_utc(t.into_inner()))
            .unwrap_or_default(),
        preferred_languages: s.line("preferred_languages"),
        policy: s.url("policy", &["https://"]),
    }
}

fn check(c: &mut Fields<'_, '_>) -> CheckSettings {
    let defaults = CheckSettings::default();
    CheckSettings {
        regimes: c.words("regimes"),
        reading_grade_max: c
            .integer("reading_grade_max")
            .map_or(defaults.reading_grade_max, |n| n as f64),
        update_every: c.integer("update_every").unwrap_or(defaults.update_every),
    }
}

/// The path of a well-formed `base_url` (`/` when it is not).
fn base_path(f: &mut Fields<'_, '_>, url: &Spanned<String>) -> String {
    match parse_base_url(url.get_ref()) {
        Ok(path) => path,
        Err(msg) => {
            f.error_at(
                url.span(),
                msg,
                "use the address the site will be published at, such as \"https://status.example.org\" or \"https://example.org/incident/\"",
            );
            "/".to_string()
        }
    }
}

fn check_timezone(f: &mut Fields<'_, '_>, timezone: Option<&Spanned<String>>) {
    if let Some(tz) = timezone
        && Clock::new(tz.get_ref()).is_err()
    {
        f.error_at(
            tz.span(),
            format!("`{}` is not an IANA time zone", tz.get_ref()),
            "use a name such as \"Europe/London\", \"America/New_York\" or \"UTC\"",
        );
    }
}

/// Check a base URL and return its path, with a leading and trailing slash.
pub fn parse_base_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("base_url `{url}` has no host name"));
    }
    // A host name, an IPv4 address or a bracketed IPv6 one, and a port:
    // anything else (`"`, `<`, `>`) would break out of every link it is in.
    let host_ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(c));
    if !host_ok {
        return Err(format!(
            "base_url `{url}` has characters a host name cannot have"
        ));
    }
    if path.contains(['?', '#']) || path.contains(char::is_whitespace) {
        return Err(format!(
            "base_url `{url}` may have a path but no query, fragment or spaces"
        ));
    }
    let path = path.trim_matches('/');
    Ok(if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    })
}

impl Config {
    /// The site's origin: `https://example.org`.
    pub fn origin(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        match self.base_url[after_scheme..].find('/') {
            Some(i) => &self.base_url[..after_scheme + i],
            None => &self.base_url,
        }
    }

    /// A root-relative URL for a site path (`faq/` → `/prefix/faq/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// An absolute URL for a site path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.origin(), self.url(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_promise_is_worded_once() {
        assert_eq!(
            promise(&[]),
            "We will never ask for your password, your bank details or a payment."
        );
        let one = vec!["your PIN".to_string()];
        assert_eq!(promise(&one), "We will never ask for your PIN.");
        let two = vec!["a".to_string(), "b".to_string()];
        assert_eq!(promise(&two), "We will never ask for a or b.");
    }

    #[test]
    fn base_url_path_prefix() {
        assert_eq!(parse_base_url("https://example.org").unwrap(), "/");
        assert_eq!(parse_base_url("https://example.org/").unwrap(), "/");
        assert_eq!(
            parse_base_url("https://example.org/incident").unwrap(),
            "/incident/"
        );
        assert!(parse_base_url("example.org").is_err());
        assert!(parse_base_url("https://ex\"<a>ample.org/").is_err());
        assert!(parse_base_url("https://[::1]:8080/x/").is_ok());
        assert!(parse_base_url("https:///x").is_err());
    }

    #[test]
    fn urls_honour_the_prefix() {
        let mut diags = Vec::new();
        let c = load(
            "title = \"T\"\nbase_url = \"https://example.org/incident/\"\ntimezone = \"UTC\"\n[organisation]\nname = \"Org\"\n".into(),
            &mut diags,
        )
        .unwrap();
        assert_eq!(c.url("/faq/"), "/incident/faq/");
        assert_eq!(c.permalink("faq/"), "https://example.org/incident/faq/");
        assert_eq!(c.origin(), "https://example.org");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut diags = Vec::new();
        let c = load(
            "title = 3\nbase_url = \"ftp://x\"\ntimezone = \"Mars/Olympus\"\ntheem = \"x\"\n"
                .into(),
            &mut diags,
        );
        assert!(c.is_none());
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(diags.len(), 5, "{messages:#?}");
        assert!(
            diags
                .iter()
                .any(|d| d.hint.as_deref() == Some("did you mean `theme`?"))
        );
    }
}
