//! The site's pages: what pages there are ([`page_jobs`]), which of them
//! to render ([`plan_pages`]: all of them, or in the preview those whose
//! inputs changed), and rendering them in parallel ([`render_pages`]).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::Context;

use crate::base::diagnostics::Diagnostic;
use crate::base::fingerprint::{self, Fingerprint};
use crate::base::output::{Emit, FileData, Files, write_error};
use crate::load::config::Config;
use crate::model::{GuidanceView, IncidentView, Model, PageView, UpdateView, WithdrawnView};
use crate::render::Templates;
use crate::render::meta;
use crate::render::prints::{GLOBALS, GlobalVisitor, Prints, plain_global};

/// A page to render: template, output path, what it is about.
pub struct Job<'a> {
    pub template: &'static str,
    pub path: String,
    /// Root-relative URL of the page.
    pub url: String,
    pub title: String,
    pub description: String,
    pub kind: &'static str,
    /// JSON-LD for the page.
    pub jsonld: Jsonld,
    pub vars: Vec<(&'static str, Var<'a>)>,
    /// The incident (by index in the model) whose page this is.
    pub of_incident: Option<usize>,
}

/// A page's JSON-LD.
pub enum Jsonld {
    None,
    /// Already safe inside `<script>`.
    Text(String),
    /// The FAQ's, made from every answer: made only when the FAQ page is
    /// rendered (in the preview, when an answer changed).
    Faq,
}

impl Jsonld {
    fn text(&self, model: &Model) -> Option<String> {
        match self {
            Jsonld::None => None,
            Jsonld::Text(t) => Some(t.clone()),
            Jsonld::Faq => Some(meta::faq_jsonld(model)),
        }
    }
}

/// A page's own variable: a view, made into a template value when the page
/// renders, so jobs stay small.
pub enum Var<'a> {
    /// An incident, by its index in the model: its value is made once for
    /// all of its pages.
    Incident(usize),
    Update(&'a UpdateView),
    Guidance(&'a GuidanceView),
    Page(&'a PageView),
    /// A withdrawn update, at its old address.
    Withdrawn(&'a WithdrawnView),
    /// The incident as one of its audiences reads it.
    Audience(&'a IncidentView),
}

impl Var<'_> {
    fn value(&self, views: &ViewValues) -> tera::Value {
        match self {
            Var::Incident(i) => views.incident(*i),
            Var::Update(u) => views.update(u),
            Var::Guidance(g) => tera::Value::from_serializable(g),
            Var::Page(p) => tera::Value::from_serializable(p),
            Var::Withdrawn(w) => tera::Value::from_serializable(w),
            Var::Audience(a) => tera::Value::from_serializable(a),
        }
    }

    fn fingerprint(&self, prints: &Prints) -> Fingerprint {
        match self {
            Var::Incident(i) => prints.incidents.get(*i).copied().unwrap_or_default(),
            Var::Update(u) => prints.update(u),
            Var::Guidance(g) => fingerprint::of(g),
            Var::Page(p) => fingerprint::of(p),
            Var::Withdrawn(w) => fingerprint::of(w),
            Var::Audience(a) => fingerprint::of(a),
        }
    }
}

/// Incidents and updates as template values: each made once a build, and
/// in the preview kept between rebuilds while unchanged. An update's value
/// is shared by every value that holds it (its page, its incident, the
/// site-wide `updates`), so the model's text is held as template values
/// once, not once for each place that shows it.
pub struct ViewValues<'a> {
    model: &'a Model,
    prints: Option<&'a Prints>,
    incidents: Vec<OnceLock<tera::Value>>,
    /// Each update's value, by the address of its view.
    updates: HashMap<usize, OnceLock<tera::Value>>,
}

/// A view's address: the same `Arc<UpdateView>` wherever the model holds it.
fn address(u: &UpdateView) -> usize {
    std::ptr::from_ref(u) as usize
}

impl<'a> ViewValues<'a> {
    pub fn new(model: &'a Model, prints: Option<&'a Prints>) -> Self {
        let updates = match prints {
            // The preview's values are shared through its own cache.
            Some(_) => HashMap::new(),
            None => model
                .incidents
                .iter()
                .flat_map(|i| i.updates.iter().chain(&i.other_updates))
                .chain(&model.updates)
                .map(|u| (address(u), OnceLock::new()))
                .collect(),
        };
        ViewValues {
            model,
            prints,
            incidents: model.incidents.iter().map(|_| Default::default()).collect(),
            updates,
        }
    }

    pub fn incident(&self, i: usize) -> tera::Value {
        let (Some(slot), Some(inc)) = (self.incidents.get(i), self.model.incidents.get(i)) else {
            return tera::Value::none();
        };
        slot.get_or_init(|| match self.prints {
            Some(p) => p
                .values
                .get_with(p.incidents[i], || self.incident_value(inc)),
            None => self.incident_value(inc),
        })
        .clone()
    }

    /// An incident's value holding its updates' shared values: the same
    /// value `from_serializable` makes.
    fn incident_value(&self, inc: &IncidentView) -> tera::Value {
        let shell = IncidentView {
            updates: Vec::new(),
            other_updates: Vec::new(),
            for_audiences: Vec::new(),
            ..inc.clone()
        };
        let Some(mut map) = tera::Value::from_serializable(&shell).into_map() else {
            return tera::Value::from_serializable(inc);
        };
        for (key, list) in [
            ("updates", &inc.updates),
            ("other_updates", &inc.other_updates),
        ] {
            let values: Vec<tera::Value> = list.iter().map(|u| self.update(u)).collect();
            map.insert(tera::value::Key::from(key), tera::Value::from(values));
        }
        tera::Value::from(map)
    }

    pub fn update(&self, u: &UpdateView) -> tera::Value {
        match self.prints {
            Some(p) => p.values.get(p.update(u), u),
            None => match self.updates.get(&address(u)) {
                Some(slot) => slot
                    .get_or_init(|| tera::Value::from_serializable(u))
                    .clone(),
                None => tera::Value::from_serializable(u),
            },
        }
    }

    /// The model's `updates`, newest first.
    fn updates(&self) -> tera::Value {
        match self.prints {
            Some(p) => {
                let list: Vec<tera::Value> = self
                    .model
                    .updates
                    .iter()
                    .zip(&p.updates)
                    .map(|(u, fp)| p.values.get(*fp, u))
                    .collect();
                tera::Value::from(list)
            }
            None => {
                let list: Vec<tera::Value> =
                    self.model.updates.iter().map(|u| self.update(u)).collect();
                tera::Value::from(list)
            }
        }
    }

    /// The incidents for which `keep` holds, in model order.
    fn incidents_where(&self, keep: impl Fn(&IncidentView) -> bool) -> tera::Value {
        let list: Vec<tera::Value> = (0..self.model.incidents.len())
            .filter(|i| keep(&self.model.incidents[*i]))
            .map(|i| self.incident(i))
            .collect();
        tera::Value::from(list)
    }
}

impl Job<'_> {
    /// Everything the page is made from: the templates and settings, its
    /// own values, and the site-wide values `reads` names.
    fn fingerprint(&self, prints: &Prints, reads: &[&str]) -> Fingerprint {
        let mut fp = fingerprint::Fp::new();
        fp.add(&prints.base)
            .add(self.template)
            .add(&self.path)
            .add(&self.url)
            .add(&self.title)
            .add(&self.description)
            .add(self.kind);
        match &self.jsonld {
            Jsonld::None => fp.add("no json-ld"),
            Jsonld::Text(t) => fp.add(t),
            // Made from the FAQ alone (see `meta::faq_jsonld`).
            Jsonld::Faq => fp.add("faq json-ld").add(&prints.global("faq")),
        };
        for (name, var) in &self.vars {
            fp.add(*name).add(&var.fingerprint(prints));
        }
        for name in reads {
            fp.add(*name).add(&prints.global(name));
        }
        fp.finish()
    }
}

/// The value of a site-wide template variable (one of
/// [`GLOBALS`]).
pub fn global_value(
    name: &str,
    config: &Config,
    model: &Model,
    has_code: bool,
    views: &ViewValues,
) -> Option<tera::Value> {
    fn json<T: serde::Serialize + ?Sized>(v: &T) -> Option<tera::Value> {
        Some(tera::Value::from_serializable(v))
    }
    struct ValueOf;
    impl GlobalVisitor for ValueOf {
        type Out = tera::Value;
        fn visit<T: serde::Serialize + std::hash::Hash + ?Sized>(&mut self, v: &T) -> tera::Value {
            tera::Value::from_serializable(v)
        }
    }
    match name {
        "site" => json(config),
        "incidents" => Some(views.incidents_where(|_| true)),
        "updates" => Some(views.updates()),
        "open_incidents" => Some(views.incidents_where(|i| i.is_open)),
        "recent_incidents" => Some(views.incidents_where(|i| i.is_recent)),
        "last_resolved" => json(
            &model
                .incidents
                .iter()
                .filter_map(|i| i.resolved_at.as_ref())
                .max_by_key(|t| t.epoch),
        ),
        other => plain_global(other, model, &has_code, &mut ValueOf),
    }
}

/// Every page of the site, as a job.
pub fn page_jobs<'a>(config: &Config, model: &'a Model) -> Vec<Job<'a>> {
    page_jobs_but(config, model, &|_| true)
}

/// [`page_jobs`], with the pages of only the incidents `wanted` (by index).
fn page_jobs_but<'a>(
    config: &Config,
    model: &'a Model,
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    let words = &*config.words;
    let home_description = model
        .home
        .description
        .clone()
        .unwrap_or_else(|| config.description.clone());
    jobs.push(Job {
        template: "index.html",
        path: "index.html".into(),
        url: config.url(""),
        title: model
            .home
            .title
            .clone()
            .unwrap_or_else(|| config.title.clone()),
        description: home_description,
        kind: "home",
        jsonld: Jsonld::Text(meta::home_jsonld(config)),
        vars: vec![],
        of_incident: None,
    });
    // An incident's pages, made for all incidents in parallel.
    let incident_jobs: Vec<Vec<Job<'a>>> = model
        .incidents
        .par_iter()
        .enumerate()
        .filter(|(index, _)| wanted(*index))
        .map(|(index, inc)| {
            let mut jobs = Vec::with_capacity(inc.updates.len() + 1);
            jobs.push(Job {
                template: "incident.html",
                path: format!("incidents/{}/index.html", inc.slug),
                url: inc.url.clone(),
                title: inc.title.clone(),
                description: inc.summary.clone(),
                kind: "incident",
                jsonld: Jsonld::None,
                vars: vec![("incident", Var::Incident(index))],
                of_incident: Some(index),
            });
            for u in &inc.updates {
                jobs.push(Job {
                    template: "update.html",
                    path: format!("incidents/{}/{}/index.html", inc.slug, u.slug),
                    url: u.url.clone(),
                    title: format!("{}: {}", u.status_label, u.title),
                    description: u.summary.clone(),
                    kind: "update",
                    jsonld: Jsonld::None,
                    vars: vec![
                        ("update", Var::Update(u)),
                        ("incident", Var::Incident(index)),
                    ],
                    of_incident: Some(index),
                });
            }
            for view in &inc.for_audiences {
                let Some(a) = &view.audience else { continue };
                jobs.push(Job {
                    template: "audience.html",
                    path: format!("incidents/{}/for/{}/index.html", inc.slug, a.id),
                    url: a.url.clone(),
                    title: format!("{}: {}", inc.title, a.name),
                    description: words.fill(
                        "page.audience_description",
                        &[("audience", &a.name), ("summary", &inc.summary)],
                    ),
                    kind: "audience",
                    jsonld: Jsonld::None,
                    vars: vec![("incident", Var::Audience(view))],
                    of_incident: Some(index),
                });
            }
            for w in &inc.withdrawn {
                jobs.push(Job {
                    template: "withdrawn.html",
                    path: format!("incidents/{}/{}/index.html", inc.slug, w.slug),
                    url: w.url.clone(),
                    title: words.fill("page.withdrawn_title", &[("title", &w.title)]),
                    description: words.fill("page.withdrawn_description", &[("note", &w.note)]),
                    kind: "withdrawn",
                    jsonld: Jsonld::None,
                    vars: vec![
                        ("withdrawn", Var::Withdrawn(w)),
                        ("incident", Var::Incident(index)),
                    ],
                    of_incident: Some(index),
                });
            }
            jobs
        })
        .collect();
    jobs.extend(incident_jobs.into_iter().flatten());
    if model.lookup {
        jobs.push(Job {
            template: "affected.html",
            path: "affected/index.html".into(),
            url: config.url("affected/"),
            title: words.get("page.affected_title").into(),
            description: words.fill(
                "page.affected_description",
                &[("organisation", &config.organisation.name)],
            ),
            kind: "affected",
            jsonld: Jsonld::None,
            vars: vec![],
            of_incident: None,
        });
    }
    jobs.push(Job {
        template: "faq.html",
        path: "faq/index.html".into(),
        url: config.url("faq/"),
        title: model
            .faq_intro
            .title
            .clone()
            .unwrap_or_else(|| words.get("page.faq_title").into()),
        description: model.faq_intro.description.clone().unwrap_or_else(|| {
            words.fill(
                "page.faq_description",
                &[("organisation", &config.organisation.name)],
            )
        }),
        kind: "faq",
        jsonld: Jsonld::Faq,
        vars: vec![],
        of_incident: None,
    });
    jobs.push(Job {
        template: "guidance_list.html",
        path: "guidance/index.html".into(),
        url: config.url("guidance/"),
        title: model
            .guidance_intro
            .title
            .clone()
            .unwrap_or_else(|| words.get("page.guidance_title").into()),
        description: model
            .guidance_intro
            .description
            .clone()
            .unwrap_or_else(|| words.get("page.guidance_description").into()),
        kind: "guidance_list",
        jsonld: Jsonld::None,
        vars: vec![],
        of_incident: None,
    });
    for g in &model.guidance {
        jobs.push(Job {
            template: "guidance.html",
            path: format!("guidance/{}/index.html", g.slug),
            url: g.url.clone(),
            title: g.title.clone(),
            description: g.summary.clone(),
            kind: "guidance",
            jsonld: Jsonld::None,
            vars: vec![("entry", Var::Guidance(g))],
            of_incident: None,
        });
    }
    for p in &model.pages {
        jobs.push(Job {
            template: "page.html",
            path: format!("{}/index.html", p.slug),
            url: p.url.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            kind: "page",
            jsonld: Jsonld::None,
            vars: vec![("page", Var::Page(p))],
            of_incident: None,
        });
    }
    jobs.push(Job {
        template: "404.html",
        path: "404.html".into(),
        url: config.url("404.html"),
        title: words.get("page.not_found_title").into(),
        description: String::new(),
        kind: "404",
        jsonld: Jsonld::None,
        vars: vec![],
        of_incident: None,
    });

    jobs
}

/// The pages to render, and in the preview the pages reused as they were.
pub struct PagePlan<'a> {
    pub render: Vec<(Job<'a>, Option<Fingerprint>)>,
    pub reused: Vec<(String, Fingerprint, Arc<[u8]>)>,
    /// The site-wide variables the pages to render may read.
    pub reads: Vec<&'static str>,
    /// In the preview: each incident's pages, for the next rebuild.
    pub incidents: HashMap<String, IncidentPages>,
}

/// In the preview: each page as last made, and each incident's pages.
#[derive(Default)]
pub struct PageCache {
    /// Page path → what it was made from, and its bytes.
    pub pages: HashMap<String, (Fingerprint, Arc<[u8]>)>,
    /// Each incident's pages (path and fingerprint), with the fingerprint
    /// of all they are made from ([`incident_key`]): while it stands, its
    /// pages are neither planned nor made again (at 10,000 updates,
    /// planning every page took 10 ms of each rebuild).
    pub incidents: HashMap<String, IncidentPages>,
}

pub type IncidentPages = (Fingerprint, PageList);

/// Pages by path, with their fingerprints.
pub type PageList = Arc<[(String, Fingerprint)]>;

/// The templates of an incident's pages.
const INCIDENT_TEMPLATES: &[&str] = &[
    "incident.html",
    "update.html",
    "audience.html",
    "withdrawn.html",
];

/// What every page of incident `index` is made from: the settings and
/// templates, the interface words, the incident's view (with its updates)
/// and the site-wide values its templates read.
fn incident_key(
    config: &Config,
    prints: &Prints,
    index: usize,
    reads: &HashMap<&str, Vec<&'static str>>,
) -> Fingerprint {
    let mut fp = fingerprint::Fp::new();
    fp.add(&prints.base)
        .add(&config.words.fingerprint)
        .add(&prints.incidents.get(index).copied().unwrap_or_default());
    for t in INCIDENT_TEMPLATES {
        fp.add(*t);
        for name in reads.get(t).map(Vec::as_slice).unwrap_or_default() {
            fp.add(*name).add(&prints.global(name));
        }
    }
    fp.finish()
}

/// Which pages to render: all of them, or with `reuse` (the preview) those
/// whose fingerprint changed since the last rebuild.
pub fn plan_pages<'a>(
    templates: &Templates,
    config: &Config,
    model: &'a Model,
    reuse: Option<(&PageCache, &Prints)>,
) -> PagePlan<'a> {
    let Some((previous, prints)) = reuse else {
        return PagePlan {
            render: page_jobs(config, model)
                .into_iter()
                .map(|j| (j, None))
                .collect(),
            reused: Vec::new(),
            reads: GLOBALS.to_vec(),
            incidents: HashMap::new(),
        };
    };
    let mut reads: HashMap<&str, Vec<&'static str>> = HashMap::new();
    for t in INCIDENT_TEMPLATES {
        reads.insert(t, templates.reads(t, GLOBALS));
    }
    // Incidents whose pages stand as they were: every page kept.
    let keys: Vec<Fingerprint> = (0..model.incidents.len())
        .into_par_iter()
        .map(|i| incident_key(config, prints, i, &reads))
        .collect();
    let standing: Vec<Option<&PageList>> = model
        .incidents
        .iter()
        .zip(&keys)
        .map(|(inc, key)| {
            previous
                .incidents
                .get(&inc.slug)
                .filter(|(k, pages)| {
                    k == key && pages.iter().all(|(p, _)| previous.pages.contains_key(p))
                })
                .map(|(_, pages)| pages)
        })
        .collect();
    let jobs = page_jobs_but(config, model, &|i| standing[i].is_none());
    for job in &jobs {
        reads
            .entry(job.template)
            .or_insert_with(|| templates.reads(job.template, GLOBALS));
    }
    let fps: Vec<Fingerprint> = jobs
        .par_iter()
        .map(|job| job.fingerprint(prints, &reads[job.template]))
        .collect();
    let mut plan = PagePlan {
        render: Vec::new(),
        reused: Vec::new(),
        reads: Vec::new(),
        incidents: HashMap::with_capacity(model.incidents.len()),
    };
    let mut made: Vec<Vec<(String, Fingerprint)>> = vec![Vec::new(); model.incidents.len()];
    for (i, (inc, pages)) in model.incidents.iter().zip(&standing).enumerate() {
        let Some(pages) = pages else { continue };
        for (path, fp) in pages.iter() {
            if let Some((_, bytes)) = previous.pages.get(path) {
                plan.reused.push((path.clone(), *fp, Arc::clone(bytes)));
            }
        }
        plan.incidents
            .insert(inc.slug.clone(), (keys[i], Arc::clone(pages)));
    }
    for (job, fp) in jobs.into_iter().zip(fps) {
        if let Some(list) = job.of_incident.and_then(|i| made.get_mut(i)) {
            list.push((job.path.clone(), fp));
        }
        match previous.pages.get(&job.path) {
            Some((old, bytes)) if *old == fp => {
                plan.reused.push((job.path, fp, Arc::clone(bytes)));
            }
            _ => {
                for g in &reads[job.template] {
                    if !plan.reads.contains(g) {
                        plan.reads.push(g);
                    }
                }
                plan.render.push((job, Some(fp)));
            }
        }
    }
    for (i, (inc, pages)) in model.incidents.iter().zip(made).enumerate() {
        if standing[i].is_none() {
            plan.incidents
                .insert(inc.slug.clone(), (keys[i], Arc::from(pages)));
        }
    }
    plan
}

/// What rendering the pages made.
pub struct PagesDone {
    pub files: Files,
    /// Pages in the site (rendered or reused).
    pub pages: usize,
    /// Pages rendered this time.
    pub rendered: usize,
    pub kept: PageCache,
    pub diags: Vec<Diagnostic>,
}

pub fn render_pages(
    templates: &Templates,
    config: &Config,
    views: &ViewValues,
    plan: PagePlan<'_>,
    emit: Emit<'_>,
    caching: bool,
) -> PagesDone {
    /// A page's path, its fingerprint (in the preview), and the page or its errors.
    type PageResult = (
        String,
        Option<Fingerprint>,
        Result<FileData, Vec<Diagnostic>>,
    );
    let results: Vec<PageResult> = plan
        .render
        .par_iter()
        .map(|(job, fp)| {
            let mut ctx = Context::new();
            ctx.insert("page_kind", job.kind);
            ctx.insert("page_title", &job.title);
            ctx.insert("page_description", &job.description);
            ctx.insert("current_url", &job.url);
            ctx.insert("canonical", &format!("{}{}", config.origin(), job.url));
            ctx.insert("jsonld", &job.jsonld.text(views.model));
            if config.alternates.len() > 1 {
                ctx.insert("alternates", &alternate_links(config, &job.url));
            }
            for (k, v) in &job.vars {
                ctx.insert_value(*k, v.value(views));
            }
            let page = templates.render(job.template, &ctx).and_then(|html| {
                if caching {
                    // The preview: bytes shared with the cache, not copied.
                    return Ok(FileData::Shared(Arc::from(html.into_bytes())));
                }
                emit.keep(false, &job.path, html.into_bytes())
                    .map_err(|e| vec![write_error(&job.path, e)])
            });
            (job.path.clone(), *fp, page)
        })
        .collect();
    let mut done = PagesDone {
        files: Files::new(),
        pages: plan.reused.len(),
        rendered: results.len(),
        kept: PageCache {
            pages: HashMap::with_capacity(plan.reused.len() + results.len()),
            incidents: plan.incidents,
        },
        diags: Vec::new(),
    };
    for (path, fp, bytes) in plan.reused {
        done.files
            .insert(path.clone(), FileData::Shared(Arc::clone(&bytes)));
        done.kept.pages.insert(path, (fp, bytes));
    }
    for (path, fp, result) in results {
        match result {
            Ok(data) => {
                done.pages += 1;
                if let (Some(fp), FileData::Shared(bytes)) = (fp, &data) {
                    done.kept
                        .pages
                        .insert(path.clone(), (fp, Arc::clone(bytes)));
                }
                done.files.insert(path, data);
            }
            Err(d) => {
                for e in d {
                    // The same template error repeats for every page using it.
                    if !done.diags.contains(&e) {
                        done.diags.push(e);
                    }
                }
            }
        }
    }
    done
}

/// The switch's entry for a page at `url` (under `config`'s language).
#[derive(Debug, serde::Serialize)]
pub struct AlternateLink<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    pub this_page_in: &'a str,
    pub url: String,
    pub permalink: String,
    pub current: bool,
}

/// The same page in every language of the site (none for a site in one).
pub fn alternate_links<'a>(config: &'a Config, url: &str) -> Vec<AlternateLink<'a>> {
    if config.alternates.len() < 2 {
        return Vec::new();
    }
    let rel = url.strip_prefix(config.base_path.as_str()).unwrap_or(url);
    config
        .alternates
        .iter()
        .map(|a| {
            let url = format!("{}{}{rel}", config.root_path, a.prefix);
            AlternateLink {
                lang: &a.lang,
                name: &a.name,
                this_page_in: &a.this_page_in,
                permalink: format!("{}{url}", config.origin()),
                url,
                current: a.lang == config.language,
            }
        })
        .collect()
}
