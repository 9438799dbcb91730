//! `candor notices --recipients FILE.csv`: a personal letter and email for
//! every person affected, at any scale, and the "Am I affected?" answers.
//!
//! The file is read twice, streamed: first every row is checked (nothing
//! is written while any row is wrong, unless `--skip-invalid`), then each
//! row is filled into its audience's letter and email, rendered once by the
//! theme's templates with a stand-in for each field ([`merge`]). What it
//! writes, into the private mailing folder (`mailing/` beside `public/`,
//! never published):
//!
//! ```text
//! mailing/<incident>/letters/letters-00001.html   500 letters a file, one a page
//! mailing/<incident>/letters/mailing.csv         one row a letter, for print-and-mail services
//! mailing/<incident>/emails/00001/<code>.eml      one addressed message a person
//! mailing/<incident>/summary.json, summary.txt   people per audience and place
//! ```
//!
//! and, into the site's `static/affected/` (published by the next build):
//! the answers, keyed by a hash of each person's reference code ([`code`]),
//! holding no name, address or email.
//!
//! Personal data never reaches an error message (rows are named by their
//! number and column), a log, `public/` or the preview.

pub mod code;
pub mod merge;
mod rows;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;

use crate::base::diagnostics::Diagnostic;
use crate::base::output;
use crate::model::IncidentView;
use crate::render::notices::{self, Personal};
use crate::site::{self, BuildOptions, Compiled, Failure};
use merge::{Escape, Merge, stand_in};
use rows::{Row, Rows};

/// Letters in one printable file.
pub const LETTERS_PER_FILE: usize = 500;
/// Emails in one folder.
const EMAILS_PER_FOLDER: usize = 1000;
/// Rows filled at a time: memory stays flat in the number of rows.
const CHUNK: usize = 1024;

#[derive(Debug, Clone)]
pub struct Options {
    pub site: PathBuf,
    pub recipients: PathBuf,
    /// The incident, by its folder name (default: the only one published).
    pub incident: Option<String>,
    /// Leave out the rows that are wrong (listed), instead of stopping.
    pub skip_invalid: bool,
    /// Where to write (default: `mailing/` in the site folder).
    pub output: Option<PathBuf>,
    pub now: Timestamp,
}

/// What a run wrote, for the person who ran it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub incident: String,
    pub people: usize,
    pub letters: usize,
    pub emails: usize,
    pub audiences: BTreeMap<String, usize>,
    /// People by the place they live: `uk`, `us-ca`, … (`unknown` when the
    /// row gives no country).
    pub places: BTreeMap<String, usize>,
    /// Rows left out with `--skip-invalid`, by number.
    pub skipped: Vec<u64>,
    #[serde(skip)]
    pub folder: PathBuf,
    #[serde(skip)]
    pub lookup: PathBuf,
    #[serde(skip)]
    pub elapsed: Duration,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

/// One audience's notice, made once, with the pieces to fill.
struct Notice {
    letter: Merge,
    email_html: Merge,
    email_text: Merge,
    subject: String,
    /// The audience's index in the lookup's list.
    index: usize,
    has_offer_code: bool,
}

/// The fields a person's notice is filled with, in stand-in order.
const FIELDS: &[&str] = &[
    "name",
    "address",
    "email",
    "code",
    "link",
    "lookup",
    "offer_code",
];

pub fn run(opts: &Options) -> Result<Summary, Failure> {
    let start = Instant::now();
    let compiled = site::compile(&BuildOptions {
        site: opts.site.clone(),
        output: None,
        drafts: false,
        now: opts.now,
        base_url: None,
        notices: None,
        paper: None,
        lenient: false,
        locked: false,
        all_notices: false,
    })?;
    let inc = pick_incident(&compiled, opts.incident.as_deref())?;
    let file = opts.recipients.display().to_string();
    let source = std::fs::File::open(&opts.recipients).map_err(|e| {
        Failure::of(vec![
            Diagnostic::error(&file, format!("cannot read the recipients file: {e}")).io(),
        ])
    })?;
    // Who may be named in the file, and what each audience needs.
    let audiences: Vec<(String, bool)> = inc
        .for_audiences
        .iter()
        .filter_map(|v| v.audience.as_ref())
        .map(|a| {
            (
                a.id.clone(),
                a.offer.as_ref().is_some_and(|o| o.code.is_some()),
            )
        })
        .collect();
    let offer_column = offer_column(inc);
    // The site's languages, its own first: each person's notice is in theirs.
    let languages: Vec<String> = std::iter::once(compiled.config.language.clone())
        .chain(compiled.config.languages.iter().cloned())
        .collect();
    // 1. every row, checked before anything is written
    let mut rows = Rows::open(
        source,
        &file,
        &audiences,
        &languages,
        offer_column.as_deref(),
    )?;
    let extra = rows.extra_columns().to_vec();
    let mut seen: HashMap<[u8; 16], u64> = HashMap::new();
    let mut bad: Vec<Diagnostic> = Vec::new();
    let mut bad_rows: HashSet<u64> = HashSet::new();
    let mut total = 0usize;
    while let Some(row) = rows.next_checked(&mut bad) {
        total += 1;
        match row {
            Ok(row) => {
                let id = identity_hash(&row);
                if let Some(first) = seen.get(&id) {
                    bad.push(rows.problem(
                        row.line,
                        None,
                        format!("the same person as row {first}"),
                        "remove one of them, or give each person an `id` column of their own",
                    ));
                    bad_rows.insert(row.line);
                } else {
                    seen.insert(id, row.line);
                }
            }
            Err(line) => {
                bad_rows.insert(line);
            }
        }
    }
    drop(seen);
    if !bad.is_empty() && !opts.skip_invalid {
        let n = bad_rows.len();
        let mut all = bad;
        all.push(
            Diagnostic::error(
                &file,
                format!(
                    "{n} of {total} rows are wrong: nothing was written"
                ),
            )
            .with_hint("fix them and run again, or pass --skip-invalid to leave them out (they are listed)"),
        );
        return Err(Failure::of(all));
    }
    let key = secret_key(&opts.site)?;
    // 2. each audience's notice, rendered once
    let lookup_url = compiled.config.permalink("affected/");
    let views: Vec<&IncidentView> = if inc.for_audiences.is_empty() {
        vec![inc]
    } else {
        inc.for_audiences.iter().collect()
    };
    // The fields, the file's own columns, then what candor draws (the QR code).
    let stand_ins: serde_json::Map<String, serde_json::Value> = FIELDS
        .iter()
        .copied()
        .chain(extra.iter().map(String::as_str))
        .chain(["qr"])
        .enumerate()
        .map(|(i, f)| (f.to_string(), serde_json::Value::String(stand_in(i))))
        .collect();
    let fields = stand_ins.len();
    let raw = fields - 1;
    let recipient = serde_json::Value::Object(stand_ins);
    // Each audience's notice in each of the site's languages.
    let prepared = other_languages(&compiled, opts);
    let mut sites: Vec<(&str, LanguageSite<'_>)> = vec![(
        compiled.config.language.as_str(),
        LanguageSite {
            config: &compiled.config,
            templates: &compiled.templates,
            model: &compiled.model,
            content: &compiled.content,
        },
    )];
    for p in &prepared {
        sites.push((
            p.config.language.as_str(),
            LanguageSite {
                config: &p.config,
                templates: &p.templates,
                model: &p.model,
                content: &p.content,
            },
        ));
    }
    let mut made: HashMap<String, HashMap<String, Notice>> = HashMap::new();
    let mut template_errors = Vec::new();
    for (lang, site) in &sites {
        let Some(inc) = site.model.incidents.iter().find(|i| i.slug == inc.slug) else {
            continue;
        };
        let views: Vec<&IncidentView> = if inc.for_audiences.is_empty() {
            vec![inc]
        } else {
            inc.for_audiences.iter().collect()
        };
        let made = made.entry(lang.to_string()).or_default();
        for (index, view) in views.iter().enumerate() {
            let id = view
                .audience
                .as_ref()
                .map_or(String::new(), |a| a.id.clone());
            let markdown = markdown_of(site.content, view);
            match notices::personal(
                site.templates,
                site.config,
                site.model,
                view,
                markdown,
                &recipient,
            ) {
                Ok(p) => match cut(&p, fields) {
                    Ok((letter, email_html, email_text)) => {
                        made.insert(
                            id.clone(),
                            Notice {
                                letter,
                                email_html,
                                email_text,
                                subject: p.subject,
                                index,
                                has_offer_code: view
                                    .audience
                                    .as_ref()
                                    .and_then(|a| a.offer.as_ref())
                                    .is_some_and(|o| o.code.is_some()),
                            },
                        );
                    }
                    Err(e) => template_errors.push(Diagnostic::error("templates/letter.html", e)),
                },
                Err(d) => template_errors.extend(d),
            }
        }
    }
    if !template_errors.is_empty() {
        return Err(Failure::of(template_errors));
    }
    // 3. every row again, filled chunk by chunk into a new folder
    let base = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.site.join("mailing"));
    refuse_public(&opts.site, &base, &compiled)?;
    let folder = base.join(&inc.slug);
    let staging = base.join(format!(".{}.candor-tmp-{}", inc.slug, std::process::id()));
    let io = |path: &Path, e: std::io::Error| {
        Failure::of(vec![output::write_error(&path.display().to_string(), e)])
    };
    let _ = std::fs::remove_dir_all(&staging);
    for dir in [staging.join("letters"), staging.join("emails")] {
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    }
    // The folder holds personal data: git is told to leave it alone.
    let ignore = base.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# Personal data: never commit or publish this folder.\n*\n",
        )
        .map_err(|e| io(&ignore, e))?;
    }
    let source = std::fs::File::open(&opts.recipients).map_err(|e| io(&opts.recipients, e))?;
    let mut rows = Rows::open(
        source,
        &file,
        &audiences,
        &languages,
        offer_column.as_deref(),
    )?;
    let mut writer = Writer::new(&staging).map_err(|e| io(&staging, e))?;
    let mut lookup: Vec<Answer> = Vec::with_capacity(total);
    let mut summary = Summary {
        incident: inc.slug.clone(),
        people: 0,
        letters: 0,
        emails: 0,
        audiences: BTreeMap::new(),
        places: BTreeMap::new(),
        skipped: {
            let mut s: Vec<u64> = bad_rows.iter().copied().collect();
            s.sort_unstable();
            s
        },
        folder: folder.clone(),
        lookup: opts.site.join("static/affected"),
        elapsed: Duration::ZERO,
        diagnostics: if opts.skip_invalid { bad } else { Vec::new() },
    };
    let site_id = compiled.config.permalink("");
    let shared = Shared {
        compiled: &compiled,
        slug: &inc.slug,
        lookup_url: &lookup_url,
        epoch: inc.last_updated.epoch,
        fields,
        raw,
    };
    loop {
        let mut chunk: Vec<Row> = Vec::with_capacity(CHUNK);
        let mut ignored = Vec::new();
        while chunk.len() < CHUNK {
            match rows.next_checked(&mut ignored) {
                None => break,
                Some(Ok(row)) if !bad_rows.contains(&row.line) => chunk.push(row),
                Some(_) => {}
            }
        }
        if chunk.is_empty() {
            break;
        }
        // Each email's number, for its folder of EMAILS_PER_FOLDER.
        let mut next = writer.emails;
        let slots: Vec<Option<usize>> = chunk
            .iter()
            .map(|r| {
                r.email.as_ref().map(|_| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        for n in slots.iter().flatten() {
            if n.is_multiple_of(EMAILS_PER_FOLDER) || *n == writer.emails {
                let dir = email_folder(&staging, *n);
                std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
            }
        }
        writer.emails = next;
        // Filled, encrypted and the emails written, in parallel.
        let filled: Vec<std::io::Result<Filled>> = chunk
            .par_iter()
            .zip(&slots)
            .map(|(row, slot)| {
                let code = code::code(&key, &site_id, &row.identity());
                // Every checked row's audience has its notice.
                let notice = made
                    .get(row.language.as_str())
                    .and_then(|m| m.get(row.audience.as_str()))
                    .ok_or_else(|| std::io::Error::other("a row's audience has no notice"))?;
                let mut f = fill(row, &code, notice, &shared);
                if let (Some(eml), Some(n)) = (f.eml.take(), slot) {
                    let path = email_folder(&staging, *n).join(format!("{}.eml", f.code));
                    std::fs::write(path, eml)?;
                }
                let secret = notice
                    .has_offer_code
                    .then(|| row.offer_code.as_deref().map(|v| encrypt(&code, v).into()))
                    .flatten();
                let hash = code::lookup_key(&code);
                let mut key = [0u8; 16];
                key.copy_from_slice(&hash[..16]);
                f.answer = Some((key, notice.index as u8, secret));
                Ok(f)
            })
            .collect();
        for (row, f) in chunk.iter().zip(filled) {
            let mut f = f.map_err(|e| io(&staging, e))?;
            *summary
                .audiences
                .entry(display_audience(&row.audience))
                .or_default() += 1;
            *summary.places.entry(row.place()).or_default() += 1;
            summary.people += 1;
            if let Some(answer) = f.answer.take() {
                lookup.push(answer);
            }
            writer.add(row, f).map_err(|e| io(&staging, e))?;
        }
    }
    let (letters, emails) = writer.finish().map_err(|e| io(&staging, e))?;
    summary.letters = letters;
    summary.emails = emails;
    let json = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    std::fs::write(staging.join("summary.json"), json).map_err(|e| io(&staging, e))?;
    std::fs::write(staging.join("summary.txt"), summary_text(&summary))
        .map_err(|e| io(&staging, e))?;
    // The new folder replaces the old one whole.
    let old = base.join(format!(".{}.candor-old-{}", inc.slug, std::process::id()));
    if folder.exists() {
        std::fs::rename(&folder, &old).map_err(|e| io(&folder, e))?;
    }
    std::fs::rename(&staging, &folder).map_err(|e| io(&folder, e))?;
    let _ = std::fs::remove_dir_all(&old);
    write_lookup(&opts.site, inc, &views, lookup).map_err(|e| io(&summary.lookup, e))?;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// The incident the file is for.
fn pick_incident<'a>(
    compiled: &'a Compiled,
    slug: Option<&str>,
) -> Result<&'a IncidentView, Failure> {
    let published: Vec<&IncidentView> = compiled
        .model
        .incidents
        .iter()
        .filter(|i| !i.draft)
        .collect();
    let names: Vec<&str> = published.iter().map(|i| i.slug.as_str()).collect();
    let found = match slug {
        Some(s) => published.iter().copied().find(|i| i.slug == s),
        None if published.len() == 1 => published.first().copied(),
        None => None,
    };
    found.ok_or_else(|| {
        let message = match slug {
            Some(s) => format!("there is no published incident `{s}`"),
            None if published.is_empty() => "the site has no published incident to write to".into(),
            None => "the site has more than one incident: say which one with --incident".into(),
        };
        Failure::of(vec![
            Diagnostic::error("", message)
                .with_hint(format!("its incidents: {}", names.join(", ")))
                .usage(),
        ])
    })
}

/// The column that holds each person's offer code ("Enrolment code" →
/// `enrolment_code`), if an audience's offer has one.
fn offer_column(inc: &IncidentView) -> Option<String> {
    inc.audiences
        .iter()
        .filter_map(|a| a.offer.as_ref()?.code.as_ref())
        .map(|c| rows::column_name(c))
        .next()
}

/// What a person's notice is made from, in one language.
struct LanguageSite<'a> {
    config: &'a crate::load::config::Config,
    templates: &'a crate::render::templates::Templates,
    model: &'a crate::model::Model,
    content: &'a crate::load::content::Content,
}

/// The site in each of its other languages, for the notices in them.
fn other_languages(compiled: &Compiled, opts: &Options) -> Vec<crate::site::languages::Prepared> {
    let config = &compiled.config;
    if config.alternates.len() < 2 {
        return Vec::new();
    }
    let clock =
        crate::base::time::Clock::or_utc(&config.timezone).in_language(config.words.clone());
    let empty = crate::record::History::default();
    let pass = crate::site::languages::Pass {
        site: &opts.site,
        config,
        clock: &clock,
        content: &compiled.content,
        history: compiled.record.as_ref().map_or(&empty, |r| &r.history),
        vis: crate::model::Visibility {
            now: opts.now,
            include_drafts: false,
        },
        all_notices: false,
        has_code: false,
    };
    // Problems were reported by the compile, in the site's own language.
    let mut quiet = Vec::new();
    config
        .alternates
        .iter()
        .skip(1)
        .filter_map(|alt| crate::site::languages::prepare(&pass, alt, &mut quiet))
        .collect()
}

fn markdown_of<'a>(content: &'a crate::load::content::Content, view: &IncidentView) -> &'a str {
    let Some(inc) = content.incidents.iter().find(|i| i.slug == view.slug) else {
        return "";
    };
    match &view.audience {
        Some(a) => inc
            .audiences
            .iter()
            .find(|x| x.id == a.id)
            .map_or("", |x| &x.body.text),
        None => &inc.body.text,
    }
}

fn cut(p: &Personal, fields: usize) -> Result<(Merge, Merge, Merge), String> {
    Ok((
        Merge::new(&p.letter, fields)?,
        Merge::new(&p.email_html, fields)?,
        Merge::new(&p.email_text, fields)?,
    ))
}

fn display_audience(id: &str) -> String {
    if id.is_empty() {
        "everyone".into()
    } else {
        id.to_string()
    }
}

/// The mailing folder must not be published.
fn refuse_public(site: &Path, base: &Path, compiled: &Compiled) -> Result<(), Failure> {
    let public = output::absolute(&site.join("public"));
    let base_abs = output::absolute(base);
    let notices = output::absolute(&site.join(&compiled.config.notices.output));
    if base_abs.starts_with(&public)
        || base_abs.starts_with(&notices)
        || base_abs.starts_with(output::absolute(&site.join("static")))
        || base_abs.starts_with(output::absolute(&site.join("content")))
    {
        return Err(Failure::of(vec![
            Diagnostic::error(
                "",
                format!("refusing to write personal letters to {}: it is published, or replaced by every build", base.display()),
            )
            .with_hint("pass --output with a folder of its own, outside public/, notices/, static/ and content/")
            .usage(),
        ]));
    }
    Ok(())
}

/// The site's secret key for reference codes: made once, kept in
/// `.candor/recipients.key` beside `site.toml`, never published.
fn secret_key(site: &Path) -> Result<Vec<u8>, Failure> {
    let dir = site.join(".candor");
    let path = dir.join("recipients.key");
    let fail = |e: String| {
        Failure::of(vec![
            Diagnostic::error(path.display().to_string(), e)
                .with_hint("the key makes each person's reference code; keep it, back it up, never publish it")
                .io(),
        ])
    };
    if let Ok(text) = std::fs::read_to_string(&path) {
        let hex = text.trim();
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect();
        return match bytes {
            Some(b) if b.len() >= 32 => Ok(b),
            _ => Err(fail(
                "this is not a key candor wrote (64 hexadecimal digits)".into(),
            )),
        };
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|e| fail(format!("no random numbers from the system: {e}")))?;
    std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# Secret: never commit or publish this folder.\n*\n",
        )
        .map_err(|e| fail(e.to_string()))?;
    }
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(&path, format!("{hex}\n")).map_err(|e| fail(e.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(key.to_vec())
}

/// A person, told apart from every other without keeping what they are.
fn identity_hash(row: &Row) -> [u8; 16] {
    let h = xxhash_rust::xxh3::xxh3_128(row.identity().as_bytes());
    h.to_le_bytes()
}

/// One person's documents.
struct Filled {
    /// The code as printed, in groups.
    code: String,
    letter: String,
    eml: Option<Vec<u8>>,
    /// The "Were you affected?" answer: the code's hash, the audience, and
    /// what only the code decrypts.
    answer: Option<Answer>,
}

/// The first 128 bits of the code's hash (the page compares 100 of them),
/// the audience's index, and what only the code decrypts.
type Answer = ([u8; 16], u8, Option<Box<str>>);

/// The folder of email number `n`.
fn email_folder(dir: &Path, n: usize) -> PathBuf {
    dir.join("emails")
        .join(format!("{:05}", n / EMAILS_PER_FOLDER + 1))
}

/// What every person's documents share.
struct Shared<'a> {
    compiled: &'a Compiled,
    slug: &'a str,
    lookup_url: &'a str,
    epoch: i64,
    fields: usize,
    /// Fields from here on are markup candor made.
    raw: usize,
}

fn fill(row: &Row, code: &str, notice: &Notice, shared: &Shared<'_>) -> Filled {
    let Shared {
        compiled,
        slug,
        lookup_url,
        epoch,
        fields,
        raw,
    } = *shared;
    let grouped = code::grouped(code);
    let link = format!("{lookup_url}#{grouped}");
    let address = row.address_block();
    let mut values: Vec<&str> = vec![
        &row.name,
        &address,
        row.email.as_deref().unwrap_or(""),
        &grouped,
        &link,
        lookup_url,
        row.offer_code.as_deref().unwrap_or(""),
    ];
    values.extend(row.extra.iter().map(String::as_str));
    values.resize(raw, "");
    let qr = if row.has_address() {
        qr_svg(&link)
    } else {
        String::new()
    };
    values.push(&qr);
    values.resize(fields, "");
    let mut letter = String::with_capacity(16 * 1024);
    if row.has_address() {
        notice.letter.fill(&values, Escape::Html, raw, &mut letter);
    }
    let eml = row.email.as_deref().map(|to| {
        let mut html = String::with_capacity(24 * 1024);
        notice
            .email_html
            .fill(&values, Escape::Html, raw, &mut html);
        let mut text = String::with_capacity(8 * 1024);
        notice
            .email_text
            .fill(&values, Escape::Text, raw, &mut text);
        notices::eml(
            &compiled.config,
            &notice.subject,
            &html,
            &text,
            &format!("{slug}.{code}"),
            epoch,
            Some((&row.name, to)),
        )
    });
    Filled {
        code: grouped,
        letter,
        eml,
        answer: None,
    }
}

/// A QR code of `text` as one SVG path, a run of dark modules a step,
/// with the quiet zone of four modules the standard asks for.
fn qr_svg(text: &str) -> String {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M) else {
        return String::new();
    };
    let width = code.width();
    let colors = code.to_colors();
    let mut d = String::with_capacity(width * width);
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if colors[y * width + x] == qrcode::Color::Dark {
                let start = x;
                while x < width && colors[y * width + x] == qrcode::Color::Dark {
                    x += 1;
                }
                d.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + 4,
                    y + 4,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    let size = width + 8;
    format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"26mm\" height=\"26mm\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code of your link\"><path fill=\"#fff\" d=\"M0 0h{size}v{size}h-{size}z\"/><path d=\"{d}\"/></svg>"
    )
}

/// AES-256-GCM under a key only the code gives; one message a key, so a
/// fixed nonce is safe. What the browser decrypts with the code typed in.
fn encrypt(code: &str, value: &str) -> String {
    let key = code::secret_key(code);
    let cipher = Aes256Gcm::new(&key.into());
    let nonce = Nonce::from([0u8; 12]);
    let sealed = cipher.encrypt(&nonce, value.as_bytes()).unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(sealed)
}

/// Writes letters in files of [`LETTERS_PER_FILE`], the mailing list, and
/// emails in folders of [`EMAILS_PER_FOLDER`].
struct Writer {
    dir: PathBuf,
    letters: usize,
    emails: usize,
    file: Option<std::io::BufWriter<std::fs::File>>,
    head: Option<(String, String)>,
    csv: csv::Writer<std::io::BufWriter<std::fs::File>>,
}

impl Writer {
    fn new(dir: &Path) -> std::io::Result<Writer> {
        let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(std::fs::File::create(
            dir.join("letters/mailing.csv"),
        )?));
        csv.write_record([
            "letter", "file", "code", "name", "line_1", "line_2", "line_3", "line_4", "line_5",
            "line_6", "line_7", "line_8", "country", "audience",
        ])
        .map_err(std::io::Error::other)?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            letters: 0,
            emails: 0,
            file: None,
            head: None,
            csv,
        })
    }

    fn add(&mut self, row: &Row, f: Filled) -> std::io::Result<()> {
        if !f.letter.is_empty() {
            let n = self.letters / LETTERS_PER_FILE + 1;
            let name = format!("letters-{n:05}.html");
            if self.letters.is_multiple_of(LETTERS_PER_FILE) {
                self.close_letters()?;
                let (head, body, tail) = split_letter(&f.letter);
                self.head = Some((head.clone(), tail));
                let mut w = std::io::BufWriter::new(std::fs::File::create(
                    self.dir.join("letters").join(&name),
                )?);
                w.write_all(head.as_bytes())?;
                w.write_all(body.as_bytes())?;
                self.file = Some(w);
            } else if let Some(w) = &mut self.file {
                let (_, body, _) = split_letter(&f.letter);
                w.write_all(body.as_bytes())?;
            }
            self.letters += 1;
            // The envelope's lines after the name, a column each.
            let block = row.address_block();
            let mut lines: Vec<String> = block.lines().map(sheet_safe).collect();
            if lines.len() > 8 {
                let rest = lines.split_off(7).join(", ");
                lines.push(rest);
            }
            lines.resize(8, String::new());
            let mut record = vec![
                self.letters.to_string(),
                name,
                f.code.clone(),
                sheet_safe(&row.name),
            ];
            record.extend(lines);
            record.push(sheet_safe(row.country.as_deref().unwrap_or("")));
            record.push(sheet_safe(&row.audience));
            self.csv
                .write_record(&record)
                .map_err(std::io::Error::other)?;
        }
        Ok(())
    }

    fn close_letters(&mut self) -> std::io::Result<()> {
        if let (Some(mut w), Some((_, tail))) = (self.file.take(), self.head.as_ref()) {
            w.write_all(tail.as_bytes())?;
            w.flush()?;
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<(usize, usize)> {
        self.close_letters()?;
        self.csv.flush()?;
        Ok((self.letters, self.emails))
    }
}

/// A letter's document head (with a style for one letter a page), its
/// body, and its end: many letters share one head.
fn split_letter(letter: &str) -> (String, &str, String) {
    const PAGES: &str = "<style>.sheet{break-after:page;page-break-after:always}.sheet:last-of-type{break-after:auto}@media screen{.sheet{margin-bottom:8mm}}</style>\n";
    match (letter.find("<body>"), letter.rfind("</body>")) {
        (Some(b), Some(e)) if b < e => {
            let at = b + "<body>".len();
            let head = letter[..b].replacen("</head>", &format!("{PAGES}</head>"), 1) + "<body>";
            (head, &letter[at..e], letter[e..].to_string())
        }
        _ => (String::new(), letter, String::new()),
    }
}

/// A cell a spreadsheet would run as a formula is written as text.
fn sheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn summary_text(s: &Summary) -> String {
    let mut out = format!(
        "{} people: {} letters, {} emails\n\nBy audience:\n",
        s.people, s.letters, s.emails
    );
    for (a, n) in &s.audiences {
        out.push_str(&format!("  {a:<24}{n}\n"));
    }
    out.push_str("\nBy where they live:\n");
    for (p, n) in &s.places {
        out.push_str(&format!("  {p:<24}{n}\n"));
    }
    if !s.skipped.is_empty() {
        out.push_str(&format!(
            "\nLeft out (--skip-invalid), by row: {}\n",
            s.skipped
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

/// The "Am I affected?" answers, in `static/affected/`: a manifest of the
/// audiences, and the answers in shards by the first hex digits of each
/// code's hash, so a phone fetches one small file.
fn write_lookup(
    site: &Path,
    inc: &IncidentView,
    views: &[&IncidentView],
    mut entries: Vec<Answer>,
) -> std::io::Result<()> {
    let dir = site.join("static/affected");
    let staging = site.join(format!(
        "static/.affected.candor-tmp-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(staging.join("s"))?;
    // About 200 answers a shard.
    let mut prefix = 1;
    while prefix < 4 && entries.len() > 200 * 16usize.pow(prefix as u32) {
        prefix += 1;
    }
    entries.sort_unstable_by_key(|a| a.0);
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    // Sorted by hash, each shard's entries follow one another: each is
    // written as it ends, so memory holds one shard, not all of them.
    let mut shard: (String, serde_json::Map<String, serde_json::Value>) =
        (String::new(), serde_json::Map::new());
    let write = |name: &str, map: &serde_json::Map<String, serde_json::Value>| {
        std::fs::write(
            staging.join("s").join(format!("{name}.json")),
            serde_json::to_vec(map).unwrap_or_default(),
        )
    };
    for (key, audience, secret) in entries {
        let h = hex(&key);
        if h[..prefix] != shard.0 {
            if !shard.1.is_empty() {
                write(&shard.0, &shard.1)?;
            }
            shard = (h[..prefix].to_string(), serde_json::Map::new());
        }
        let value = match secret {
            Some(s) => serde_json::json!([audience, &*s]),
            None => serde_json::json!([audience]),
        };
        shard.1.insert(h[prefix..prefix + 24].to_string(), value);
    }
    if !shard.1.is_empty() {
        write(&shard.0, &shard.1)?;
    }
    let audiences: Vec<serde_json::Value> = views
        .iter()
        .map(|v| {
            let a = v.audience.as_ref();
            serde_json::json!({
                "id": a.map(|a| a.id.clone()),
                "name": a.map_or(inc.title.clone(), |a| a.name.clone()),
                "url": a.map_or(inc.url.clone(), |a| a.url.clone()),
                "data_types": v.data_types.iter().map(|d| d.label.as_str()).collect::<Vec<_>>(),
                "offer": a.and_then(|a| a.offer.as_ref()).map(|o| serde_json::json!({
                    "what": o.what, "how": o.how, "code": o.code,
                    "deadline": o.deadline.as_ref().map(|d| d.long.clone()),
                })),
            })
        })
        .collect();
    let manifest = serde_json::json!({
        "version": 1,
        "incident": inc.slug,
        "title": inc.title,
        "prefix": prefix,
        "key": 24,
        "audiences": audiences,
    });
    std::fs::write(
        staging.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
    )?;
    let old = site.join(format!(
        "static/.affected.candor-old-{}",
        std::process::id()
    ));
    if dir.exists() {
        std::fs::rename(&dir, &old)?;
    }
    std::fs::rename(&staging, &dir)?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}
