//! One notice, every channel: email, letter and social posts, rendered from
//! the same model as the website so they never disagree.
//!
//! Written to `notices/` beside `public/` (for sending, never published):
//!
//! ```text
//! notices/<incident>/email.html    one column, inline CSS, no images or scripts
//! notices/<incident>/email.txt     the same as plain text
//! notices/<incident>/email.eml     both, as multipart/alternative (RFC 5322), no recipients
//! notices/<incident>/letter.html   print-ready: A4 or US Letter, at least 10 pt
//! notices/<incident>/for/<audience>/email.{html,txt,eml}, letter.html
//!                                   the notice as each audience reads it
//! notices/<incident>/updates/<update>/email.{html,txt,eml}
//! notices/<incident>/updates/<update>/social.txt, social.json
//! ```
//!
//! An incident's updates are rendered for its newest update that goes by
//! email or social post (what is sent now) and for any corrected update;
//! with `all`, for every update.
//!
//! Each is a template of the theme (`email.html`, `email.txt`,
//! `update_email.html`, `update_email.txt`, `letter.html`, `social.txt`),
//! overridable like the rest.
//!
//! Social posts are public, so every audience reads the same ones: they
//! stay about the whole incident and are not made per audience.

use std::collections::HashMap;
use std::sync::Arc;

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::MimePart;
use rayon::prelude::*;
use tera::Context;

use crate::base::diagnostics::Diagnostic;
use crate::base::fingerprint::{self, Fingerprint, Fp};
use crate::base::output::Emit;
use crate::base::output::{FileData, Files};
use crate::base::vocab::{Channel, goes_to};
use crate::load::config::Config;
use crate::load::content::Content;
use crate::markdown::plain::to_plain_in;
use crate::model::{IncidentView, Model, UpdateView};
use crate::render::pages::ViewValues;
use crate::render::prints::{Made, Prints};
use crate::render::social::{self, PLATFORMS, Post};
use crate::render::templates::Templates;

/// Render every channel of every published incident, in parallel: each
/// incident's notice (and each audience's), its newest update that goes by
/// email or social post and any update corrected (whose email says what
/// changed), or with `all` every update's.
pub fn render(
    templates: &Templates,
    config: &Config,
    content: &Content,
    model: &Model,
    emit: Emit<'_>,
    reuse: Option<Reuse<'_>>,
    (views, all): (&ViewValues, bool),
) -> Done {
    let incident_md: HashMap<&str, &str> = content
        .incidents
        .iter()
        .map(|i| (i.slug.as_str(), &*i.body.text))
        .collect();
    let update_md: HashMap<(&str, &str), (&str, &[Channel], &str)> = content
        .updates
        .iter()
        .map(|u| {
            let key = (u.incident.as_str(), u.slug.as_str());
            (
                key,
                (&*u.body.text, u.channels.as_slice(), u.body.file.as_str()),
            )
        })
        .collect();
    let audience_md: HashMap<(&str, &str), &str> = content
        .incidents
        .iter()
        .flat_map(|i| {
            i.audiences
                .iter()
                .map(|a| ((i.slug.as_str(), a.id.as_str()), &*a.body.text))
        })
        .collect();
    // Shared values become template values once, not once per file.
    let base = base_context(config, model);
    // An incident's value is made lazily (with a cache, most are not
    // needed), and shared with the pages.
    let incidents: Vec<(&IncidentView, usize)> = model
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.draft)
        .map(|(index, i)| (i, index))
        .collect();
    let mut units: Vec<(usize, What)> = Vec::new();
    for (n, (inc, _)) in incidents.iter().enumerate() {
        units.push((n, What::Notice));
        for a in 0..inc.for_audiences.len() {
            units.push((n, What::Audience(a)));
        }
        units.extend(sent(inc, all).into_iter().map(|u| (n, What::Update(u))));
    }
    let (previous, prints, reads, desk) = match reuse {
        Some(r) => (r.previous, Some(r.prints), Some(r.reads), r.desk),
        None => (HashMap::new(), None, None, Default::default()),
    };
    // Each unit's template context is dropped as soon as it is rendered.
    /// A unit's name and fingerprint (in the preview), whether it was
    /// rendered now, and what it made.
    type UnitResult = (Option<(String, Fingerprint)>, bool, Rendered);
    let results: Vec<UnitResult> = units
        .par_iter()
        .map(|&(n, what)| {
            let (inc, index) = &incidents[n];
            let update = match what {
                What::Update(u) => Some(u),
                _ => None,
            };
            let audience = match what {
                What::Audience(a) => inc.for_audiences.get(a),
                _ => None,
            };
            let incident_md = match audience.and_then(|v| v.audience.as_ref()) {
                Some(a) => audience_md
                    .get(&(inc.slug.as_str(), a.id.as_str()))
                    .copied()
                    .unwrap_or(""),
                None => incident_md.get(inc.slug.as_str()).copied().unwrap_or(""),
            };
            let update_md = update.and_then(|u| {
                update_md
                    .get(&(inc.slug.as_str(), u.slug.as_str()))
                    .copied()
            });
            // What the unit is made from; with a cache, an unchanged unit is reused.
            let key = prints.map(|p| {
                let mut fp = Fp::new();
                fp.add(&p.base)
                    .add(&p.incidents.get(*index).copied().unwrap_or_default())
                    .add(incident_md)
                    .add(&update.map(|u| p.update(u)))
                    .add(&update_md);
                // The site-wide values its templates can read.
                let globals = match (reads, update) {
                    (Some(r), None) => r.incident.as_slice(),
                    (Some(r), Some(_)) => r.update.as_slice(),
                    (None, _) => &[],
                };
                for g in globals {
                    fp.add(*g).add(&p.global(g));
                }
                let name = match (update, audience.and_then(|v| v.audience.as_ref())) {
                    (Some(u), _) => format!("{}/{}", inc.slug, u.slug),
                    (None, Some(a)) => format!("{}/for/{}", inc.slug, a.id),
                    (None, None) => inc.slug.clone(),
                };
                (name, fp.finish())
            });
            if let Some((name, fp)) = &key
                && let Some(made) = previous.get(name).filter(|m| m.fingerprint == *fp)
            {
                let files = made
                    .files
                    .iter()
                    .map(|(p, b)| (p.clone(), FileData::Shared(Arc::clone(b))))
                    .collect();
                return (key, false, (files, made.diags.clone()));
            }
            let mut unit = Unit::new(templates, base.clone(), emit);
            match audience {
                Some(view) => unit
                    .ctx
                    .insert_value("incident", tera::Value::from_serializable(view)),
                None => unit.ctx.insert_value("incident", views.incident(*index)),
            }
            match (what, update_md) {
                (What::Notice, _) => {
                    unit.incident(
                        config,
                        inc,
                        incident_md,
                        format!("{}/", inc.slug),
                        &inc.slug,
                    );
                }
                (What::Audience(_), _) => {
                    if let Some((view, a)) = audience.and_then(|v| Some((v, v.audience.as_ref()?)))
                    {
                        unit.incident(
                            config,
                            view,
                            incident_md,
                            format!("{}/for/{}/", inc.slug, a.id),
                            &format!("{}.for.{}", inc.slug, a.id),
                        );
                    }
                }
                (What::Update(u), Some((md, channels, file))) => {
                    unit.ctx.insert_value("update", views.update(u));
                    unit.update(config, inc, u, md, channels, file);
                }
                (What::Update(_), None) => {}
            }
            let mut files = unit.files;
            if key.is_some() {
                // The preview: bytes shared with the cache, not copied.
                for (_, data) in &mut files {
                    if let FileData::Bytes(b) = data {
                        *data = FileData::Shared(Arc::from(std::mem::take(b)));
                    }
                }
            }
            (key, true, (files, unit.diags))
        })
        .collect();
    let mut done = Done {
        units: results.len(),
        ..Done::default()
    };
    for (key, fresh, (unit_files, unit_diags)) in results {
        done.rendered += usize::from(fresh);
        if let Some((name, fp)) = key {
            if fresh {
                done.rendered_units.push(name.clone());
            }
            let shared = unit_files
                .iter()
                .filter_map(|(p, d)| match d {
                    FileData::Shared(b) => Some((p.clone(), Arc::clone(b))),
                    _ => None,
                })
                .collect();
            done.kept.insert(
                name,
                Made {
                    fingerprint: fp,
                    files: shared,
                    diags: unit_diags.clone(),
                },
            );
        }
        done.files.extend(unit_files);
        for d in unit_diags {
            if !done.diags.contains(&d) {
                done.diags.push(d);
            }
        }
    }
    // The regulator drafts, the front-desk pack and the breach log: a few
    // files an incident.
    let (desk_files, desk_diags, desk_kept) = crate::render::desk::render(
        templates,
        config,
        content,
        model,
        emit,
        views,
        prints.map(|p| (&desk, p)),
    );
    done.desk = desk_kept;
    done.previous_desk = desk;
    done.files.extend(desk_files);
    for d in desk_diags {
        if !done.diags.contains(&d) {
            done.diags.push(d);
        }
    }
    done.rendered_units.sort();
    done.previous = previous;
    done
}

/// The updates of `inc` whose email and posts are rendered: with `all`,
/// every published one; otherwise the newest that goes by email or social
/// post, and any corrected (its email says what changed).
pub fn sent(inc: &IncidentView, all: bool) -> Vec<&UpdateView> {
    let published = inc
        .updates
        .iter()
        .chain(&inc.other_updates)
        .filter(|u| !u.draft && !u.scheduled);
    if all {
        return published.map(|u| &**u).collect();
    }
    let newest = newest_sent(published.clone());
    published
        .filter(|u| newest.is_some_and(|n| std::ptr::eq(n, &***u)) || !u.corrections.is_empty())
        .map(|u| &**u)
        .collect()
}

/// Of an incident's updates, the newest that goes by email or social post:
/// the one a business sends now.
fn newest_sent<'a>(updates: impl Iterator<Item = &'a Arc<UpdateView>>) -> Option<&'a UpdateView> {
    updates
        .filter(|u| goes_to(&u.channels, Channel::Email) || goes_to(&u.channels, Channel::Social))
        .max_by(|a, b| {
            a.at.epoch
                .cmp(&b.at.epoch)
                .then_with(|| a.slug.cmp(&b.slug))
        })
        .map(|u| &**u)
}

/// What a unit renders: an incident's notice for everyone, its notice
/// for one audience (by index in `for_audiences`), or an update.
#[derive(Clone, Copy)]
enum What<'a> {
    Notice,
    Audience(usize),
    Update(&'a UpdateView),
}

/// What rendering the notices made.
#[derive(Default)]
pub struct Done {
    pub files: Files,
    pub diags: Vec<Diagnostic>,
    /// In the preview: each unit, for the next rebuild.
    pub kept: HashMap<String, Made>,
    /// Units (an incident, or an update) rendered, and in all.
    pub rendered: usize,
    pub units: usize,
    /// In the preview: the units rendered, by name.
    pub rendered_units: Vec<String>,
    /// The last rebuild's units, to be freed.
    pub previous: HashMap<String, Made>,
    /// In the preview: each incident's desk pack, and the last rebuild's.
    pub desk: crate::render::desk::Kept,
    pub previous_desk: crate::render::desk::Kept,
}

/// In the preview: the notices of the last rebuild, and what to tell
/// whether each is still current.
pub struct Reuse<'a> {
    pub previous: HashMap<String, Made>,
    pub prints: &'a Prints,
    pub reads: &'a Reads,
    /// Each incident's desk pack.
    pub desk: crate::render::desk::Kept,
}

/// The templates of an incident's notices, and of an update's.
const INCIDENT_TEMPLATES: &[&str] = &["email.html", "email.txt", "letter.html"];
const UPDATE_TEMPLATES: &[&str] = &["update_email.html", "update_email.txt", "social.txt"];

/// The site-wide variables ([`crate::render::prints::GLOBALS`]) the notice
/// templates may read: an incident's, and an update's.
pub struct Reads {
    pub incident: Vec<&'static str>,
    pub update: Vec<&'static str>,
}

pub fn reads(templates: &Templates) -> Reads {
    let union = |names: &[&str]| {
        let mut all: Vec<&'static str> = Vec::new();
        for name in names {
            for g in templates.reads(name, crate::render::prints::GLOBALS) {
                if !all.contains(&g) {
                    all.push(g);
                }
            }
        }
        all
    };
    Reads {
        incident: union(INCIDENT_TEMPLATES),
        update: union(UPDATE_TEMPLATES),
    }
}

/// What one unit made: its files and its problems.
type Rendered = (Vec<(String, FileData)>, Vec<Diagnostic>);

/// The renders of one incident or one update.
struct Unit<'a> {
    templates: &'a Templates,
    emit: Emit<'a>,
    ctx: Context,
    files: Vec<(String, FileData)>,
    diags: Vec<Diagnostic>,
}

impl<'a> Unit<'a> {
    fn new(templates: &'a Templates, ctx: Context, emit: Emit<'a>) -> Self {
        Unit {
            templates,
            emit,
            ctx,
            files: Vec::new(),
            diags: Vec::new(),
        }
    }

    /// Keep a file: in memory, or written at once.
    fn keep(&mut self, path: String, bytes: Vec<u8>) {
        match self.emit.keep(true, &path, bytes) {
            Ok(data) => self.files.push((path, data)),
            Err(e) => self.diags.push(crate::base::output::write_error(&path, e)),
        }
    }

    fn render(&mut self, name: &str, out: String) -> Option<String> {
        match self.templates.render(name, &self.ctx) {
            Ok(text) => {
                self.keep(out, text.clone().into_bytes());
                Some(text)
            }
            Err(errors) => {
                self.diags.extend(errors);
                None
            }
        }
    }

    /// A notice (everyone's, or an audience's) in `dir`, its email's
    /// message id made from `id`.
    fn incident(
        &mut self,
        config: &Config,
        inc: &IncidentView,
        markdown: &str,
        dir: String,
        id: &str,
    ) {
        let origin = config.origin();
        let subject = incident_subject(config, inc);
        self.ctx
            .insert("notice_html", &inline_styles(&inc.content, origin));
        self.ctx.insert(
            "notice_text",
            &to_plain_in(markdown, origin, &config.base_path, &config.root_path),
        );
        self.ctx
            .insert("notice_letter_html", &absolute_links(&inc.content, origin));
        self.ctx.insert("subject", &subject);
        let html = self.render("email.html", format!("{dir}email.html"));
        let text = self.render("email.txt", format!("{dir}email.txt"));
        if let (Some(html), Some(text)) = (html, text) {
            let eml = eml(
                config,
                &subject,
                &html,
                &text,
                id,
                inc.last_updated.epoch,
                None,
            );
            self.keep(format!("{dir}email.eml"), eml);
        }
        self.render("letter.html", format!("{dir}letter.html"));
    }

    fn update(
        &mut self,
        config: &Config,
        inc: &IncidentView,
        u: &UpdateView,
        markdown: &str,
        channels: &[Channel],
        file: &str,
    ) {
        let origin = config.origin();
        let wants = |c: Channel| goes_to(channels, c);
        let udir = format!("{}/updates/{}/", inc.slug, u.slug);
        let subject = update_subject(inc, u);
        self.ctx
            .insert("update_html", &inline_styles(&u.content, origin));
        self.ctx.insert(
            "update_text",
            &to_plain_in(markdown, origin, &config.base_path, &config.root_path),
        );
        self.ctx.insert("subject", &subject);
        if wants(Channel::Email) {
            let html = self.render("update_email.html", format!("{udir}email.html"));
            let text = self.render("update_email.txt", format!("{udir}email.txt"));
            if let (Some(html), Some(text)) = (html, text) {
                let id = format!("{}.{}", inc.slug, u.slug);
                let eml = eml(config, &subject, &html, &text, &id, u.updated.epoch, None);
                self.keep(format!("{udir}email.eml"), eml);
            }
        }
        if wants(Channel::Social) {
            let link = if wants(Channel::Web) {
                &u.permalink
            } else {
                &inc.permalink
            };
            let posts: Vec<Post> = PLATFORMS
                .iter()
                .map(|p| social::post(*p, &social::Frame::of(config), &u.summary, link))
                .collect();
            if let Some(p) = posts.iter().find(|p| p.shortened) {
                self.diags.push(
                    Diagnostic::warning(
                        file,
                        format!(
                            "the summary was shortened to fit {} ({} characters)",
                            p.name, p.limit
                        ),
                    )
                    .with_hint("write a shorter `summary` so every post says it in full"),
                );
            }
            self.ctx.insert("posts", &posts);
            self.render("social.txt", format!("{udir}social.txt"));
            let json = serde_json::to_vec_pretty(&posts).unwrap_or_default();
            self.keep(format!("{udir}social.json"), json);
        }
    }
}

fn base_context(config: &Config, model: &Model) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", config);
    ctx.insert("now", &model.now);
    ctx.insert("paper", &config.notices.paper);
    ctx
}

fn incident_subject(config: &Config, inc: &IncidentView) -> String {
    config.words.fill("email.subject", &[("title", &inc.title)])
}

fn update_subject(inc: &IncidentView, u: &UpdateView) -> String {
    format!("{}: {} ({})", u.status_label, u.title, inc.title)
}

/// The notice for one person, made once an audience with a stand-in for
/// each of the person's fields (`recipient` in the templates), for the
/// caller to fill in for every person.
pub struct Personal {
    pub subject: String,
    pub letter: String,
    pub email_html: String,
    pub email_text: String,
}

/// Render the letter and email of `inc` (the incident, or an audience's
/// view of it) with `recipient` in the templates' context.
pub fn personal(
    templates: &Templates,
    config: &Config,
    model: &Model,
    inc: &IncidentView,
    markdown: &str,
    recipient: &serde_json::Value,
) -> Result<Personal, Vec<Diagnostic>> {
    let origin = config.origin();
    let mut ctx = base_context(config, model);
    ctx.insert("incident", inc);
    ctx.insert("notice_html", &inline_styles(&inc.content, origin));
    ctx.insert(
        "notice_text",
        &to_plain_in(markdown, origin, &config.base_path, &config.root_path),
    );
    ctx.insert("notice_letter_html", &absolute_links(&inc.content, origin));
    let subject = incident_subject(config, inc);
    ctx.insert("subject", &subject);
    ctx.insert("recipient", recipient);
    let render = |name: &str| templates.render(name, &ctx);
    Ok(Personal {
        letter: render("letter.html")?,
        email_html: render("email.html")?,
        email_text: render("email.txt")?,
        subject,
    })
}

/// An importable message: multipart/alternative with a plain-text and an
/// HTML part, From and Subject set, addressed to `to` or to nobody. The
/// boundary, Date and Message-ID are derived from the content, so output
/// stays byte-identical.
pub fn eml(
    config: &Config,
    subject: &str,
    html: &str,
    text: &str,
    id: &str,
    epoch: i64,
    to: Option<(&str, &str)>,
) -> Vec<u8> {
    let domain = config
        .notices
        .from
        .rsplit('@')
        .next()
        .filter(|d| !d.is_empty())
        .unwrap_or("localhost")
        .to_string();
    // Made from the message, so the same message gets the same bytes.
    let boundary = format!(
        "candor-{:016x}",
        fingerprint::of(&(subject, text, html)) as u64
    );
    let body = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary),
        vec![
            MimePart::new(
                ContentType::new("text/plain").attribute("charset", "utf-8"),
                text.to_string(),
            ),
            MimePart::new(
                ContentType::new("text/html").attribute("charset", "utf-8"),
                html.to_string(),
            ),
        ],
    );
    let mut message = MessageBuilder::new().from((
        config.notices.from_name.clone(),
        config.notices.from.clone(),
    ));
    if let Some((name, address)) = to {
        message = message.to((name.to_string(), address.to_string()));
    }
    let message = message
        .subject(subject.to_string())
        .date(epoch)
        .message_id(format!("{id}.{epoch}@{domain}"))
        .body(body);
    message.write_to_vec().unwrap_or_default()
}

/// Email clients drop style sheets: give every element of rendered Markdown
/// its style inline, drop ids and classes, make links absolute, and replace
/// images with their alt text (an email loads nothing).
pub fn inline_styles(html: &str, origin: &str) -> String {
    const TEXT: &str = "color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;";
    let style_for = |tag: &str| -> Option<String> {
        let s = match tag {
            "p" => "margin:0 0 16px;font-size:16px;line-height:24px;",
            "h1" => "margin:24px 0 12px;font-size:24px;line-height:30px;",
            "h2" => "margin:24px 0 8px;font-size:20px;line-height:26px;",
            "h3" | "h4" | "h5" | "h6" => "margin:20px 0 8px;font-size:17px;line-height:24px;",
            "ul" | "ol" => "margin:0 0 16px;padding:0 0 0 24px;font-size:16px;line-height:24px;",
            "li" => "margin:0 0 6px;",
            "a" => {
                "color:#0b55a0;text-decoration:underline;overflow-wrap:anywhere;word-break:break-word;"
            }
            "table" => "border-collapse:collapse;margin:0 0 16px;font-size:15px;",
            "th" | "td" => "border:1px solid #c9c9c9;padding:4px 8px;text-align:left;",
            "blockquote" => "margin:0 0 16px;padding:0 0 0 12px;border-left:4px solid #c9c9c9;",
            "div" => {
                "margin:0 0 16px;padding:8px 12px;border-left:6px solid #a35200;background:#fff6e0;"
            }
            "pre" => {
                "margin:0 0 16px;padding:8px;background:#f3f4f6;font-size:14px;white-space:pre-wrap;"
            }
            "code" => "font-family:Consolas,Menlo,monospace;",
            _ => return None,
        };
        Some(if matches!(tag, "a" | "li" | "code" | "th" | "td") {
            s.to_string()
        } else {
            format!("{TEXT}{s}")
        })
    };
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let tag = &rest[start + 1..start + len];
        rest = &rest[start + len + 1..];
        if tag.starts_with('/') || tag.starts_with('!') {
            out.push('<');
            out.push_str(tag);
            out.push('>');
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let attrs = parse_attrs(&tag[name.len()..]);
        if name == "img" {
            let alt = attrs
                .iter()
                .find(|(k, _)| k == "alt")
                .map_or("", |(_, v)| v.as_str());
            out.push_str(alt);
            continue;
        }
        if name == "span" {
            out.push_str("<span>");
            continue;
        }
        out.push('<');
        out.push_str(&name);
        for (k, v) in &attrs {
            if matches!(
                k.as_str(),
                "href" | "colspan" | "rowspan" | "start" | "type" | "checked" | "disabled"
            ) {
                // Root-relative links already carry the base path.
                let v = if k == "href" && v.starts_with('/') && !v.starts_with("//") {
                    format!("{origin}{v}")
                } else {
                    v.clone()
                };
                out.push_str(&format!(" {k}=\"{v}\""));
            }
        }
        if let Some(style) = style_for(&name) {
            out.push_str(&format!(" style=\"{style}\""));
        }
        out.push('>');
    }
    out.push_str(rest);
    out
}

/// Root-relative links (which already carry the base path) made absolute,
/// for a letter whose links are printed out.
fn absolute_links(html: &str, origin: &str) -> String {
    html.replace(" href=\"//", " href=\"\u{0}")
        .replace(" href=\"/", &format!(" href=\"{origin}/"))
        .replace(" href=\"\u{0}", " href=\"//")
}

/// Attributes of a tag as pulldown-cmark writes them: `name="value"`, values
/// already escaped.
fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() && !rest.starts_with('/') {
        let name_end = rest.find(['=', ' ', '/']).unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        rest = &rest[name_end..];
        if let Some(r) = rest.strip_prefix("=\"") {
            let end = r.find('"').unwrap_or(r.len());
            out.push((name, r[..end].to_string()));
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            out.push((name, String::new()));
        }
        rest = rest.trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_styles_leave_no_classes_ids_or_images() {
        let html = "<h2 id=\"what\">What</h2>\n<p>See <a href=\"/faq/\">the FAQ</a> <img src=\"/x.png\" alt=\"a chart\"></p>\n<div class=\"alert alert-important\" role=\"note\"><p class=\"alert-title\">Important</p></div><pre class=\"code\" tabindex=\"0\"><code class=\"language-toml\"><span class=\"hl-source\">x</span></code></pre>";
        let out = inline_styles(html, "https://s.example");
        assert!(
            !out.contains("class=") && !out.contains(" id=") && !out.contains("<img"),
            "{out}"
        );
        assert!(out.contains("href=\"https://s.example/faq/\""));
        assert!(out.contains("a chart"));
        assert!(out.contains("<h2 style=\""));
    }
}
