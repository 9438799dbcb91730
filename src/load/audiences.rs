//! Audiences: `[[audience]]` tables in an incident's front matter, and the
//! parts of its notice written for some of them only.
//!
//! ```markdown
//! ## What you can do
//!
//! Expect scam messages. …
//!
//! ::: for us-ssn
//! ### Protect your Social Security number
//!
//! Place a free fraud alert with one of the three credit bureaus. …
//! :::
//! ```
//!
//! A part opens with `::: for` and one or more audience ids, on a line of its
//! own between blocks, and closes with a line `:::`. Everyone else reads the
//! notice without it. The parts are taken out line for line (blank lines in
//! their place), so every line keeps its number for errors and `check`.

use std::ops::Range;

use toml::Spanned;

use super::content::{Audience, Body, Offer};
use super::frontmatter::{Fields, SourceFile};
use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::base::text;
use crate::base::vocab::{DataType, Jurisdiction, Word};

/// An `[[audience]]` as written, before the incident's defaults apply.
pub(super) struct Written {
    id: Spanned<String>,
    name: String,
    data_types: Option<Vec<DataType>>,
    people: Option<i64>,
    jurisdictions: Option<Vec<Jurisdiction>>,
    residents: Vec<(Spanned<String>, i64)>,
    offer: Option<Offer>,
    line: usize,
}

/// Read every `[[audience]]` table.
pub(super) fn read(f: &mut Fields<'_, '_>) -> Vec<Written> {
    f.tables("audience", |a| {
        let id = a.required_string("id", "\"us-ssn\"");
        let name = a.required_string(
            "name",
            "\"Customers in the US whose Social Security number was involved\"",
        );
        let data_types = a.has("data_types").then(|| a.words("data_types"));
        let people = a.integer("people");
        let jurisdictions = a.has("jurisdictions").then(|| a.words("jurisdictions"));
        let residents = a.counts("residents");
        let offer = a
            .table("offer", |o| {
                let what = o.required_string(
                    "what",
                    "\"Two years of credit monitoring with identity restoration, paid for by us\"",
                );
                let how = o.required_string(
                    "how",
                    "\"Enrol at https://monitoring.example/enrol or call 0800 000 000\"",
                );
                let code = o.line("code");
                let deadline = o.instant("deadline").map(Spanned::into_inner);
                Some(Offer {
                    what: what?.into_inner(),
                    how: how?.into_inner(),
                    code,
                    deadline,
                })
            })
            .flatten();
        if let Some(id) = &id
            && let Some(problem) = text::slug_problem(id.get_ref())
        {
            a.error_at(
                id.span(),
                format!("audience id: {problem}"),
                "it becomes part of the audience's web address: incidents/<incident>/for/<id>/",
            );
        }
        let line = a.first_line();
        Some(Written {
            id: id?,
            name: name?.into_inner(),
            data_types,
            people,
            jurisdictions,
            residents,
            offer,
            line,
        })
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The incident's facts the audiences are checked against.
pub(super) struct Incident<'a> {
    pub data_types: &'a [DataType],
    pub jurisdictions: &'a [Jurisdiction],
    pub people: Option<i64>,
}

/// Apply the incident's defaults, check that the audiences and the incident
/// agree (data, places, numbers), and split the notice among them. Returns
/// what everyone reads and the audiences.
pub(super) fn resolve(
    f: &mut Fields<'_, '_>,
    written: Vec<Written>,
    inc: &Incident<'_>,
    body: Body,
    body_start: usize,
) -> (Body, Vec<Audience>) {
    let file = f.source();
    let mut seen: Vec<&str> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let at_line = |line: usize, message: String, hint: String| {
        let mut d = Diagnostic::error(&file.path, message).with_hint(hint);
        d.line = line;
        d.col = 1;
        d
    };
    for w in &written {
        if seen.contains(&w.id.get_ref().as_str()) {
            f.error_at(
                w.id.span(),
                format!("two audiences are called `{}`", w.id.get_ref()),
                "give each [[audience]] its own id",
            );
        }
        seen.push(w.id.get_ref());
    }
    let mut audiences: Vec<Audience> = Vec::new();
    for w in &written {
        let data_types = w
            .data_types
            .clone()
            .unwrap_or_else(|| inc.data_types.to_vec());
        if !inc.data_types.is_empty() {
            for d in data_types.iter().filter(|d| !inc.data_types.contains(d)) {
                problems.push(at_line(
                    w.line,
                    format!(
                        "audience `{}` lists `{}` in its data_types, but the incident's data_types do not",
                        w.id.get_ref(),
                        d.id()
                    ),
                    "add it to the incident's data_types, so the whole incident says what was involved".into(),
                ));
            }
        }
        let jurisdictions = w
            .jurisdictions
            .clone()
            .unwrap_or_else(|| inc.jurisdictions.to_vec());
        if !inc.jurisdictions.is_empty() {
            for j in jurisdictions
                .iter()
                .filter(|j| !inc.jurisdictions.contains(j))
            {
                problems.push(at_line(
                    w.line,
                    format!(
                        "audience `{}` lives in `{}`, but the incident's jurisdictions do not list it",
                        w.id.get_ref(),
                        j.id()
                    ),
                    "add it to the incident's jurisdictions".into(),
                ));
            }
        }
        let mut residents: Vec<(Jurisdiction, i64)> = Vec::new();
        for (place, n) in &w.residents {
            match Jurisdiction::from_id(place.get_ref()) {
                Some(j) if jurisdictions.contains(&j) => residents.push((j, *n)),
                Some(_) => f.error_at(
                    place.span(),
                    format!(
                        "`residents`: `{}` is not one of this audience's jurisdictions",
                        place.get_ref()
                    ),
                    format!(
                        "count only the places it lists: {}",
                        jurisdictions
                            .iter()
                            .map(|j| j.id())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                None => f.error_at(
                    place.span(),
                    format!("`residents`: `{}` is not a known place", place.get_ref()),
                    did_you_mean(place.get_ref(), Jurisdiction::IDS.iter().copied())
                        .unwrap_or_else(|| format!("use one of: {}", Jurisdiction::IDS.join(", "))),
                ),
            }
        }
        let counted: i64 = residents.iter().map(|(_, n)| n).sum();
        if let Some(people) = w.people
            && counted > people
        {
            problems.push(at_line(
                w.line,
                format!(
                    "audience `{}`: its residents add up to {}, more than its {} people",
                    w.id.get_ref(),
                    text::group_thousands(counted),
                    text::group_thousands(people)
                ),
                "correct `people` or `residents`".into(),
            ));
        }
        if let Some(people) = w.people
            && people < 0
        {
            problems.push(at_line(
                w.line,
                format!("audience `{}`: `people` cannot be negative", w.id.get_ref()),
                "write how many people are in this audience".into(),
            ));
        }
        audiences.push(Audience {
            id: w.id.get_ref().clone(),
            name: w.name.clone(),
            data_types,
            people: w.people,
            jurisdictions,
            residents,
            offer: w.offer.clone(),
            body: body.clone(),
            line: w.line,
        });
    }
    if !audiences.is_empty() {
        let first = audiences[0].line;
        for d in inc
            .data_types
            .iter()
            .filter(|d| !audiences.iter().any(|a| a.data_types.contains(d)))
        {
            problems.push(at_line(
                first,
                format!(
                    "the incident lists `{}` in its data_types, but no audience has it",
                    d.id()
                ),
                "add it to the data_types of the audiences whose data it was, or take it out of the incident's".into(),
            ));
        }
        for j in inc
            .jurisdictions
            .iter()
            .filter(|j| !audiences.iter().any(|a| a.jurisdictions.contains(j)))
        {
            problems.push(at_line(
                first,
                format!(
                    "the incident lists `{}` in its jurisdictions, but no audience lives there",
                    j.id()
                ),
                "add it to the jurisdictions of the audiences who live there".into(),
            ));
        }
        let counts: Option<Vec<i64>> = audiences.iter().map(|a| a.people).collect();
        if let (Some(counts), Some(total)) = (counts, inc.people) {
            let sum: i64 = counts.iter().sum();
            if sum != total {
                let parts: Vec<String> = audiences
                    .iter()
                    .map(|a| {
                        format!(
                            "{} ({})",
                            text::group_thousands(a.people.unwrap_or(0)),
                            a.id
                        )
                    })
                    .collect();
                problems.push(at_line(
                    first,
                    format!(
                        "the audiences add up to {} people ({}), but people_affected is {}",
                        text::group_thousands(sum),
                        parts.join(" + "),
                        text::group_thousands(total)
                    ),
                    "each person affected is in exactly one audience: correct the counts so they add up".into(),
                ));
            }
        }
    }
    f.diags.extend(problems);
    let ids: Vec<&str> = audiences.iter().map(|a| a.id.as_str()).collect();
    let parts = split(file, body_start, &body.text, &ids, f.diags);
    let Some(parts) = parts else {
        return (body, audiences);
    };
    let rebody = |text: String| Body {
        file: body.file.clone(),
        text: text.into(),
        first_line: body.first_line,
    };
    for a in &mut audiences {
        a.body = rebody(parts.for_audience(&a.id));
    }
    (rebody(parts.common()), audiences)
}

/// A translation of a notice, cut for its audiences as its original is:
/// what everyone reads, and each audience's; `None` when it has no parts.
pub(crate) fn split_translation(
    body: &Body,
    ids: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<(Body, Vec<(String, Body)>)> {
    // The body as it sits in its file, for the lines problems are at.
    let pad = "\n".repeat(body.first_line.saturating_sub(1));
    let file = SourceFile {
        path: body.file.clone(),
        text: format!("{pad}{}", body.text),
    };
    let parts = split(&file, pad.len(), &body.text, ids, diags)?;
    let rebody = |text: String| Body {
        file: body.file.clone(),
        text: text.into(),
        first_line: body.first_line,
    };
    let each = ids
        .iter()
        .map(|id| (id.to_string(), rebody(parts.for_audience(id))))
        .collect();
    Some((rebody(parts.common()), each))
}

/// A notice cut at its `::: for` lines.
struct Parts<'t> {
    /// Each line (with its line ending), and the audiences it is for
    /// (`None`: everyone; an empty list: a marker line, for nobody).
    lines: Vec<(&'t str, Option<Vec<String>>)>,
}

impl Parts<'_> {
    fn text(&self, keep: impl Fn(&Option<Vec<String>>) -> bool) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|(l, _)| l.len()).sum());
        for (line, who) in &self.lines {
            if keep(who) {
                out.push_str(line);
            } else if line.ends_with("\r\n") {
                out.push_str("\r\n");
            } else if line.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    fn common(&self) -> String {
        self.text(Option::is_none)
    }

    fn for_audience(&self, id: &str) -> String {
        self.text(|who| who.as_ref().is_none_or(|ids| ids.iter().any(|i| i == id)))
    }
}

/// The audience ids a `::: for` line names, if it is one.
fn opening(line: &str) -> Option<&str> {
    let t = line.trim();
    let rest = t.strip_prefix(":::")?.trim_start();
    let ids = rest.strip_prefix("for")?;
    (ids.is_empty() || ids.starts_with(char::is_whitespace)).then(|| ids.trim())
}

fn closing(line: &str) -> bool {
    line.trim() == ":::"
}

/// Cut `text` at its markers; `None` when it has none (and no errors).
fn split<'t>(
    file: &SourceFile,
    body_start: usize,
    text: &'t str,
    ids: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<Parts<'t>> {
    let mut lines: Vec<(&str, Option<Vec<String>>)> = Vec::new();
    let mut open: Option<(Vec<String>, Range<usize>)> = None;
    let mut fence: Option<(char, usize)> = None;
    let mut any = false;
    let mut offset = 0;
    let error = |span: Range<usize>, message: String, hint: String| {
        file.error(body_start + span.start..body_start + span.end, message)
            .with_hint(hint)
    };
    for line in text.split_inclusive('\n') {
        let span = offset..offset + line.trim_end().len();
        offset += line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let t = line.trim();
        // Inside fenced code, a `:::` line is code.
        if let Some((c, n)) = fence {
            if t.starts_with(&c.to_string().repeat(n)) && t.chars().all(|x| x == c) {
                fence = None;
            }
            lines.push((line, open.as_ref().map(|(ids, _)| ids.clone())));
            continue;
        }
        if indent < 4 {
            for c in ['`', '~'] {
                let n = t.chars().take_while(|&x| x == c).count();
                if n >= 3 {
                    fence = Some((c, n));
                }
            }
        }
        if indent < 4
            && let Some(named) = opening(line)
        {
            any = true;
            if let Some((_, at)) = &open {
                let opened = at.clone();
                diags.push(error(
                    span.clone(),
                    "a `::: for` part starts inside another".into(),
                    format!(
                        "close the part opened on line {} with a line `:::` first",
                        line_of(&file.text, body_start + opened.start)
                    ),
                ));
            }
            let named: Vec<String> = named
                .split([',', ' ', '\t'])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if named.is_empty() {
                diags.push(error(
                    span.clone(),
                    "`::: for` names no audience".into(),
                    if ids.is_empty() {
                        "declare the incident's audiences with [[audience]] tables first".into()
                    } else {
                        format!("name one or more of: {}", ids.join(", "))
                    },
                ));
            }
            for n in &named {
                if !ids.contains(&n.as_str()) {
                    let hint = if ids.is_empty() {
                        format!(
                            "this incident has no audiences: declare it in the front matter\n    [[audience]]\n    id = \"{n}\"\n    name = \"…\""
                        )
                    } else {
                        did_you_mean(n, ids.iter().copied())
                            .unwrap_or_else(|| format!("its audiences are: {}", ids.join(", ")))
                    };
                    diags.push(error(
                        span.clone(),
                        format!("`::: for {n}`: this incident has no audience `{n}`"),
                        hint,
                    ));
                }
            }
            lines.push((line, Some(Vec::new())));
            open = Some((named, span));
            continue;
        }
        if indent < 4 && closing(line) {
            if open.take().is_some() {
                lines.push((line, Some(Vec::new())));
                continue;
            }
            if !ids.is_empty() {
                any = true;
                diags.push(error(
                    span.clone(),
                    "a `:::` line closes nothing".into(),
                    "open a part for some audiences with `::: for <id>`, or remove this line"
                        .into(),
                ));
            }
        }
        lines.push((line, open.as_ref().map(|(ids, _)| ids.clone())));
    }
    if let Some((_, at)) = open {
        diags.push(error(
            at,
            "this `::: for` part is never closed".into(),
            "end it with a line `:::` on its own".into(),
        ));
    }
    any.then_some(Parts { lines })
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str, ids: &[&str]) -> (Option<(String, Vec<String>)>, Vec<Diagnostic>) {
        let file = SourceFile {
            path: "content/incidents/x/_index.md".into(),
            text: format!("+++\n+++\n{text}"),
        };
        let mut diags = Vec::new();
        let p = split(&file, 8, text, ids, &mut diags).map(|p| {
            (
                p.common(),
                ids.iter().map(|id| p.for_audience(id)).collect(),
            )
        });
        (p, diags)
    }

    #[test]
    fn a_part_goes_only_to_its_audiences_and_lines_keep_their_numbers() {
        let text = "Everyone.\n\n::: for us-ssn, staff\nFreeze your credit.\n:::\n\nAll again.\n";
        let (p, diags) = parts(text, &["uk", "us-ssn", "staff"]);
        assert!(diags.is_empty(), "{diags:?}");
        let (common, each) = p.unwrap();
        assert_eq!(common, "Everyone.\n\n\n\n\n\nAll again.\n");
        assert_eq!(each[0], common);
        assert_eq!(
            each[1],
            "Everyone.\n\n\nFreeze your credit.\n\n\nAll again.\n"
        );
        assert_eq!(each[2], each[1]);
        assert_eq!(common.lines().count(), text.lines().count());
    }

    #[test]
    fn markers_in_code_are_code_and_a_text_without_markers_is_untouched() {
        let text = "```\n::: for nobody\n```\n";
        let (p, diags) = parts(text, &["uk"]);
        assert!(p.is_none() && diags.is_empty(), "{diags:?}");
        let (p, diags) = parts("Plain ::: text.\n:::\n", &[]);
        assert!(p.is_none() && diags.is_empty());
    }

    #[test]
    fn unknown_unclosed_and_nested_parts_are_errors_with_places() {
        let (_, diags) = parts("::: for us-sn\nx\n", &["us-ssn"]);
        let messages: Vec<String> = diags
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        assert_eq!(
            messages,
            [
                "3:1 `::: for us-sn`: this incident has no audience `us-sn`",
                "3:1 this `::: for` part is never closed"
            ]
        );
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `us-ssn`?"));
        let (_, diags) = parts("::: for a\n::: for b\n:::\n", &["a", "b"]);
        assert_eq!(diags[0].message, "a `::: for` part starts inside another");
        let (_, diags) = parts("x\n:::\n", &["a"]);
        assert_eq!(diags[0].message, "a `:::` line closes nothing");
        let (_, diags) = parts("::: for a\n:::\n", &[]);
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("[[audience]]")
        );
    }
}
