//! The recipients file: CSV with a header row, read one row at a time.
//!
//! | column | |
//! |---|---|
//! | `name` | required |
//! | `address_1` … `address_6`, `town`, `region`, `postcode`, `country` | a postal address (`city`, `state`, `county`, `zip` are read as `town`, `region`, `postcode`) |
//! | `email` | an email address |
//! | `audience` | required when the incident has audiences: one of their ids |
//! | `language` | optional: the language of the person's letter and email, one of the site's (`language` and `languages` in site.toml); empty is the site's own |
//! | `id` | optional: who the person is, for their reference code (else their email, else name and address) |
//! | the offer's code, such as `enrolment_code` | required for the people of an audience whose offer has a code |
//!
//! Any other column reaches the templates as `recipient.<column>`. Each row
//! needs an address or an email. Problems are named by row and column,
//! never by value: the file holds personal data.

use std::fs::File;

use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::site::Failure;

/// One person.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The line the row starts on (the header is line 1).
    pub line: u64,
    pub name: String,
    pub address: Vec<String>,
    pub town: Option<String>,
    pub region: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    /// The audience's id; empty when the incident has none.
    pub audience: String,
    /// The language of the person's notice, as the site names it (checked).
    pub language: String,
    pub id: Option<String>,
    pub offer_code: Option<String>,
    /// The other columns, in the header's order.
    pub extra: Vec<String>,
}

impl Row {
    /// Who the person is, for their code and for finding the same person
    /// twice: their `id`, else their email, else their name and address.
    pub fn identity(&self) -> String {
        if let Some(id) = &self.id {
            return format!("id:{}", id.trim());
        }
        if let Some(e) = &self.email {
            return format!("email:{}", e.trim().to_lowercase());
        }
        let squash = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        format!(
            "post:{}|{}|{}",
            squash(&self.name),
            squash(&self.address.join(" ")),
            squash(self.postcode.as_deref().unwrap_or(""))
        )
    }

    pub fn has_address(&self) -> bool {
        !self.address.is_empty()
    }

    /// The address as it goes on the envelope, a line each.
    pub fn address_block(&self) -> String {
        let mut lines: Vec<String> = self.address.clone();
        let us = self.place().starts_with("us");
        match (&self.town, &self.region, &self.postcode) {
            (Some(t), r, p) if us => {
                let mut l = t.clone();
                if let Some(r) = r {
                    l.push_str(&format!(", {r}"));
                }
                if let Some(p) = p {
                    l.push_str(&format!(" {p}"));
                }
                lines.push(l);
            }
            (t, r, p) => lines.extend([t, r, p].into_iter().flatten().cloned()),
        }
        if let Some(c) = &self.country {
            lines.push(c.clone());
        }
        lines.join("\n")
    }

    /// Where the person lives, as the rules name places: `uk`, `us-ca`,
    /// `us`, `eu`, another country's code, or `unknown`.
    pub fn place(&self) -> String {
        let Some(country) = &self.country else {
            return "unknown".into();
        };
        let c = country.trim().to_lowercase();
        let c = c.trim_end_matches('.');
        match c {
            "gb" | "uk" | "united kingdom" | "great britain" | "england" | "scotland" | "wales"
            | "northern ireland" => "uk".into(),
            "us" | "usa" | "u.s" | "u.s.a" | "united states" | "united states of america" => {
                match self.region.as_deref().map(|r| r.trim().to_lowercase()) {
                    Some(r) if r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()) => {
                        format!("us-{r}")
                    }
                    Some(r) => us_state(&r).map_or_else(|| "us".into(), |s| format!("us-{s}")),
                    None => "us".into(),
                }
            }
            "pr" | "puerto rico" => "us-pr".into(),
            "gu" | "guam" => "us-gu".into(),
            "vi" | "us virgin islands" | "u.s. virgin islands" => "us-vi".into(),
            "ca" | "can" | "canada" => {
                match self.region.as_deref().map(|r| r.trim().to_lowercase()) {
                    Some(r) if r == "qc" || r == "quebec" || r == "québec" => "ca-qc".into(),
                    _ => "ca".into(),
                }
            }
            "au" | "aus" | "australia" => "au".into(),
            "nz" | "new zealand" | "aotearoa" => "nz".into(),
            // The EU, and the EEA states that apply the GDPR.
            c if EU.contains(&c)
                || matches!(
                    c,
                    "is" | "li" | "no" | "iceland" | "liechtenstein" | "norway"
                ) =>
            {
                "eu".into()
            }
            c => c.to_string(),
        }
    }
}

const EU: &[&str] = &[
    "at",
    "be",
    "bg",
    "hr",
    "cy",
    "cz",
    "dk",
    "ee",
    "fi",
    "fr",
    "de",
    "gr",
    "hu",
    "ie",
    "it",
    "lv",
    "lt",
    "lu",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "si",
    "es",
    "se",
    "austria",
    "belgium",
    "bulgaria",
    "croatia",
    "cyprus",
    "czechia",
    "denmark",
    "estonia",
    "finland",
    "france",
    "germany",
    "greece",
    "hungary",
    "ireland",
    "italy",
    "latvia",
    "lithuania",
    "luxembourg",
    "malta",
    "netherlands",
    "poland",
    "portugal",
    "romania",
    "slovakia",
    "slovenia",
    "spain",
    "sweden",
];

fn us_state(name: &str) -> Option<&'static str> {
    Some(match name {
        "california" => "ca",
        "massachusetts" => "ma",
        "new york" => "ny",
        "texas" => "tx",
        "florida" => "fl",
        "illinois" => "il",
        "washington" => "wa",
        _ => return None,
    })
}

/// A column name as the file would spell it: "Enrolment code" →
/// `enrolment_code`.
pub fn column_name(label: &str) -> String {
    label
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// What each column of the header is.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Name,
    Address(usize),
    Town,
    Region,
    Postcode,
    Country,
    Email,
    Audience,
    Language,
    Id,
    OfferCode,
    Extra(usize),
}

pub struct Rows {
    reader: csv::Reader<File>,
    file: String,
    columns: Vec<(String, Column)>,
    extra: Vec<String>,
    /// Each audience's id, and whether its people need an offer code.
    audiences: Vec<(String, bool)>,
    /// The site's languages, its own first.
    languages: Vec<String>,
    record: csv::ByteRecord,
}

impl Rows {
    /// The site's name for a language a row gives (`CY`, `cy-GB` → `cy`);
    /// empty is the site's own.
    fn language_of(&self, given: &str) -> Option<String> {
        let own = self.languages.first().cloned().unwrap_or_default();
        let given = given.trim();
        if given.is_empty() {
            return Some(own);
        }
        let primary = |t: &str| {
            t.split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        self.languages
            .iter()
            .find(|l| l.eq_ignore_ascii_case(given))
            .or_else(|| self.languages.iter().find(|l| primary(l) == primary(given)))
            .cloned()
    }

    pub fn open(
        source: File,
        file: &str,
        audiences: &[(String, bool)],
        languages: &[String],
        offer_column: Option<&str>,
    ) -> Result<Rows, Failure> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(source);
        let header_error = |message: String, hint: String| {
            let mut d = Diagnostic::error(file, message).with_hint(hint);
            d.line = 1;
            Failure::of(vec![d])
        };
        let header = reader.byte_headers().map_err(|e| {
            header_error(
                format!("the first row must name the columns: {}", csv_problem(&e)),
                "start the file with a row such as: name,address_1,town,postcode,country,email,audience".into(),
            )
        })?;
        let mut columns = Vec::new();
        let mut extra = Vec::new();
        let mut problems = Vec::new();
        for raw in header.iter() {
            let name = column_name(&String::from_utf8_lossy(raw));
            let column = match name.as_str() {
                "name" | "full_name" => Column::Name,
                "address" | "address_line_1" => Column::Address(0),
                "town" | "city" => Column::Town,
                "region" | "state" | "county" | "province" => Column::Region,
                "postcode" | "zip" | "zip_code" | "postal_code" => Column::Postcode,
                "country" => Column::Country,
                "email" | "email_address" => Column::Email,
                "audience" => Column::Audience,
                "language" | "lang" | "preferred_language" => Column::Language,
                "id" => Column::Id,
                n if Some(n) == offer_column => Column::OfferCode,
                n => match n
                    .strip_prefix("address_line_")
                    .or_else(|| n.strip_prefix("address_"))
                    .and_then(|d| d.parse::<usize>().ok())
                {
                    Some(i) if (1..=6).contains(&i) => Column::Address(i - 1),
                    _ => {
                        extra.push(name.clone());
                        Column::Extra(extra.len() - 1)
                    }
                },
            };
            let twice = columns.iter().any(|(n, c): &(String, Column)| {
                *n == name || (*c == column && !matches!(c, Column::Extra(_)))
            });
            if twice {
                problems.push(format!("the column `{name}` is there twice"));
            }
            columns.push((name, column));
        }
        let has = |c: Column| columns.iter().any(|(_, x)| *x == c);
        if !has(Column::Name) {
            let known: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
            problems.push(format!(
                "there is no `name` column{}",
                did_you_mean("name", known.iter().copied())
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ));
        }
        if !audiences.is_empty() && !has(Column::Audience) {
            problems.push(format!(
                "there is no `audience` column: the incident has audiences ({})",
                audiences
                    .iter()
                    .map(|(a, _)| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if audiences.iter().any(|(_, code)| *code) && !has(Column::OfferCode) {
            problems.push(format!(
                "there is no `{}` column: an audience's offer gives each person a code",
                offer_column.unwrap_or("code")
            ));
        }
        if !has(Column::Address(0)) && !has(Column::Email) {
            problems.push(
                "there is no `address_1` and no `email` column: nowhere to send anything".into(),
            );
        }
        // Extra columns must not shadow the fields candor fills.
        for n in &extra {
            if ["code", "link", "lookup", "offer_code"].contains(&n.as_str()) {
                problems.push(format!("the column `{n}` is a name candor fills itself"));
            }
        }
        if !problems.is_empty() {
            let ds = problems
                .into_iter()
                .map(|p| {
                    let mut d = Diagnostic::error(file, p).with_hint(
                        "the columns: name, address_1 … address_6, town, region, postcode, country, email, audience, id, and any of your own",
                    );
                    d.line = 1;
                    d
                })
                .collect();
            return Err(Failure::of(ds));
        }
        Ok(Rows {
            reader,
            file: file.to_string(),
            columns,
            extra,
            audiences: audiences.to_vec(),
            languages: languages.to_vec(),
            record: csv::ByteRecord::new(),
        })
    }

    pub fn extra_columns(&self) -> &[String] {
        &self.extra
    }

    /// A problem with a row, by its number and column only.
    pub fn problem(
        &self,
        line: u64,
        column: Option<&str>,
        message: String,
        hint: &str,
    ) -> Diagnostic {
        let at = match column {
            Some(c) => format!("row {line}, column `{c}`: {message}"),
            None => format!("row {line}: {message}"),
        };
        let mut d = Diagnostic::error(&self.file, at).with_hint(hint);
        d.line = usize::try_from(line).unwrap_or(0);
        d
    }

    /// The next row: `Ok` if it is right, `Err(line)` with its problems in
    /// `bad`; `None` at the end.
    pub fn next_checked(&mut self, bad: &mut Vec<Diagnostic>) -> Option<Result<Row, u64>> {
        let mut record = std::mem::take(&mut self.record);
        let result = self.reader.read_byte_record(&mut record);
        let line = record.position().map_or(0, |p| p.line());
        let out = match result {
            Ok(false) => None,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                bad.push(self.problem(line, None, csv_problem(&e), "fix the row's quoting"));
                Some(Err(line))
            }
            Ok(true) => Some(self.read(&record, line, bad)),
        };
        self.record = record;
        out
    }

    fn read(
        &self,
        record: &csv::ByteRecord,
        line: u64,
        bad: &mut Vec<Diagnostic>,
    ) -> Result<Row, u64> {
        let before = bad.len();
        if record.iter().all(|f| f.is_empty()) {
            // A blank line: not a person.
            return Err(line);
        }
        if record.len() != self.columns.len() {
            bad.push(self.problem(
                line,
                None,
                format!(
                    "{} cells, but the first row names {} columns",
                    record.len(),
                    self.columns.len()
                ),
                "put each value in its column; quote a value that holds a comma",
            ));
            return Err(line);
        }
        let mut row = Row {
            line,
            extra: vec![String::new(); self.extra.len()],
            ..Row::default()
        };
        let mut address: Vec<(usize, String)> = Vec::new();
        for (raw, (name, column)) in record.iter().zip(&self.columns) {
            let Ok(text) = std::str::from_utf8(raw) else {
                bad.push(self.problem(
                    line,
                    Some(name),
                    "is not UTF-8 text".into(),
                    "save the file as UTF-8",
                ));
                continue;
            };
            if text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
            {
                bad.push(self.problem(
                    line,
                    Some(name),
                    "holds a control character".into(),
                    "remove it",
                ));
                continue;
            }
            let value = (!text.is_empty()).then(|| text.to_string());
            match column {
                Column::Name => row.name = text.to_string(),
                Column::Address(i) => {
                    if let Some(v) = value {
                        address.push((*i, v));
                    }
                }
                Column::Town => row.town = value,
                Column::Region => row.region = value,
                Column::Postcode => row.postcode = value,
                Column::Country => row.country = value,
                Column::Email => row.email = value,
                Column::Audience => row.audience = text.to_string(),
                Column::Language => row.language = text.to_string(),
                Column::Id => row.id = value,
                Column::OfferCode => row.offer_code = value,
                Column::Extra(i) => row.extra[*i] = text.to_string(),
            }
        }
        address.sort_by_key(|(i, _)| *i);
        row.address = address.into_iter().map(|(_, v)| v).collect();
        if row.name.trim().is_empty() {
            bad.push(self.problem(
                line,
                Some("name"),
                "is empty".into(),
                "every letter and email is addressed to a person by name",
            ));
        }
        if row.address.is_empty() && row.email.is_none() {
            bad.push(self.problem(
                line,
                None,
                "has no postal address and no email: nowhere to send the notice".into(),
                "add an address (address_1 …) or an email",
            ));
        }
        if row.has_address()
            && row.town.is_none()
            && row.postcode.is_none()
            && row.address.len() < 2
        {
            bad.push(
                self.problem(
                    line,
                    Some("address_1"),
                    "is the whole address: a letter needs at least a street and a town or postcode"
                        .into(),
                    "add the town (or postcode) in its own column",
                ),
            );
        }
        if let Some(e) = &row.email
            && !is_email(e)
        {
            bad.push(self.problem(
                line,
                Some("email"),
                "is not an email address".into(),
                "write it as name@example.org, or leave it empty",
            ));
        }
        // A language code is not personal data: it is named.
        match self.language_of(&row.language) {
            Some(lang) => row.language = lang,
            None => bad.push(self.problem(
                line,
                Some("language"),
                // Only a language tag is named: a shifted row could put
                // anything here.
                if crate::base::text::is_language_tag(&row.language) {
                    format!("`{}` is not one of the site's languages", row.language)
                } else {
                    "is not a language tag, such as cy or en-GB".to_string()
                },
                &format!(
                    "write one of: {} (or leave it empty for {}); add a language to `languages` in site.toml to write in it",
                    self.languages.join(", "),
                    self.languages.first().map_or("", String::as_str)
                ),
            )),
        }
        if self.audiences.is_empty() {
            if !row.audience.is_empty() {
                bad.push(self.problem(
                    line,
                    Some("audience"),
                    "names an audience, but the incident has none".into(),
                    "leave the column empty, or declare the incident's [[audience]] tables",
                ));
            }
        } else {
            match self.audiences.iter().find(|(a, _)| *a == row.audience) {
                None if row.audience.is_empty() => bad.push(self.problem(
                    line,
                    Some("audience"),
                    "is empty".into(),
                    &format!("write one of: {}", self.ids().join(", ")),
                )),
                None => {
                    // An audience id is not personal data: it is named.
                    let hint = did_you_mean(&row.audience, self.ids())
                        .unwrap_or_else(|| format!("write one of: {}", self.ids().join(", ")));
                    bad.push(self.problem(
                        line,
                        Some("audience"),
                        format!("`{}` is not one of the incident's audiences", row.audience),
                        &hint,
                    ));
                }
                Some((_, true)) if row.offer_code.is_none() => bad.push(self.problem(
                    line,
                    Some(self.offer_name()),
                    "is empty, but this person's audience is offered a code".into(),
                    "give each person of the audience their code",
                )),
                Some(_) => {}
            }
        }
        if bad.len() > before {
            Err(line)
        } else {
            Ok(row)
        }
    }

    fn ids(&self) -> Vec<&str> {
        self.audiences.iter().map(|(a, _)| a.as_str()).collect()
    }

    fn offer_name(&self) -> &str {
        self.columns
            .iter()
            .find(|(_, c)| *c == Column::OfferCode)
            .map_or("code", |(n, _)| n.as_str())
    }
}

/// What is wrong with a row of CSV, without its text.
fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} cells, but the first row names {expected_len} columns")
        }
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".into(),
        csv::ErrorKind::Io(e) => format!("cannot be read: {e}"),
        _ => "is not valid CSV".into(),
    }
}

/// An address a mail service would take: one `@`, something before it, a
/// domain with a dot after it, no spaces.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && s.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && c != '<' && c != '>' && c != ',' && c != '"'
        })
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_places() {
        assert!(is_email("ann@example.org"));
        assert!(!is_email("ann@example"));
        assert!(!is_email("ann example.org"));
        assert!(!is_email("ann@exa mple.org"));
        assert!(!is_email("a@b@example.org"));
        let mut row = Row {
            country: Some("United States".into()),
            region: Some("CA".into()),
            ..Row::default()
        };
        assert_eq!(row.place(), "us-ca");
        row.region = Some("Massachusetts".into());
        assert_eq!(row.place(), "us-ma");
        row.country = Some("GB".into());
        assert_eq!(row.place(), "uk");
        row.country = Some("Canada".into());
        row.region = Some("QC".into());
        assert_eq!(row.place(), "ca-qc");
        row.country = Some("Norway".into());
        assert_eq!(row.place(), "eu");
        row.country = Some("Puerto Rico".into());
        assert_eq!(row.place(), "us-pr");
        row.country = None;
        assert_eq!(row.place(), "unknown");
        assert_eq!(column_name("Enrolment code"), "enrolment_code");
        assert_eq!(column_name(" Address-Line 1 "), "address_line_1");
    }
}
