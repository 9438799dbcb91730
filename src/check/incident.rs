//! The rules judged on each incident, one function a family of tests, each
//! returning what it found: where (file and line), in which documents, and
//! what (a detail).
//!
//! What a notice must say is judged on each document a reader gets (the
//! web page, the email, the letter: [`Document`]), by what its sentences
//! mean ([`meaning`]), not by its headings or fields. Plain language is
//! judged on the notice and each update as written, leaving out what they
//! quote.

use std::collections::BTreeMap;

use super::document::{self, Document, Kind, Role, Segment};
use super::meaning::{self, Pattern, Token};
use super::plain::{grade_of, is_toll_free, norm, sentences};
use super::{Ctx, Level, Rule, Test};
use crate::base::vocab::DataType;
use crate::load::content::Body;
use crate::model::IncidentView;
use crate::render::social::{self, PLATFORMS};

/// A rule not met: the file and line, the documents it is in, and what
/// was found.
pub(super) struct Hit {
    pub file: String,
    pub line: usize,
    /// 1-based; 0 when the finding is about the whole notice.
    pub col: usize,
    pub documents: Vec<Kind>,
    pub detail: Option<String>,
}

/// Judge `rule` on `inc` and record what it finds.
pub(super) fn apply(
    ctx: &mut Ctx<'_>,
    regime: &str,
    rule: &Rule,
    inc: &IncidentView,
    docs: &[Document],
) {
    let hits = match &rule.test {
        Test::Heading { .. }
        | Test::HeadingsInOrder { .. }
        | Test::Title { .. }
        | Test::Says { .. }
        | Test::SaysEach { .. }
        | Test::TollFreePhone => per_document(ctx, rule, inc, docs),
        Test::Field { .. } => fields(ctx, rule, inc),
        Test::ReadingGrade
        | Test::SentenceLength { .. }
        | Test::Avoid { .. }
        | Test::HiddenActor => plain_language(ctx, rule, inc),
        Test::Staleness | Test::NextUpdatePast | Test::SocialLength => timeliness(ctx, rule, inc),
        // Site-wide kinds run in `site_rules`.
        Test::Placeholders
        | Test::Links
        | Test::AltText
        | Test::MarkdownWarnings
        | Test::SecurityTxt
        | Test::Findable => Vec::new(),
    };
    for h in hits {
        ctx.push(regime, rule, &h.file, h.line, Some(&inc.slug), h.detail);
        if let Some(d) = ctx.findings.last_mut() {
            d.col = h.col;
            d.documents = h.documents.iter().map(|k| k.id().to_string()).collect();
        }
    }
}

fn incident_file(inc: &IncidentView) -> String {
    format!("content/incidents/{}/_index.md", inc.slug)
}

/// A finding about the notice as a whole.
fn on_notice(inc: &IncidentView, line: usize, detail: Option<String>) -> Vec<Hit> {
    vec![Hit {
        file: incident_file(inc),
        line,
        col: 0,
        documents: Vec::new(),
        detail,
    }]
}

/// The documents a reader gets for an incident, as rendered: the web page
/// (and the guidance pages it links), the email and the letter.
pub(super) fn documents(ctx: &Ctx<'_>, inc: &IncidentView) -> Vec<Document> {
    let compiled = ctx.compiled;
    let read = |files: &crate::base::output::Files, key: &str| {
        files
            .get(key)
            .and_then(|f| f.bytes().map(|b| String::from_utf8_lossy(b).into_owned()))
    };
    let mut docs = Vec::new();
    // An audience's notice is at its own address, its notices in their own folder.
    let (page, notices) = match &inc.audience {
        Some(a) => (
            format!("incidents/{}/for/{}/index.html", inc.slug, a.id),
            format!("{}/for/{}", inc.slug, a.id),
        ),
        None => (
            format!("incidents/{}/index.html", inc.slug),
            inc.slug.clone(),
        ),
    };
    if let Some(page) = read(&compiled.files, &page) {
        let mut web = document::from_html(Kind::Web, &page);
        for g in &inc.guidance {
            if let Some(page) = read(&compiled.files, &format!("guidance/{}/index.html", g.slug)) {
                let mut more = document::from_html(Kind::Web, &page).segments;
                // The guidance page's own title is not the notice's.
                for s in &mut more {
                    if s.role == Role::Title {
                        s.role = Role::Heading;
                    }
                }
                web.segments.extend(more);
            }
        }
        docs.push(web);
    }
    for (kind, name) in [(Kind::Email, "email.html"), (Kind::Letter, "letter.html")] {
        if let Some(html) = read(&compiled.notices, &format!("{notices}/{name}")) {
            docs.push(document::from_html(kind, &html));
        }
    }
    docs
}

/// A sentence of a document, with its words.
struct Sentence<'a> {
    text: String,
    words: Vec<Token>,
    segment: &'a Segment,
}

/// The sentences of a document in the reader's own words: quotations
/// are left out, headings are sentences of their own.
fn own_sentences(doc: &Document, with_frame: bool) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for seg in doc.segments.iter().filter(|s| with_frame || !s.frame) {
        let parts = match seg.role {
            Role::Title | Role::Heading => vec![seg.own.clone()],
            Role::Text => sentences(&seg.own),
        };
        for text in parts {
            let words = meaning::tokens(&text);
            if !words.is_empty() {
                out.push(Sentence {
                    text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                    words,
                    segment: seg,
                });
            }
        }
    }
    out
}

/// The sentences, and each two that follow one another as one more.
fn with_pairs(sentences: Vec<Sentence<'_>>) -> Vec<Sentence<'_>> {
    let pairs: Vec<Sentence<'_>> = sentences
        .windows(2)
        // Two sentences of one paragraph: not two list items, not across
        // a heading.
        .filter(|p| p[0].segment.role == Role::Text && std::ptr::eq(p[0].segment, p[1].segment))
        .map(|p| Sentence {
            text: format!("{} {}", p[0].text, p[1].text),
            words: p[0].words.iter().chain(&p[1].words).cloned().collect(),
            segment: p[0].segment,
        })
        .collect();
    sentences.into_iter().chain(pairs).collect()
}

fn compile(patterns: &[String]) -> Vec<Pattern> {
    // The rule files are ours and tested (`rules_compile`); a bad pattern
    // is left out rather than stopping the check.
    patterns
        .iter()
        .filter_map(|p| Pattern::new(p).ok())
        .collect()
}

fn says(patterns: &[Pattern], unless: &[Pattern], s: &Sentence<'_>) -> bool {
    patterns.iter().any(|p| p.find(&s.words).is_some())
        && !unless.iter().any(|p| p.find(&s.words).is_some())
}

/// A file, and a line and column in it.
type Place = (String, usize, usize);

/// Judge a rule on each document it governs, then report each distinct
/// problem once, naming the documents that have it.
fn per_document(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView, docs: &[Document]) -> Vec<Hit> {
    let governed: Vec<&Document> = docs
        .iter()
        .filter(|d| rule.outputs.iter().any(|o| o == d.kind.id()))
        .collect();
    // detail → (documents, where)
    let mut problems: BTreeMap<String, (Vec<Kind>, Option<Place>)> = BTreeMap::new();
    for doc in governed {
        for (detail, at) in judge(ctx, rule, inc, doc) {
            let entry = problems.entry(detail).or_insert_with(|| (Vec::new(), None));
            entry.0.push(doc.kind);
            if entry.1.is_none() {
                entry.1 = at;
            }
        }
    }
    problems
        .into_iter()
        .map(|(detail, (documents, at))| {
            let (file, line, col) = at.unwrap_or_else(|| (incident_file(inc), 1, 0));
            let names: Vec<&str> = documents.iter().map(|k| k.label()).collect();
            Hit {
                file,
                line,
                col,
                detail: Some(format!("{}: {detail}", join_names(&names))),
                documents,
            }
        })
        .collect()
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What is wrong with one document under one rule: each problem's detail,
/// and where it is when it is somewhere.
fn judge(
    ctx: &Ctx<'_>,
    rule: &Rule,
    inc: &IncidentView,
    doc: &Document,
) -> Vec<(String, Option<Place>)> {
    let mut out = Vec::new();
    match &rule.test {
        Test::Heading { text, variants } => {
            let wanted: Vec<String> = std::iter::once(text)
                .chain(variants)
                .map(|t| norm(t))
                .collect();
            if !doc.headings().any(|h| wanted.contains(&norm(&h.text))) {
                out.push((format!("no heading \"{text}\""), None));
            }
        }
        Test::HeadingsInOrder { texts } => {
            let headings: Vec<String> = doc
                .segments
                .iter()
                .filter(|s| s.role == Role::Heading)
                .map(|s| norm(strip_question(&s.text)))
                .collect();
            let mut at = 0;
            for t in texts {
                match headings[at..].iter().position(|h| *h == norm(t)) {
                    Some(i) => at += i + 1,
                    None => {
                        out.push((
                            format!("the heading \"{t}\" is missing or out of order"),
                            None,
                        ));
                        break;
                    }
                }
            }
        }
        Test::Title { text } => {
            let title = doc.segments.iter().find(|s| s.role == Role::Title);
            if title.is_none_or(|t| norm(&t.text) != norm(text)) {
                let found = title.map_or("none".to_string(), |t| format!("\"{}\"", t.text));
                out.push((format!("the title is {found}"), None));
            }
        }
        Test::Says { any, unless, also } => {
            let (patterns, unless, also) = (compile(any), compile(unless), compile(also));
            let sentences = own_sentences(doc, rule.frame);
            // What a notice must say may take two sentences ("They gave it
            // back on 13 July. That is when we learned …"); what it must
            // not say is judged a sentence at a time.
            // A rule with `also` wants both in one sentence.
            let sentences = match rule.level {
                Level::MustNot => sentences,
                _ if !also.is_empty() => sentences,
                _ => with_pairs(sentences),
            };
            let found: Vec<&Sentence<'_>> = sentences
                .iter()
                .filter(|s| says(&patterns, &unless, s))
                .filter(|s| also.is_empty() || s.words.len() <= 6 || says(&also, &[], s))
                .collect();
            match (rule.level, found.first()) {
                (Level::MustNot, Some(first)) => {
                    let more = match found.len() {
                        1 => String::new(),
                        n => format!(" (and {} more)", n - 1),
                    };
                    let at = locate(ctx, inc, &first.text, first.segment.role);
                    out.push((format!("says \"{}\"{more}", excerpt(&first.text)), Some(at)));
                }
                (Level::MustNot, None) | (_, Some(_)) => {}
                (_, None) => out.push(("not said".to_string(), None)),
            }
        }
        Test::SaysEach { each } => {
            let sentences = with_pairs(own_sentences(doc, rule.frame));
            let missing: Vec<&str> = each
                .iter()
                .filter(|thing| {
                    let patterns = compile(&thing.any);
                    !sentences.iter().any(|s| says(&patterns, &[], s))
                })
                .map(|t| t.name.as_str())
                .collect();
            if !missing.is_empty() {
                out.push((format!("missing {}", join_names(&missing)), None));
            }
        }
        Test::TollFreePhone => {
            let text: String = doc
                .segments
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let phones = meaning::phones(&text);
            if !phones.iter().any(|p| is_toll_free(p)) {
                let found = if phones.is_empty() {
                    "no phone number".to_string()
                } else {
                    format!("no toll-free number (found {})", phones.join(", "))
                };
                out.push((found, None));
            }
        }
        _ => {}
    }
    out
}

fn strip_question(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix("Q.")
        .or_else(|| s.strip_prefix("Q:"))
        .unwrap_or(s)
        .trim()
}

/// The first words of a sentence, for a message.
fn excerpt(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= 16 {
        words.join(" ")
    } else {
        format!("{} …", words[..14].join(" "))
    }
}

/// Where a sentence the reader sees was written: the notice, an update or
/// guidance it links, or site.toml (the theme's frame shows its
/// settings); the incident file if it cannot be found.
fn locate(ctx: &Ctx<'_>, inc: &IncidentView, sentence: &str, role: Role) -> Place {
    let file = incident_file(inc);
    if role == Role::Title {
        return (file, 2, 0);
    }
    let words = first_words(sentence);
    if words.is_empty() {
        return (file, 1, 0);
    }
    let own = format!("incidents/{}/", inc.slug);
    let bodies = ctx.sources.iter().filter(|s| {
        s.page.starts_with(&own)
            || s.page
                .strip_prefix("guidance/")
                .is_some_and(|g| inc.guidance.iter().any(|x| format!("{}/", x.slug) == g))
    });
    for s in bodies {
        if let Some((line, col)) = line_with(&s.body.text, &words) {
            return (s.body.file.clone(), s.body.first_line + line, col);
        }
    }
    if let Some((line, col)) = line_with(&ctx.compiled.settings, &words) {
        return ("site.toml".to_string(), line + 1, col);
    }
    (file, 1, 0)
}

/// The first five words of a sentence, as [`line_with`] looks for them.
fn first_words(sentence: &str) -> Vec<String> {
    sentence
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .take(5)
        .collect()
}

/// The 0-based line and 1-based column of `text` where these words
/// start, in order (Markdown marks and line breaks between them ignored).
fn line_with(text: &str, words: &[String]) -> Option<(usize, usize)> {
    let mut flat: Vec<(String, usize, usize)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut at = 0;
        for raw in line.split(' ') {
            let lead = raw.chars().take_while(|c| !c.is_alphanumeric()).count();
            let w = raw
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if !w.is_empty() {
                flat.push((w, n, at + lead + 1));
            }
            at += raw.chars().count() + 1;
        }
    }
    flat.windows(words.len())
        .find(|win| win.iter().zip(words).all(|((a, _, _), b)| a == b))
        .map(|win| (win[0].1, win[0].2))
}

/// Fields that must (or must not) be set.
fn fields(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView) -> Vec<Hit> {
    let config = &ctx.compiled.config;
    let Test::Field { field } = &rule.test else {
        return Vec::new();
    };
    let present = match field.as_str() {
        "contact" => {
            config.contact.phone.is_some()
                || config.contact.email.is_some()
                || config.contact.web.is_some()
        }
        "contact.phone" => config.contact.phone.is_some() || config.contact.web.is_some(),
        "contact.email" => config.contact.email.is_some(),
        "data_types" => !inc.data_types.is_empty(),
        "occurred" => inc.occurred_start.is_some(),
        "people_affected" => inc.people_affected.is_some(),
        "discovered" => true,
        _ => false,
    };
    let violated = match rule.level {
        Level::MustNot => present.then(|| format!("`{field}` is set")),
        _ => (!present).then(|| format!("`{field}` is not set")),
    };
    violated.map_or_else(Vec::new, |d| on_notice(inc, 1, Some(d)))
}

/// A text as written: its file, the HTML it renders to, and its Markdown.
struct Written<'a> {
    body: &'a Body,
    html: &'a str,
}

/// Reading grade, sentence length, phrases to avoid and hidden actors, in
/// the notice and each of its published updates, leaving out quotations.
fn plain_language(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView) -> Vec<Hit> {
    let mut hits = Vec::new();
    // The measures and phrase lists are English; another language is said
    // to be unjudged (see `translations`), never judged wrongly.
    if !super::translations::judged_by_plain_rules(&ctx.compiled.config.language) {
        return hits;
    }
    let texts = own_texts(ctx, inc);
    let docs: Vec<Document> = texts
        .iter()
        .map(|w| document::from_html(Kind::Web, w.html))
        .collect();
    let every: Vec<Sentence<'_>> = docs.iter().flat_map(|d| own_sentences(d, false)).collect();
    for (w, doc) in texts.iter().zip(&docs) {
        let sentences = own_sentences(doc, false);
        let at = |s: &Sentence<'_>| {
            line_with(&w.body.text, &first_words(&s.text))
                .map_or((w.body.first_line, 0), |(l, c)| (w.body.first_line + l, c))
        };
        let hit = |(line, col): (usize, usize), detail: String| Hit {
            file: w.body.file.clone(),
            line,
            col,
            documents: Vec::new(),
            detail: Some(detail),
        };
        match &rule.test {
            Test::ReadingGrade => {
                let max = ctx.compiled.config.check.reading_grade_max;
                // Sentences, not labels, greetings or sign-offs ("Security
                // freeze.", "Sincerely,").
                let prose: Vec<&Sentence<'_>> = sentences
                    .iter()
                    .filter(|s| s.segment.role == Role::Text && s.words.len() >= 4)
                    .collect();
                let words: usize = prose.iter().map(|s| s.words.len()).sum();
                // A grade on a few sentences says nothing.
                if prose.len() < 6 || words < 80 {
                    continue;
                }
                let text: Vec<String> = prose.iter().map(|s| readable(s)).collect();
                let grade = grade_of(&text);
                if grade > max {
                    let mut hardest: Vec<&&Sentence<'_>> = prose.iter().collect();
                    hardest.sort_by(|a, b| {
                        let g = |s: &Sentence<'_>| grade_of(&[readable(s)]);
                        g(b).total_cmp(&g(a))
                    });
                    let names: Vec<String> = hardest
                        .iter()
                        .take(2)
                        .map(|s| format!("line {}: \"{}\"", at(s).0, excerpt(&s.text)))
                        .collect();
                    hits.push(hit(
                        (w.body.first_line, 0),
                        format!(
                            "grade {grade:.1}, target {max}; rewrite first {}",
                            names.join("; ")
                        ),
                    ));
                }
            }
            Test::SentenceLength { max } => {
                for s in sentences.iter().filter(|s| s.segment.role == Role::Text) {
                    let words = s.text.split_whitespace().count();
                    if words > *max {
                        hits.push(hit(
                            at(s),
                            format!("{words} words: \"{}\"", excerpt(&s.text)),
                        ));
                    }
                }
            }
            Test::Avoid { any, unless } => {
                let (patterns, unless) = (compile(any), compile(unless));
                for s in sentences.iter().filter(|s| says(&patterns, &unless, s)) {
                    hits.push(hit(at(s), format!("\"{}\"", excerpt(&s.text))));
                }
            }
            Test::HiddenActor => {
                if let Some(s) = hidden_actor(&every, &sentences) {
                    hits.push(hit(at(s), format!("who did it? \"{}\"", excerpt(&s.text))));
                }
            }
            _ => {}
        }
    }
    hits
}

/// A sentence as the reading grade reads it: a phone number, an email or
/// web address is read as one short word, not as many long ones.
fn readable(s: &Sentence<'_>) -> String {
    let mut out = String::new();
    for t in &s.words {
        out.push_str(if t.is_address() { "it" } else { &t.word });
        out.push(' ');
    }
    let end = s
        .text
        .trim_end()
        .chars()
        .last()
        .filter(|c| matches!(c, '.' | '?' | '!'));
    out.push(end.unwrap_or('.'));
    out
}

/// Forms of "to be" that make a passive about what happened.
const BE: &[&str] = &["was", "were", "been"];
/// Verbs for what was done to people's information: a passive of one of
/// these ("your data was accessed") leaves out who did it.
const HARM: &[&str] = &[
    "accessed",
    "copied",
    "stolen",
    "taken",
    "viewed",
    "seen",
    "exposed",
    "shown",
    "made",
    "downloaded",
    "published",
    "shared",
    "lost",
    "leaked",
    "compromised",
    "obtained",
    "acquired",
    "breached",
    "hacked",
    "encrypted",
    "disclosed",
    "posted",
    "sent",
    "emailed",
    "opened",
    "removed",
    "misdirected",
    "misplaced",
    "visible",
    "released",
    "uploaded",
    "misused",
    "used",
    "subject",
];
/// Verbs that, in a passive, leave out who caused the exposure ("the
/// setting was changed", "the folder was left open"), though "we changed
/// the setting back" names no one who did harm.
const CAUSED: &[&str] = &[
    "changed",
    "left",
    "misconfigured",
    "configured",
    "saved",
    "uploaded",
    "moved",
    "deleted",
    "altered",
    "disabled",
    "switched",
    "turned",
    "set",
    "attached",
    "forwarded",
    "printed",
];

/// Words that name who acted.
const ACTORS: &[&str] = &[
    "we",
    "criminal",
    "criminals",
    "attacker",
    "attackers",
    "hacker",
    "hackers",
    "thief",
    "thieves",
    "fraudster",
    "fraudsters",
    "scammer",
    "scammers",
    "someone",
    "somebody",
    "employee",
    "staff",
    "colleague",
    "colleagues",
    "contractor",
    "supplier",
    "vendor",
    "intruder",
    "burglar",
    "burglars",
    "group",
    "gang",
    "person",
    "party",
    "stranger",
    "i",
    "they",
    "member",
    "photographer",
    "worker",
    "volunteer",
    "manager",
    "administrator",
    "developer",
    "developers",
    "provider",
    "company",
    "firm",
    "team",
    "agency",
    "partner",
    "host",
    "nurse",
    "doctor",
];

/// The first passive sentence about what happened that does not say who
/// did it ("a mistake was made", "your data was accessed"), when nothing
/// the incident says names who acted.
fn hidden_actor<'a>(
    all: &[Sentence<'_>],
    sentences: &'a [Sentence<'a>],
) -> Option<&'a Sentence<'a>> {
    if all.iter().any(names_actor) {
        return None;
    }
    sentences
        .iter()
        .filter(|s| s.segment.role == Role::Text)
        .find(|s| passive(s).is_some())
}

/// Where a sentence has a passive of a [`HARM`] verb with no "by …".
fn passive(s: &Sentence<'_>) -> Option<usize> {
    let w = &s.words;
    (0..w.len().saturating_sub(1)).find(|&i| {
        BE.contains(&w[i].word.as_str()) && {
            // "was quickly copied", "were then sent" …
            let next = w[i + 1..]
                .iter()
                .take(2)
                .find(|t| !t.word.ends_with("ly") && t.word != "then" && t.word != "also");
            next.is_some_and(|t| {
                HARM.contains(&t.word.as_str()) || CAUSED.contains(&t.word.as_str())
            }) && !w[i + 1..].iter().take(8).any(|t| t.word == "by")
        }
    })
}

/// Does the sentence say who did something: an actor followed by what it
/// did ("a criminal copied", "we sent", "our photographer had used"), or a
/// passive with its "by"?
fn names_actor(s: &Sentence<'_>) -> bool {
    let w = &s.words;
    let did = |t: &Token| {
        let v = t.word.as_str();
        HARM.contains(&v)
            || matches!(
                v,
                "broke"
                    | "stole"
                    | "took"
                    | "got"
                    | "gained"
                    | "saw"
                    | "clicked"
                    | "replied"
                    | "signed"
                    | "logged"
                    | "made"
                    | "left"
                    | "lost"
                    | "put"
                    | "attached"
                    | "forwarded"
                    | "printed"
                    | "threw"
                    | "dropped"
                    | "entered"
                    | "set"
                    | "typed"
            )
    };
    // "we sent you a letter" is not what happened to the data.
    let to_reader = |j: usize| {
        w.get(j)
            .is_some_and(|t| matches!(t.word.as_str(), "you" | "your" | "everyone" | "every"))
    };
    let acts = |i: usize| {
        (w.get(i + 1).is_some_and(did) && !to_reader(i + 2))
            || (w
                .get(i + 1)
                .is_some_and(|t| matches!(t.word.as_str(), "has" | "have" | "had"))
                && w.get(i + 2).is_some_and(did)
                && !to_reader(i + 3))
    };
    // "A fault in our website showed …": a thing did it, in the active.
    let active = |i: usize| {
        matches!(
            w[i].word.as_str(),
            "showed"
                | "displayed"
                | "revealed"
                | "exposed"
                | "let"
                | "allowed"
                | "sent"
                | "published"
        ) && !w[..i].iter().rev().take(2).any(|t| {
            BE.contains(&t.word.as_str())
                || matches!(t.word.as_str(), "is" | "are" | "be" | "being")
        }) && w[..i].iter().rev().take(5).any(|t| {
            matches!(
                t.word.as_str(),
                "fault"
                    | "error"
                    | "bug"
                    | "glitch"
                    | "website"
                    | "site"
                    | "system"
                    | "software"
                    | "update"
                    | "setting"
                    | "settings"
                    | "app"
                    | "portal"
                    | "server"
                    | "link"
                    | "page"
                    | "tool"
                    | "program"
                    | "mistake"
                    | "change"
            )
        })
    };
    // "The update had a fault", "an error in our system": the cause is said.
    let cause = w.iter().any(|t| {
        matches!(
            t.word.as_str(),
            "fault" | "faulty" | "bug" | "glitch" | "error" | "misconfigured" | "misconfiguration"
        )
    }) && w
        .iter()
        .any(|t| matches!(t.word.as_str(), "our" | "we" | "had" | "in"));
    (cause && passive(s).is_none())
        || (0..w.len()).any(active)
        || w.iter()
            .enumerate()
            .any(|(i, t)| ACTORS.contains(&t.word.as_str()) && acts(i))
        || w.windows(2).any(|p| {
            p[0].word == "by"
                && (ACTORS.contains(&p[1].word.as_str())
                    || matches!(
                        p[1].word.as_str(),
                        "a" | "an" | "one" | "our" | "two" | "three"
                    ))
        })
}

/// The notice and its published updates, each with the HTML it renders to.
fn own_texts<'a>(ctx: &Ctx<'a>, inc: &'a IncidentView) -> Vec<Written<'a>> {
    let content = &ctx.compiled.content;
    let mut out = Vec::new();
    if let Some(i) = content.incidents.iter().find(|i| i.slug == inc.slug) {
        out.push(Written {
            body: &i.body,
            html: &inc.content,
        });
        // The parts for some audiences are judged in each audience's
        // notice; what they share is found once (findings are deduplicated).
        for (a, view) in i.audiences.iter().zip(&inc.for_audiences) {
            out.push(Written {
                body: &a.body,
                html: &view.content,
            });
        }
    }
    for u in inc.updates.iter().chain(&inc.other_updates) {
        if let Some(src) = content
            .updates
            .iter()
            .find(|x| x.incident == inc.slug && x.slug == u.slug)
        {
            out.push(Written {
                body: &src.body,
                html: &u.content,
            });
        }
    }
    out
}

/// Is the incident kept up to date, and do its posts fit?
fn timeliness(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView) -> Vec<Hit> {
    let now = ctx.now.as_second();
    match &rule.test {
        Test::Staleness => {
            let hours = ctx.compiled.config.check.update_every;
            let idle = now - inc.last_updated.epoch;
            if inc.is_open && idle > hours * 3600 {
                let detail = format!(
                    "last updated {}, {} hours ago",
                    inc.last_updated.long,
                    idle / 3600
                );
                return on_notice(inc, 1, Some(detail));
            }
            Vec::new()
        }
        Test::NextUpdatePast => inc
            .next_update
            .as_ref()
            .filter(|n| inc.is_open && n.epoch < now)
            .map_or_else(Vec::new, |n| {
                on_notice(inc, 1, Some(format!("next update was due by {}", n.long)))
            }),
        Test::SocialLength => {
            let frame = social::Frame::of(&ctx.compiled.config);
            inc.updates
                .iter()
                .filter_map(|u| {
                    let p = PLATFORMS
                        .iter()
                        .map(|p| social::post(*p, &frame, &u.summary, &u.permalink))
                        .find(|p| p.shortened)?;
                    let file = format!("content/incidents/{}/{}.md", inc.slug, u.slug);
                    Some(Hit {
                        file,
                        line: 1,
                        col: 0,
                        documents: Vec::new(),
                        detail: Some(format!("too long for {} ({} characters)", p.name, p.limit)),
                    })
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Words that say a kind of data was involved, for the kinds a reader can
/// be told about falsely (names and "other" are too general to tell).
fn data_words(d: DataType) -> &'static [&'static str] {
    match d {
        DataType::UsSsn => &["social security", "ssn|ssns"],
        DataType::NationalInsurance => &["national insurance"],
        DataType::CardNumber => &[
            "card number|numbers|details",
            "credit|debit|payment card|cards",
        ],
        DataType::BankAccount => &["bank account|accounts|details", "sort code|codes"],
        DataType::Password => &["password|passwords"],
        DataType::Dob => &[
            "date|dates of birth",
            "birth date|dates",
            "birthday|birthdays",
        ],
        DataType::Health => {
            &["health|medical record|records|information|data|details|condition|conditions"]
        }
        DataType::GovId => &[
            "passport|passports",
            "driving licence|licences|license|licenses",
        ],
        DataType::PostalAddress => &["postal|home address|addresses"],
        DataType::Phone => &["phone|telephone|mobile number|numbers"],
        DataType::Email => &["email address|addresses"],
        DataType::PurchaseHistory => &["purchase|repair|order history", "what you bought|ordered"],
        DataType::Biometric => &["fingerprint|fingerprints", "biometric*"],
        DataType::Location => &["location data|history"],
        DataType::IpAddress => &["ip address|addresses"],
        DataType::Username => &["username|usernames"],
        DataType::SecurityQuestions => &["security question|questions"],
        _ => &[],
    }
}

/// A sentence that denies, or only supposes: "was not taken", "if your
/// Social Security number was taken".
const NOT_SAYING: &[&str] = &[
    "not|no|never|nor|neither|without|none|cannot",
    "didn't|wasn't|weren't|isn't|aren't|hasn't|haven't|don't|doesn't",
    "if|whether|unless",
];

/// In an audience's notice: sentences that say data was involved that,
/// for these people, was not (another audience's). What each reader is
/// told about their own data must be true for them.
pub(super) fn audience_data(
    ctx: &Ctx<'_>,
    whole: &IncidentView,
    view: &IncidentView,
    docs: &[Document],
) -> Vec<(Hit, String)> {
    let theirs: Vec<DataType> = view.data_types.iter().map(|d| d.id).collect();
    let others: Vec<DataType> = whole
        .data_types
        .iter()
        .map(|d| d.id)
        .filter(|d| !theirs.contains(d))
        .collect();
    saying_data(ctx, view, docs, &others)
}

/// In the notice for everyone: sentences under its "What information was
/// involved" heading that name data its `data_types` do not list. The
/// regulator's report, the breach log and the page's list of what was
/// involved are made from `data_types`: they would say less than the
/// notice. (Only that section: elsewhere a notice names data in advice,
/// "change your password", without saying it was taken.)
pub(super) fn unlisted_data(
    ctx: &Ctx<'_>,
    inc: &IncidentView,
    docs: &[Document],
) -> Vec<(Hit, String)> {
    let listed: Vec<DataType> = inc.data_types.iter().map(|d| d.id).collect();
    // `other`: data the vocabulary has no word for was involved, and a
    // name the notice gives it may be that.
    if listed.is_empty() || listed.contains(&DataType::Other) {
        return Vec::new();
    }
    let others: Vec<(DataType, Vec<Pattern>)> = DataType::ALL
        .iter()
        .copied()
        .filter(|d| !listed.contains(d))
        .map(|d| {
            let words: Vec<String> = data_words(d).iter().map(|s| s.to_string()).collect();
            (d, compile(&words))
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let unless = compile(&NOT_SAYING.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let mut found: Found<DataType> = BTreeMap::new();
    for doc in docs {
        let mut involved = false;
        let sentences = own_sentences(doc, false);
        for (i, s) in sentences.iter().enumerate() {
            // A table's "No." beside the kind of data: not involved.
            let denied = sentences.get(i + 1).is_some_and(|next| {
                !std::ptr::eq(next.segment, s.segment) && {
                    let t = next.text.to_lowercase();
                    t == "no"
                        || t.starts_with("no.")
                        || t.starts_with("no,")
                        || t.starts_with("no ")
                }
            });
            if denied {
                continue;
            }
            match s.segment.role {
                Role::Title => involved = false,
                Role::Heading => {
                    let h = s.segment.text.to_lowercase();
                    involved = h.contains("information") && h.contains("involved")
                        || h.starts_with("what information")
                        || h.starts_with("what data")
                        || h.starts_with("what was taken");
                }
                Role::Text if involved => {
                    let lower = s.text.to_lowercase();
                    for (d, patterns) in &others {
                        // An identity, gift or loyalty card's number is not
                        // a payment card's.
                        let other_card = *d == DataType::CardNumber
                            && [
                                "identity card",
                                "id card",
                                "gift card",
                                "loyalty card",
                                "membership card",
                                "library card",
                            ]
                            .iter()
                            .any(|c| lower.contains(c));
                        if !other_card && says(patterns, &unless, s) {
                            note(&mut found, s, doc.kind, *d);
                        }
                    }
                }
                Role::Text => {}
            }
        }
    }
    let own = format!("content/incidents/{}/_index.md", inc.slug);
    hits(ctx, inc, found)
        .into_iter()
        .filter(|(hit, _)| hit.file == own)
        .map(|(hit, d)| (hit, lower_first(d.label())))
        .collect()
}

/// Sentences of `docs` that say one of `others` was involved.
fn saying_data(
    ctx: &Ctx<'_>,
    view: &IncidentView,
    docs: &[Document],
    others: &[DataType],
) -> Vec<(Hit, String)> {
    let others: Vec<(DataType, Vec<Pattern>)> = others
        .iter()
        .copied()
        .map(|d| {
            let words: Vec<String> = data_words(d).iter().map(|s| s.to_string()).collect();
            (d, compile(&words))
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if others.is_empty() {
        return Vec::new();
    }
    let unless = compile(&NOT_SAYING.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    // sentence → (data, documents)
    let mut found: Found<DataType> = BTreeMap::new();
    for doc in docs {
        for s in own_sentences(doc, false) {
            for (d, patterns) in &others {
                if says(patterns, &unless, &s) {
                    note(&mut found, &s, doc.kind, *d);
                }
            }
        }
    }
    hits(ctx, view, found)
        .into_iter()
        .map(|(hit, d)| (hit, lower_first(d.label())))
        .collect()
}

/// A sentence found saying something, with the documents it is in.
type Found<T> = BTreeMap<String, (T, Vec<Kind>, Role)>;

fn note<T>(found: &mut Found<T>, s: &Sentence<'_>, kind: Kind, value: T) {
    let e = found
        .entry(s.text.clone())
        .or_insert_with(|| (value, Vec::new(), s.segment.role));
    if !e.1.contains(&kind) {
        e.1.push(kind);
    }
}

/// Each sentence found, located in its file.
fn hits<T>(ctx: &Ctx<'_>, view: &IncidentView, found: Found<T>) -> Vec<(Hit, T)> {
    found
        .into_iter()
        .map(|(sentence, (value, documents, role))| {
            let (file, line, col) = locate(ctx, view, &sentence, role);
            let names: Vec<&str> = documents.iter().map(|k| k.label()).collect();
            (
                Hit {
                    file,
                    line,
                    col,
                    detail: Some(format!(
                        "{}: \"{}\"",
                        join_names(&names),
                        excerpt(&sentence)
                    )),
                    documents,
                },
                value,
            )
        })
        .collect()
}

/// "Names" → "names"; "US Social Security numbers" stays.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if b.is_lowercase() => a
            .to_lowercase()
            .chain(std::iter::once(b))
            .chain(chars)
            .collect(),
        _ => label.to_string(),
    }
}

/// Words that name people, after a number: "1,240 customers".
const PEOPLE: &[&str] = &[
    "customer",
    "customers",
    "people",
    "person",
    "persons",
    "individual",
    "individuals",
    "resident",
    "residents",
    "patient",
    "patients",
    "member",
    "members",
    "client",
    "clients",
    "user",
    "users",
    "employee",
    "employees",
    "staff",
    "student",
    "students",
    "pupil",
    "pupils",
    "donor",
    "donors",
    "subscriber",
    "subscribers",
    "households",
    "families",
    "guests",
    "applicants",
    "volunteers",
    "colleagues",
];

/// Words that join rather than describe: "17, from people" is not a count.
const LINKS: &[&str] = &[
    "a", "an", "the", "of", "from", "to", "and", "or", "in", "on", "at", "by", "for", "with",
    "one", "other", "more", "than",
];

/// A sentence about who was involved says so.
const INVOLVED: &[&str] = &[
    "affected",
    "involved",
    "taken",
    "copied",
    "stolen",
    "exposed",
    "accessed",
    "breach",
    "whose",
    "compromised",
    "impacted",
    "included",
    "viewed",
    "downloaded",
];

/// Words that make a sentence about what was said before, or a guess.
const EARLIER: &[&str] = &[
    "first",
    "earlier",
    "previously",
    "initially",
    "originally",
    "thought",
    "believed",
    "said",
    "wrote",
    "told",
    "estimate",
    "estimated",
    "expected",
];

/// In a notice: "N customers" where N is none of the incident's counts
/// (its people_affected, an audience's people or a sum of them, a place's
/// residents). The regulator's report, the breach log and status.json are
/// made from the counts; the notice must say the same.
pub(super) fn people_numbers(
    ctx: &Ctx<'_>,
    whole: &IncidentView,
    view: &IncidentView,
    docs: &[Document],
) -> Vec<(Hit, i64)> {
    let mut counts: Vec<i64> = whole.people_affected.into_iter().collect();
    let audiences: Vec<i64> = whole.audiences.iter().filter_map(|a| a.people).collect();
    if audiences.len() <= 12 {
        for mask in 1u32..(1 << audiences.len()) {
            counts.push(
                (0..audiences.len())
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| audiences[i])
                    .sum(),
            );
        }
    }
    counts.extend(
        whole
            .audiences
            .iter()
            .flat_map(|a| a.residents.iter().map(|r| r.people)),
    );
    if counts.is_empty() {
        return Vec::new();
    }
    let own = format!("content/incidents/{}/_index.md", whole.slug);
    let mut found: Found<i64> = BTreeMap::new();
    for doc in docs {
        for s in own_sentences(doc, false) {
            let words: Vec<String> = s
                .text
                .split_whitespace()
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect();
            if words.iter().any(|w| EARLIER.contains(&w.as_str()))
                || !words.iter().any(|w| INVOLVED.contains(&w.as_str()))
            {
                continue;
            }
            for (i, w) in words.iter().enumerate() {
                let Some(n) = number(w) else { continue };
                // "1,240 customers", "37 US customers": the noun next, or
                // after one word that describes it.
                let next = |k: usize| words.get(i + k).map(String::as_str);
                let noun = next(1).is_some_and(|x| PEOPLE.contains(&x))
                    || (next(1).is_some_and(|x| !LINKS.contains(&x) && number(x).is_none())
                        && next(2).is_some_and(|x| PEOPLE.contains(&x)));
                if !noun || n < 2 {
                    continue;
                }
                let before: Vec<&str> = words[i.saturating_sub(2)..i]
                    .iter()
                    .map(String::as_str)
                    .collect();
                let ok = if before
                    .iter()
                    .any(|b| matches!(*b, "over" | "more" | "above"))
                {
                    counts.iter().any(|c| *c > n)
                } else if before
                    .iter()
                    .any(|b| matches!(*b, "fewer" | "less" | "under" | "below"))
                {
                    counts.iter().any(|c| *c < n)
                } else if before.iter().any(|b| {
                    matches!(
                        *b,
                        "about"
                            | "around"
                            | "approximately"
                            | "roughly"
                            | "nearly"
                            | "almost"
                            | "some"
                            | "up"
                    )
                }) {
                    counts.iter().any(|c| (c - n).abs() * 10 <= *c)
                } else {
                    counts.contains(&n)
                };
                if !ok {
                    note(&mut found, &s, doc.kind, n);
                }
            }
        }
    }
    hits(ctx, view, found)
        .into_iter()
        .filter(|(hit, _)| hit.file == own)
        .collect()
}

/// "1,240" → 1240; not a year-like date part ("2026" is kept: it is
/// only counted when people follow).
fn number(word: &str) -> Option<i64> {
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    if word.starts_with(',') || word.ends_with(',') {
        return None;
    }
    word.replace(',', "").parse().ok()
}

/// Words that say when the organisation found out.
const FOUND: &[&str] = &[
    "discovered",
    "found",
    "noticed",
    "detected",
    "learned",
    "learnt",
    "spotted",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's number from its name or its three-letter abbreviation.
fn month(word: &str) -> Option<i8> {
    let w = word.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(w) && w != "may"))
        .or_else(|| (w == "may").then_some(4))
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// A day of the month: "16", "16th", "1st".
fn day(word: &str) -> Option<i8> {
    let d = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: i8 = d.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

/// Each date in a sentence's words ("16 November 2026", "November 16,
/// 2026", "16 Nov"), with the index of its first word.
fn dates(words: &[String]) -> Vec<(usize, i8, i8, Option<i16>)> {
    let year = |w: Option<&String>| -> Option<i16> {
        w.and_then(|w| w.parse::<i16>().ok())
            .filter(|y| (1990..=2100).contains(y))
    };
    let mut out = Vec::new();
    for i in 0..words.len() {
        if let Some(m) = month(&words[i]) {
            // "November 16, 2026"
            if let Some(d) = words.get(i + 1).and_then(|w| day(w)) {
                out.push((i, d, m, year(words.get(i + 2))));
                continue;
            }
            // "16 November 2026"
            if let Some(d) = i.checked_sub(1).and_then(|j| day(&words[j])) {
                out.push((i - 1, d, m, year(words.get(i + 1))));
            }
        }
    }
    out
}

/// In a notice: "On 12 November we discovered …" when the incident's
/// `discovered` is another day. The regulator's report and the breach log
/// give `discovered`; the notice must say the same. A date after "found
/// that" is what was found, not when.
pub(super) fn discovery_dates(
    ctx: &Ctx<'_>,
    inc: &IncidentView,
    view: &IncidentView,
    docs: &[Document],
    discovered: (i16, i8, i8),
) -> Vec<(Hit, String)> {
    let (year, m, d) = discovered;
    let own = format!("content/incidents/{}/_index.md", inc.slug);
    let mut found: Found<String> = BTreeMap::new();
    for doc in docs {
        for s in own_sentences(doc, false) {
            if s.segment.role != Role::Text {
                continue;
            }
            let words: Vec<String> = s
                .text
                .split_whitespace()
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect();
            if words
                .iter()
                .any(|w| EARLIER.contains(&w.as_str()) && w != "first")
            {
                continue;
            }
            // "we found", "we first noticed", "it was discovered": the
            // organisation finding out, not a supplier or the reader.
            let Some(v) = words.iter().enumerate().position(|(i, w)| {
                FOUND.contains(&w.as_str())
                    && (words[i.saturating_sub(3)..i].iter().any(|x| x == "we")
                        || i.checked_sub(1)
                            .is_some_and(|j| matches!(words[j].as_str(), "was" | "were" | "been")))
            }) else {
                continue;
            };
            let all = dates(&words);
            if all
                .iter()
                .any(|(_, dd, mm, yy)| *dd == d && *mm == m && yy.is_none_or(|y| y == year))
            {
                continue;
            }
            // The date the sentence gives for finding out: before the verb,
            // or after it unless what follows is what was found.
            let that = words
                .get(v + 1)
                .is_some_and(|w| matches!(w.as_str(), "that" | "out" | "how" | "what" | "who"));
            let claim = all.iter().rfind(|(i, ..)| *i < v).or_else(|| {
                if that {
                    None
                } else {
                    all.iter().find(|(i, ..)| *i > v && *i <= v + 6)
                }
            });
            if let Some((_, dd, mm, yy)) = claim {
                let said = match yy {
                    Some(y) => format!("{dd} {} {y}", capital(MONTHS[(*mm - 1) as usize])),
                    None => format!("{dd} {}", capital(MONTHS[(*mm - 1) as usize])),
                };
                note(&mut found, &s, doc.kind, said);
            }
        }
    }
    // Only sentences found in the notice's own text (not the page's
    // timeline, whose "Identified 7 Jul" is a status).
    hits(ctx, view, found)
        .into_iter()
        .filter(|(hit, _)| hit.file == own && hit.col > 0)
        .collect()
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
