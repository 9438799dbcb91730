//! Templates: loading them in order of precedence, registering what they
//! need, and turning Tera's errors into diagnostics.
//!
//! A template is looked up in the site's `templates/`, then in the site's
//! `themes/<theme>/templates/`, then in the built-in theme (embedded in the
//! binary). Each is registered under its path (`templates/page.html`,
//! `themes/default/templates/base.html`), and Tera's fallback prefixes make
//! `{% extends "base.html" %}` find the first in that order, so an error
//! always names the file it is in.

use std::collections::BTreeMap;
use std::path::Path;

use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use crate::base::diagnostics::{Diagnostic, Snippet, did_you_mean};
use crate::base::text;
use crate::base::time::{Clock, parse_instant};
use crate::base::vocab::{DataType, Status, Word};
use crate::embedded;
use crate::load::config::Config;

/// The templates of a site, ready to render.
pub struct Templates {
    pub tera: Tera,
    /// Template name → source, for pointing at the line of an error.
    sources: BTreeMap<String, String>,
    /// Of every template's name and source: what all pages share.
    pub fingerprint: crate::base::fingerprint::Fingerprint,
    /// Some template can read any variable: it dumps the whole context
    /// (`__tera_context`) or defines components, which Tera does not
    /// report the variables of.
    reads_anything: bool,
}

const TEMPLATE_HINT: &str = "`candor templates NAME` copies a theme template into templates/ to edit, with the theme's README, which lists each template's variables";

pub fn load(
    site_root: &Path,
    config: &Config,
    clock: &Clock,
    diags: &mut Vec<Diagnostic>,
) -> Option<Templates> {
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for (path, bytes) in embedded::THEME_FILES {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            sources.insert(format!("themes/default/templates/{name}"), text);
        }
    }
    let theme = config.theme.as_str();
    let theme_dir = site_root.join("themes").join(theme);
    if theme != "default" && !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                crate::load::config::FILE,
                format!("theme `{theme}` not found"),
            )
            .with_hint(format!(
                "create themes/{theme}/templates/ in the site, or use theme = \"default\""
            )),
        );
        return None;
    }
    let local = [
        (
            theme_dir.join("templates"),
            format!("themes/{theme}/templates/"),
        ),
        (site_root.join("templates"), "templates/".to_string()),
    ];
    for (dir, prefix) in &local {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy();
            // Templates are HTML, text or XML; a README beside them is not one.
            let template = [".html", ".txt", ".xml", ".json"]
                .iter()
                .any(|e| name.ends_with(e));
            if !entry.file_type().is_file()
                || !template
                || crate::load::walk::is_ignored_name(&name)
            {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            let key = format!("{prefix}{}", rel.join("/"));
            if let Some(text) = crate::load::walk::read_text(entry.path(), &key, diags) {
                sources.insert(key, text);
            }
        }
    }

    unused_overrides(&sources, theme, diags);
    let mut tera = Tera::new();
    let mut prefixes = vec![
        "templates/".to_string(),
        format!("themes/{theme}/templates/"),
    ];
    if theme != "default" {
        prefixes.push("themes/default/templates/".to_string());
    }
    if let Err(e) = tera.set_fallback_prefixes(prefixes) {
        diags.push(Diagnostic::error(
            "",
            format!("internal error setting up templates: {e}"),
        ));
        return None;
    }
    register(&mut tera, config, clock);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        diags.extend(tera_diagnostics(&e, &sources));
        return None;
    }
    // The interface words, as `t`: part of what every page is made from.
    let globals = tera.global_context();
    globals.insert_value("t", clock.strings.value().clone());
    // The page in the site's other languages (none unless it has some).
    globals.insert_value(
        "alternates",
        Value::from_serializable(&Vec::<String>::new()),
    );
    let fingerprint = crate::base::fingerprint::of(&(&sources, clock.strings.fingerprint));
    let reads_anything = sources
        .values()
        .any(|t| t.contains("__tera_context") || t.contains("endcomponent"));
    Some(Templates {
        tera,
        sources,
        fingerprint,
        reads_anything,
    })
}

/// A site template that overrides no theme template and that no template
/// uses is ignored: say so, with the name it most likely meant
/// (`templates/contact.html` for `partials/contact.html`).
fn unused_overrides(sources: &BTreeMap<String, String>, theme: &str, diags: &mut Vec<Diagnostic>) {
    let theme_prefix = format!("themes/{theme}/templates/");
    let theirs: Vec<&str> = sources
        .keys()
        .filter_map(|k| {
            k.strip_prefix(&theme_prefix)
                .or_else(|| k.strip_prefix("themes/default/templates/"))
        })
        .collect();
    for key in sources.keys() {
        let Some(name) = key.strip_prefix("templates/") else {
            continue;
        };
        let quoted = [format!("\"{name}\""), format!("'{name}'")];
        let used = theirs.contains(&name)
            || sources
                .iter()
                .any(|(k, text)| k != key && quoted.iter().any(|q| text.contains(q.as_str())));
        if used {
            continue;
        }
        let base = name.rsplit('/').next().unwrap_or(name);
        let hint = theirs
            .iter()
            .find(|t| t.rsplit('/').next() == Some(base))
            .map(|t| format!("did you mean `templates/{t}`?"))
            .or_else(|| {
                let overrides: Vec<String> = theirs.iter().map(|t| format!("templates/{t}")).collect();
                did_you_mean(key, overrides.iter().map(String::as_str))
            })
            .unwrap_or_else(|| "name it as the theme template it replaces; `candor templates` lists and copies them".to_string());
        diags.push(
            Diagnostic::warning(key.as_str(), "this template replaces no theme template and no template uses it, so it is ignored")
                .with_hint(hint),
        );
    }
}

impl Templates {
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Vec<Diagnostic>> {
        self.tera
            .render(name, context)
            .map_err(|e| tera_diagnostics(&e, &self.sources))
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Which of `names` the template `name` (with every template it extends
    /// or includes) may read. Over-counts rather than misses: when in
    /// doubt, all of them.
    pub fn reads<'n>(&self, name: &str, names: &[&'n str]) -> Vec<&'n str> {
        if self.reads_anything {
            return names.to_vec();
        }
        match self.tera.get_template_variables(name) {
            Ok(vars) => names
                .iter()
                .filter(|n| vars.contains(*n))
                .copied()
                .collect(),
            Err(_) => names.to_vec(),
        }
    }
}

/// Filters and functions for templates.
fn register(tera: &mut Tera, config: &Config, clock: &Clock) {
    let c = clock.clone();
    // `{{ update.at | date(format="%-d %B %Y") }}`: a time (a TimeView or an
    // RFC 3339 string) in the site's zone.
    tera.register_filter(
        "date",
        move |value: &Value, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let iso = value
                .as_map()
                .and_then(|m| m.get(&tera::value::Key::Str("iso")))
                .and_then(|v| v.as_str())
                .or_else(|| value.as_str())
                .ok_or_else(|| tera::Error::message("date: expects a time, such as update.at"))?;
            let t = parse_instant(iso).map_err(|e| tera::Error::message(format!("date: {e}")))?;
            let format = kwargs
                .get::<&str>("format")?
                .unwrap_or("%-d %B %Y, %H:%M %Z");
            c.format(t, format).map_err(tera::Error::message)
        },
    );
    let base_path = config.base_path.clone();
    // `{{ url(path="faq/") }}`: a root-relative URL that honours base_url's path.
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(format!("{base_path}{}", path.trim_start_matches('/')))
        },
    );
    // `{{ asset(path="style.css") }}`: a file every language shares, at
    // the site's root.
    let root_path = config.root_path.clone();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(format!("{root_path}{}", path.trim_start_matches('/')))
        },
    );
    // `{{ heading | underline }}`: a row of dashes as long as the text, for
    // plain-text emails.
    tera.register_filter("underline", |s: &str, _: Kwargs, _: &State| {
        "-".repeat(unicode_segmentation::UnicodeSegmentation::graphemes(s, true).count())
    });
    let origin = config.origin().to_string();
    let base_path = config.base_path.clone();
    tera.register_function(
        "permalink",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(format!(
                "{origin}{base_path}{}",
                path.trim_start_matches('/')
            ))
        },
    );
    // Labels of the vocabulary's ids; an unknown id is shown as it is.
    let words = clock.strings.clone();
    tera.register_filter("status_label", move |s: &str, _: Kwargs, _: &State| {
        Status::from_id(s).map_or_else(|| s.to_string(), |w| words.status(w).to_string())
    });
    let words = clock.strings.clone();
    tera.register_filter("data_type_label", move |s: &str, _: Kwargs, _: &State| {
        DataType::from_id(s).map_or_else(|| s.to_string(), |w| words.data_type(w).to_string())
    });
    // `{{ t.update.next_update_by | fill(time=update.next_update) }}`: an
    // interface text with each `{name}` filled, for HTML. A time becomes a
    // `<time>` element; everything else is escaped unless marked safe.
    tera.register_filter(
        "fill",
        |text: &str, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let args = fill_args(&kwargs, true);
            let args: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            Ok(Value::safe_string(&crate::base::i18n::fill(
                &text::escape_attr(text),
                &args,
            )))
        },
    );
    // `fill` for plain-text templates: a time is its long form.
    tera.register_filter(
        "fill_text",
        |text: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let args = fill_args(&kwargs, false);
            let args: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            Ok(crate::base::i18n::fill(text, &args))
        },
    );
    // `{{ value | json }}`: for JSON-LD in a <script> block; `<` is escaped so
    // text can never close the element.
    tera.register_filter(
        "json",
        |v: &Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            Ok(Value::safe_string(&text::script_safe_json(v)))
        },
    );
}

/// The arguments of `fill`, each as text (`html`: escaped, times as
/// `<time>` elements).
fn fill_args(kwargs: &Kwargs, html: bool) -> Vec<(String, String)> {
    kwargs
        .iter()
        .map(|(k, v)| {
            let time = v.as_map().and_then(|m| {
                let iso = m.get(&tera::value::Key::Str("iso"))?.as_str()?;
                let long = m.get(&tera::value::Key::Str("long"))?.as_str()?;
                Some((iso, long))
            });
            let shown = match (time, html) {
                (Some((iso, long)), true) => format!(
                    "<time datetime=\"{}\">{}</time>",
                    text::escape_attr(iso),
                    text::escape_attr(long)
                ),
                (Some((_, long)), false) => long.to_string(),
                (None, _) => {
                    let s = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    if html && !v.is_safe() {
                        text::escape_attr(&s)
                    } else {
                        s
                    }
                }
            };
            (k.to_string(), shown)
        })
        .collect()
}

/// Tera errors as diagnostics that name the template file, line and column.
fn tera_diagnostics(e: &tera::Error, sources: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    match e.kind() {
        ErrorKind::SyntaxError(r) if let Some(d) = unclosed_block(r, sources) => vec![d],
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            let mut d =
                Diagnostic::error(r.filename(), r.message().to_string()).with_hint(TEMPLATE_HINT);
            d.line = span.start_line;
            d.col = span.start_col + 1;
            if let Some(src) = sources.get(r.filename())
                && let Some(line) = src.lines().nth(span.start_line.saturating_sub(1))
            {
                {
                    let len = if span.end_line == span.start_line {
                        span.end_col.saturating_sub(span.start_col)
                    } else {
                        line.chars().count().saturating_sub(span.start_col)
                    };
                    d.snippet = Some(Snippet {
                        line_text: line.to_string(),
                        caret_col: span.start_col,
                        caret_len: len.max(1),
                    });
                }
            }
            vec![d]
        }
        // Checks across templates come back as one message holding several
        // reports, each "error: …\n --> file:line:col\n…".
        _ => {
            let text = e.to_string();
            let reports: Vec<&str> = text
                .split("\n\n")
                .filter(|r| !r.trim().is_empty())
                .collect();
            let parsed: Vec<Diagnostic> = reports.iter().filter_map(|r| parse_report(r)).collect();
            if parsed.is_empty() {
                vec![Diagnostic::error("templates", text).with_hint(TEMPLATE_HINT)]
            } else {
                parsed
            }
        }
    }
}

/// A syntax error caused by a block left open (`{% if %}` without its
/// `{% endif %}`), reported where the block opens rather than where Tera
/// noticed (often the end of the file).
fn unclosed_block(r: &tera::ReportError, sources: &BTreeMap<String, String>) -> Option<Diagnostic> {
    let src = sources.get(r.filename())?;
    let stop = r.span().start_line;
    let (line, col, tag) = open_block_before(src, stop)?;
    let mut d = Diagnostic::error(r.filename(), format!("`{{% {tag} %}}` is never closed"))
        .with_note(format!("Tera stopped at line {stop}: {}", r.message()))
        .with_hint(format!(
            "add `{{% end{tag} %}}` where this block should end"
        ));
    let text = src.lines().nth(line - 1).unwrap_or("");
    d.line = line;
    d.col = col + 1;
    d.snippet = Some(Snippet {
        line_text: text.to_string(),
        caret_col: col,
        caret_len: 2,
    });
    Some(d)
}

/// The innermost block tag (`if`, `for`, `block`, `macro`, `filter`,
/// `component`) left open when Tera stopped at line `stop` (1-based): its
/// line, column and name. Only when the stop is a mismatched end tag or
/// the end of the file: other errors inside an open block are not this.
fn open_block_before(src: &str, stop: usize) -> Option<(usize, usize, &'static str)> {
    const TAGS: &[&str] = &["if", "for", "block", "macro", "filter", "component", "raw"];
    let mut open: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut mismatched = false;
    for (i, line) in src.lines().enumerate().take(stop) {
        for (col, _) in line.match_indices("{%") {
            let inner = line[col + 2..].trim_start_matches(['-', '+']).trim_start();
            let word = inner
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .next()
                .unwrap_or("");
            if let Some(tag) = TAGS.iter().find(|t| **t == word) {
                open.push((i + 1, col, tag));
            } else if let Some(end) = word.strip_prefix("end") {
                // An end tag on the stopping line is where Tera noticed.
                if i + 1 == stop && open.last().is_some_and(|(_, _, t)| *t != end) {
                    mismatched = true;
                    break;
                }
                if open.last().is_some_and(|(_, _, t)| *t == end) {
                    open.pop();
                }
            }
        }
    }
    let at_end = stop >= src.lines().count();
    open.pop()
        .filter(|(_, _, t)| *t != "raw" && (mismatched || at_end))
}

fn parse_report(report: &str) -> Option<Diagnostic> {
    let mut lines = report.lines();
    let message = lines.next()?.trim().strip_prefix("error: ")?.to_string();
    let locus = lines.next()?.trim().strip_prefix("--> ")?;
    let mut parts = locus.rsplitn(3, ':');
    let col: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    let mut d = Diagnostic::error(file, message).with_hint(TEMPLATE_HINT);
    d.line = line;
    d.col = col;
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_block_is_found() {
        let src = "{% block content %}\n<h1>x</h1>\n{% if a %}\n{% for b in c %}{% endfor %}\n{% endblock content %}\n";
        assert_eq!(open_block_before(src, 5), Some((3, 0, "if")));
        let closed = "{% if a %}\n{% endif %}\n";
        assert_eq!(open_block_before(closed, 2), None);
        // An error inside a block that is closed later is not this.
        let inside = "{% block a %}\n{{ x | }}\n{% endblock a %}\n";
        assert_eq!(open_block_before(inside, 2), None);
        let eof = "{% block a %}\n{% for x in y %}\nz\n";
        assert_eq!(open_block_before(eof, 3), Some((2, 0, "for")));
    }

    #[test]
    fn cross_template_reports_are_split() {
        let d = parse_report(
            "error: Unknown filter `nope`\n --> templates/page.html:3:9\n  |\n3 | {{ x | nope }}",
        )
        .unwrap();
        assert_eq!(
            (d.file.as_str(), d.line, d.col),
            ("templates/page.html", 3, 9)
        );
        assert_eq!(d.message, "Unknown filter `nope`");
    }
}
