//! `candor serve`: the live preview.
//!
//! The site is compiled into memory (the same pipeline as `build`, with
//! drafts and scheduled updates shown and marked) and served from there, so
//! the server can only ever answer with a file of the build: a request path
//! is looked up in a map, never joined to a folder. A watcher rebuilds on
//! each burst of changes and swaps the served set in one step; open pages
//! hear about it on a Server-Sent Events stream and reload, or swap their
//! stylesheet when only CSS changed. A failed build keeps the last good site
//! and shows an overlay listing every error until the next good build.
//!
//! The reload script is a file under the reserved path `/_candor/` added to
//! HTML in the preview only; `build` output never has it.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{Either, Full};
use hyper::body::{Frame, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use jiff::Timestamp;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{Notify, Semaphore};

use crate::base::diagnostics::{Diagnostic, Style};
use crate::base::output::FileData;
use crate::preview::watch::{self, Change, Debouncer};
use crate::site::{self, BuildOptions};
use crate::site::{Cache, Stats};

/// Where the preview's own files live; no site page can be there.
pub const RESERVED: &str = "_candor";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Show drafts and scheduled updates (marked). On unless `--no-drafts`.
    pub drafts: bool,
    /// A fixed "now" (tests); otherwise the clock at each rebuild.
    pub now: Option<Timestamp>,
    pub limits: Limits,
}

/// What one client may take of the preview. Past these, a client is
/// answered with an error or closed, and the rest are served as before.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; more wait to be accepted (in the
    /// system's queue, costing nothing here). Each open page holds one for
    /// its event stream.
    pub connections: usize,
    /// The most a request line and its headers may take: a longer head is
    /// answered 431 and the connection closed. At least 8 KiB.
    pub head_bytes: usize,
    /// How long a client may take to send a request's head.
    pub head_time: Duration,
    /// How long a connection may stay open, unless it holds an event stream.
    pub connection_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 512,
            head_bytes: 16 * 1024,
            head_time: Duration::from_secs(10),
            connection_time: Duration::from_secs(30),
        }
    }
}

/// One build as served.
pub struct Snapshot {
    pub files: HashMap<String, Served>,
    /// The errors of the last build, if it failed (the files are then the
    /// last good ones).
    pub errors: Vec<Diagnostic>,
    pub generation: u64,
}

/// A file as the preview holds it.
#[derive(Clone)]
pub enum Served {
    Whole(Arc<[u8]>),
    /// In pieces, in order (the site feed): joined only when asked for.
    Parts(Arc<[Arc<[u8]>]>),
}

impl Served {
    pub fn bytes(&self) -> Arc<[u8]> {
        match self {
            Served::Whole(b) => Arc::clone(b),
            Served::Parts(parts) => Arc::from(parts.concat()),
        }
    }
}

/// The preview's shared state.
pub struct Preview {
    opts: ServeOptions,
    addr: SocketAddr,
    snapshot: RwLock<Arc<Snapshot>>,
    clients: Mutex<Vec<tokio::sync::mpsc::Sender<Bytes>>>,
    /// When the last rebuild finished, and how long it took.
    pub last_build: Mutex<Option<(Instant, Duration)>>,
    /// How much the last rebuild had to render again.
    pub last_stats: Mutex<Stats>,
    /// The last successful rebuild's stages, and the swap of the served set.
    pub last_timings: Mutex<Vec<(&'static str, Duration)>>,
    /// Kept between rebuilds; held while one runs, so rebuilds never overlap.
    rebuilder: Mutex<Rebuilder>,
}

/// A page as built, and as served (with the reload script).
type Injected = (Arc<[u8]>, Arc<[u8]>);

/// What a rebuild reuses from the last one.
#[derive(Default)]
struct Rebuilder {
    cache: Cache,
    /// HTML path → (the page as built, the page as served, with the reload
    /// script): a page that was not rendered again is not copied again.
    served: HashMap<String, Injected>,
}

const RELOAD_TAG: &str = "<script src=\"/_candor/reload.js\" defer></script>";

const RELOAD_JS: &str = r#"// candor serve: reloads the page when the site is rebuilt, and shows
// build errors over it. Added by the preview only, never by `candor build`.
(function () {
  "use strict";
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(errors) {
    hide();
    if (!errors.length) return;
    overlay = document.createElement("div");
    overlay.className = "candor-overlay";
    overlay.setAttribute("role", "alert");
    var h = document.createElement("h2");
    h.textContent = "The site has " + errors.length + (errors.length === 1 ? " error" : " errors") + ". You are seeing the last good build.";
    overlay.appendChild(h);
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.textContent = e.text;
      overlay.appendChild(pre);
    });
    document.body.appendChild(overlay);
  }
  function check() {
    fetch("/_candor/errors.json", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (s) { show(s.errors); }).catch(function () {});
  }
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "/_candor/overlay.css";
  document.head.appendChild(css);
  check();
  var events = new EventSource("/_candor/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("failed", check);
  events.addEventListener("css", function () {
    hide();
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (l) {
      if (l.href.indexOf("/_candor/") !== -1) return;
      l.href = l.href.split("?")[0] + "?v=" + Date.now();
    });
  });
})();
"#;

const OVERLAY_CSS: &str = ".candor-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; \
background: rgba(20, 20, 20, 0.96); color: #fff; padding: 1.5rem; font: 15px/1.5 system-ui, sans-serif; }\n\
.candor-overlay h2 { color: #ff8a80; margin: 0 0 1rem; font-size: 1.2rem; }\n\
.candor-overlay pre { white-space: pre-wrap; background: #000; color: #fff; padding: 0.75rem; border-left: 4px solid #ff8a80; \
font: 13px/1.45 ui-monospace, monospace; }\n";

impl Preview {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|e| Arc::clone(&e.into_inner()))
    }

    fn build_options(&self) -> BuildOptions {
        BuildOptions {
            site: self.opts.site.clone(),
            output: None,
            drafts: self.opts.drafts,
            now: self.opts.now.unwrap_or_else(this_minute),
            base_url: Some(self.origin()),
            notices: None,
            paper: None,
            lenient: false,
            locked: false,
            all_notices: false,
        }
    }

    /// Rebuild into memory, reusing what did not change, and swap the
    /// served set in one step. Returns the errors, if any.
    pub fn rebuild(&self) -> Vec<Diagnostic> {
        self.rebuild_changed(None)
    }

    /// [`Preview::rebuild`], told which paths (from the site's folder)
    /// changed since the last rebuild, so that no other file is looked at.
    pub fn rebuild_changed(&self, changed: Option<Vec<PathBuf>>) -> Vec<Diagnostic> {
        let mut rebuilder = self.rebuilder.lock().unwrap_or_else(|e| e.into_inner());
        let rebuilder = &mut *rebuilder;
        rebuilder.cache.changed(changed);
        let start = Instant::now();
        let previous = self.snapshot();
        let result = site::compile_incremental(&self.build_options(), &mut rebuilder.cache);
        let mut garbage = std::mem::take(&mut rebuilder.cache.garbage);
        let next = match result {
            Ok(compiled) => {
                let swap = Instant::now();
                let site::Compiled {
                    files: compiled_files,
                    notices: compiled_notices,
                    model,
                    content,
                    templates,
                    mut timings,
                    ..
                } = compiled;
                garbage.push(Box::new((model, content, templates)));
                let mut files =
                    HashMap::with_capacity(compiled_files.len() + compiled_notices.len());
                let mut served = HashMap::new();
                let mut errors = Vec::new();
                // Channel renders are previewed under the reserved path.
                let notices = compiled_notices
                    .into_iter()
                    .map(|(k, v)| (format!("{RESERVED}/notices/{k}"), v));
                for (path, data) in compiled_files.into_iter().chain(notices) {
                    let bytes: Arc<[u8]> = match data {
                        FileData::Parts(parts) => {
                            files.insert(path, Served::Parts(parts));
                            continue;
                        }
                        FileData::Shared(b) => b,
                        FileData::Bytes(b) => Arc::from(b),
                        // Only a build streams to disk; the preview compiles into memory.
                        FileData::Written => continue,
                        FileData::Copy(src) => match std::fs::read(&src) {
                            Ok(b) => Arc::from(b),
                            Err(e) => {
                                errors.push(Diagnostic::error(
                                    path.clone(),
                                    format!("cannot read {}: {e}", src.display()),
                                ));
                                continue;
                            }
                        },
                    };
                    let bytes = if path.ends_with(".html") {
                        let page = match rebuilder.served.get(&path) {
                            Some((built, page)) if Arc::ptr_eq(built, &bytes) => Arc::clone(page),
                            _ => Arc::from(inject(bytes.to_vec())),
                        };
                        served.insert(path.clone(), (bytes, Arc::clone(&page)));
                        page
                    } else {
                        bytes
                    };
                    files.insert(path, Served::Whole(bytes));
                }
                garbage.push(Box::new(std::mem::replace(&mut rebuilder.served, served)));
                timings.push(("serve", swap.elapsed()));
                if let Ok(mut l) = self.last_timings.lock() {
                    *l = timings;
                }
                if errors.is_empty() {
                    Snapshot {
                        files,
                        errors,
                        generation: previous.generation + 1,
                    }
                } else {
                    Snapshot {
                        files: previous.files.clone(),
                        errors,
                        generation: previous.generation + 1,
                    }
                }
            }
            Err(failure) => Snapshot {
                files: previous.files.clone(),
                errors: failure
                    .diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect(),
                generation: previous.generation + 1,
            },
        };
        let errors = next.errors.clone();
        let replaced = match self.snapshot.write() {
            Ok(mut s) => std::mem::replace(&mut *s, Arc::new(next)),
            Err(e) => std::mem::replace(&mut *e.into_inner(), Arc::new(next)),
        };
        garbage.push(Box::new((replaced, previous)));
        if let Ok(mut l) = self.last_build.lock() {
            *l = Some((Instant::now(), start.elapsed()));
        }
        if let Ok(mut l) = self.last_stats.lock() {
            *l = rebuilder.cache.stats;
        }
        // What this rebuild replaced is freed on a thread of its own, off
        // the path from a save to the reload.
        let _ = std::thread::Builder::new()
            .name("candor-free".into())
            .spawn(move || drop(garbage));
        errors
    }

    /// Tell every open page what happened. A page whose stream is full
    /// (it is not reading) misses this one; a closed one is forgotten.
    fn broadcast(&self, event: &str) {
        let generation = self.snapshot().generation;
        let message = Bytes::from(format!("event: {event}\ndata: {generation}\n\n"));
        if let Ok(mut clients) = self.clients.lock() {
            clients
                .retain(|c| !matches!(c.try_send(message.clone()), Err(TrySendError::Closed(_))));
        }
    }

    fn subscribe(&self) -> tokio::sync::mpsc::Receiver<Bytes> {
        let (tx, rx) = tokio::sync::mpsc::channel(8);
        let _ = tx.try_send(Bytes::from_static(b"retry: 500\n\n"));
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        rx
    }
}

/// How long after a save the preview keeps making its pages again as each
/// minute turns (see the rebuild thread in [`start`]).
const ACTIVE: Duration = Duration::from_secs(10 * 60);

/// Just after the start of the next minute, by the wall clock.
fn next_minute() -> Instant {
    let into = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() % 60_000);
    // A little after the turn, so that `this_minute` is the new minute.
    Instant::now() + Duration::from_millis((60_000 - into as u64) + 50)
}

/// The preview's "now": the start of the current minute. Pages show the
/// time they were made to the second, so a clock that moved every second
/// would make every page new at every save; times in content are written
/// to the minute.
fn this_minute() -> Timestamp {
    let now = Timestamp::now();
    let second = now.as_second();
    Timestamp::from_second(second - second.rem_euclid(60)).unwrap_or(now)
}

/// Each rebuild frees about what the next one allocates. By default the
/// allocator gives freed memory back to the system after a second, so an
/// author who saves every few seconds paid for every page of it again at
/// each save (the kernel zeroes each one): at 10,000 updates the rebuild
/// took 294 ms with memory given back and 244 ms without. The preview keeps
/// it: its size stays that of its largest rebuild, which its caches hold
/// most of anyway.
fn keep_memory() {
    // mimalloc 3's `mi_option_purge_delay` (mimalloc.h); the Rust bindings
    // name only the options before it. -1: never give memory back.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: plain integers in, no pointers; the version check keeps the
    // number from meaning another option in another major version.
    unsafe {
        if libmimalloc_sys::mi_version() / 10_000 == 3 {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
}

/// Add the reload script to an HTML page, before `</body>`.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let needle = b"</body>";
    match html.windows(needle.len()).rposition(|w| w == needle) {
        Some(i) => {
            html.splice(i..i, RELOAD_TAG.bytes());
        }
        None => html.extend_from_slice(RELOAD_TAG.as_bytes()),
    }
    html
}

/// A request path as a key of the served set, or why it is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(String),
    Refused,
}

/// Decode and check a request path. Anything that could name a place
/// outside the build (`..`, `.`, backslashes, NUL, encoded slashes, a drive
/// letter) is refused outright; the rest is only ever a key of the map.
pub fn resolve(url: &str) -> Resolved {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Resolved::Refused;
    }
    // Decode each segment separately, so `%2F` cannot make a new one.
    let mut segments = Vec::new();
    let raw: Vec<&str> = path[1..].split('/').collect();
    for (i, seg) in raw.iter().enumerate() {
        let Some(decoded) = percent_decode(seg) else {
            return Resolved::Refused;
        };
        if decoded == ".."
            || decoded == "."
            || decoded.contains(['/', '\\', '\0'])
            || decoded.contains(':') && i == 0
        {
            return Resolved::Refused;
        }
        if decoded.is_empty() && i + 1 != raw.len() {
            // `//` inside a path.
            return Resolved::Refused;
        }
        segments.push(decoded);
    }
    let mut key = segments.join("/");
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    Resolved::File(key)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonl" => "text/plain; charset=utf-8",
        "xml" if path.ends_with("feed.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "eml" => "message/rfc822",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ if path.ends_with("_headers") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// What the preview answers with: a file, or an event stream.
type Body = Either<Full<Bytes>, EventStream>;

fn respond(status: u16, kind: &str, body: Arc<[u8]>) -> Response<Body> {
    let mut response = Response::new(Either::Left(Full::new(Bytes::from_owner(body))));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    if let Ok(kind) = HeaderValue::from_str(kind) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn plain(status: u16, text: &'static str) -> Response<Body> {
    respond(status, content_type(".txt"), Arc::from(text.as_bytes()))
}

impl Preview {
    /// The address pages link to: the bound one, or `localhost` for an
    /// unspecified bind (0.0.0.0 is not an address a browser can open).
    fn origin(&self) -> String {
        if self.addr.ip().is_unspecified() {
            format!("http://localhost:{}/", self.addr.port())
        } else {
            format!("http://{}/", self.addr)
        }
    }
}

/// Is a preview bound to `addr` reachable from other machines?
fn beyond_loopback(addr: SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

/// Does a `Host` header name a server bound to `addr`? Only loopback
/// names and addresses, and the address it is bound to, on its own port:
/// a page elsewhere that points its own name at this machine (DNS
/// rebinding) is refused.
fn host_allowed(addr: SocketAddr, host: &str) -> bool {
    let (name, port) = split_host(host);
    if port.is_some_and(|p| p != addr.port()) {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
    {
        Ok(ip) => ip.is_loopback() || ip == addr.ip() || addr.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// `example.org:8080` → (`example.org`, 8080); `[::1]:80` → (`[::1]`, 80).
fn split_host(host: &str) -> (&str, Option<u16>) {
    let host = host.trim();
    if let Some(end) = host.find(']') {
        let port = host[end + 1..]
            .strip_prefix(':')
            .and_then(|p| p.parse().ok());
        return (&host[..=end], port);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => (name, port.parse().ok().or(Some(0))),
        _ => (host, None),
    }
}

fn request_header<B>(request: &Request<B>, name: header::HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Requests refused before anything is looked up: only this server's own
/// names are answered (drafts, unsent notices and errors are for the
/// author, not for a page elsewhere that rebinds its name here), and
/// nothing under /_candor/ is read across sites.
fn refused<B>(addr: SocketAddr, request: &Request<B>) -> Option<(u16, &'static str)> {
    // A request in absolute form (`GET http://name/ HTTP/1.1`) names its
    // host in the target; any other names it in `Host`.
    let host = request
        .uri()
        .authority()
        .map(|a| a.as_str())
        .or_else(|| request_header(request, header::HOST));
    if host.is_some_and(|h| !host_allowed(addr, h)) {
        return Some((421, "This preview answers only to its own address"));
    }
    let cross_site = request
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v == "cross-site" || v == "same-site")
        || request_header(request, header::ORIGIN).is_some_and(|o| {
            o != "null" && !host_allowed(addr, o.split_once("://").map_or(o, |(_, rest)| rest))
        });
    (cross_site && request.uri().path().starts_with("/_candor"))
        .then_some((403, "Not for other sites"))
}

/// The answer to one request. `streaming` is set when it opens the event
/// stream, the one answer that may outlive [`Limits::connection_time`].
fn answer(
    preview: &Preview,
    request: &Request<Incoming>,
    streaming: &AtomicBool,
) -> Response<Body> {
    if let Some((status, why)) = refused(preview.addr, request) {
        return plain(status, why);
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = plain(405, "Method not allowed");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    let is_notice = path.starts_with("/_candor/notices/");
    if is_notice && beyond_loopback(preview.addr) {
        // Unsent letters and emails stay on this machine.
        return plain(
            404,
            "Notices are shown only by a preview on 127.0.0.1 (the default --bind)",
        );
    }
    match path {
        "/_candor/events" => {
            streaming.store(true, Ordering::Relaxed);
            return events(preview);
        }
        "/_candor/reload.js" => {
            return respond(200, content_type(".js"), Arc::from(RELOAD_JS.as_bytes()));
        }
        "/_candor/overlay.css" => {
            return respond(200, content_type(".css"), Arc::from(OVERLAY_CSS.as_bytes()));
        }
        "/_candor/errors.json" => return respond(200, content_type(".json"), errors_json(preview)),
        "/_candor" | "/_candor/" => {
            let body = index_page(preview);
            return respond(200, content_type(".html"), Arc::from(body.into_bytes()));
        }
        _ if path.starts_with("/_candor/") && !is_notice => return plain(404, "Not found"),
        _ => {}
    }
    let snap = preview.snapshot();
    let not_found = || {
        let body = snap
            .files
            .get("404.html")
            .map(Served::bytes)
            .unwrap_or_else(|| Arc::from(&b"Not found"[..]));
        respond(404, content_type(".html"), body)
    };
    match resolve(path) {
        Resolved::Refused => not_found(),
        Resolved::File(key) => {
            if let Some(body) = snap.files.get(&key) {
                respond(200, content_type(&key), body.bytes())
            } else if snap.files.contains_key(&format!("{key}/index.html")) {
                let mut response = respond(301, content_type(".txt"), Arc::from(&b""[..]));
                if let Ok(location) = HeaderValue::from_str(&format!("{path}/")) {
                    response.headers_mut().insert(header::LOCATION, location);
                }
                response
            } else {
                not_found()
            }
        }
    }
}

/// `/_candor/errors.json`: the last build's errors, for the overlay.
fn errors_json(preview: &Preview) -> Arc<[u8]> {
    let snap = preview.snapshot();
    let errors: Vec<serde_json::Value> = snap
        .errors
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file, "line": d.line, "column": d.col,
                "message": d.message, "hint": d.hint,
                "text": d.render(Style::default()),
            })
        })
        .collect();
    let body = serde_json::json!({ "generation": snap.generation, "errors": errors }).to_string();
    Arc::from(body.into_bytes())
}

/// `/_candor/`: what the preview serves besides the site.
fn index_page(preview: &Preview) -> String {
    let snap = preview.snapshot();
    let mut body = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>candor preview</title>\
         <link rel=\"stylesheet\" href=\"/style.css\"></head><body><main class=\"wrap\"><h1>candor preview</h1>",
    );
    body.push_str(&format!("<p>Build {}. ", snap.generation));
    if snap.errors.is_empty() {
        body.push_str("No errors.</p>");
    } else {
        body.push_str(&format!("{} errors:</p>", snap.errors.len()));
        for d in &snap.errors {
            body.push_str("<pre>");
            body.push_str(&crate::base::text::escape_attr(&d.render(Style::default())));
            body.push_str("</pre>");
        }
    }
    let mut others: Vec<&String> = snap
        .files
        .keys()
        .filter(|k| k.starts_with("_candor/notices/"))
        .collect();
    others.sort();
    if !others.is_empty() {
        body.push_str("<h2>Channel previews</h2><ul>");
        for k in others {
            let k = crate::base::text::escape_attr(k);
            body.push_str(&format!("<li><a href=\"/{k}\">{k}</a></li>"));
        }
        body.push_str("</ul>");
    }
    body.push_str("<p><a href=\"/\">The site</a></p></main></body></html>");
    body
}

/// The event stream: one per open page. Rebuilds are pushed into its
/// channel; a comment every 15 seconds keeps it open and notices pages that
/// were closed (the write fails and the connection ends).
fn events(preview: &Preview) -> Response<Body> {
    let rx = preview.subscribe();
    let start = tokio::time::Instant::now() + PING;
    let stream = EventStream {
        rx,
        ping: tokio::time::interval_at(start, PING),
    };
    let mut response = Response::new(Either::Right(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// How often an idle event stream says it is still there.
const PING: Duration = Duration::from_secs(15);

/// The body of an event stream: what the rebuild thread sends, and pings.
pub struct EventStream {
    rx: tokio::sync::mpsc::Receiver<Bytes>,
    ping: tokio::time::Interval,
}

impl hyper::body::Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if let Poll::Ready(message) = this.rx.poll_recv(cx) {
            return Poll::Ready(message.map(|m| Ok(Frame::data(m))));
        }
        if this.ping.poll_tick(cx).is_ready() {
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b": ping\n\n")))));
        }
        Poll::Pending
    }
}

/// A running preview: its address and shared state.
pub struct Handle {
    pub preview: Arc<Preview>,
    stop: Arc<Notify>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Handle {
    pub fn url(&self) -> String {
        format!("http://{}/", self.preview.addr)
    }

    /// Stop serving: the listener and every open connection are closed.
    pub fn stop(&self) {
        self.stop.notify_one();
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Accept connections while there is a free slot, each served on this
/// thread's runtime.
async fn accept(listener: std::net::TcpListener, preview: Arc<Preview>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let slots = Arc::new(Semaphore::new(preview.opts.limits.connections.max(1)));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file handles, or a connection reset before it
                // was accepted: wait a moment rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let preview = Arc::clone(&preview);
        tokio::spawn(async move {
            connection(stream, preview).await;
            drop(slot);
        });
    }
}

/// Serve one connection, within the limits above.
async fn connection(stream: tokio::net::TcpStream, preview: Arc<Preview>) {
    let limits = preview.opts.limits;
    let streaming = Arc::new(AtomicBool::new(false));
    let service = {
        let streaming = Arc::clone(&streaming);
        service_fn(move |request| {
            let response = answer(&preview, &request, &streaming);
            async move { Ok::<_, Infallible>(response) }
        })
    };
    let mut http = http1::Builder::new();
    http.max_buf_size(limits.head_bytes.max(8192))
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head_time);
    let conn = http.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    let in_time = tokio::time::timeout(limits.connection_time, conn.as_mut()).await;
    if in_time.is_err() && streaming.load(Ordering::Relaxed) {
        let _ = conn.await;
    }
}

/// Start the preview: first build, server thread, watcher and rebuild thread.
pub fn start(opts: ServeOptions) -> Result<Handle, Diagnostic> {
    crate::base::no_huge_pages();
    keep_memory();
    let cannot = |e: std::io::Error| {
        Diagnostic::error(
            "",
            format!("cannot listen on {}:{}: {e}", opts.bind, opts.port),
        )
        .with_hint("pick another port with --port, or --port 0 for any free one")
    };
    let listener =
        std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).map_err(cannot)?;
    listener.set_nonblocking(true).map_err(cannot)?;
    let addr = listener.local_addr().map_err(cannot)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Diagnostic::error("", format!("cannot start the server: {e}")))?;
    let preview = Arc::new(Preview {
        opts: opts.clone(),
        addr,
        snapshot: RwLock::new(Arc::new(Snapshot {
            files: HashMap::new(),
            errors: Vec::new(),
            generation: 0,
        })),
        clients: Mutex::new(Vec::new()),
        last_build: Mutex::new(None),
        last_stats: Mutex::new(Stats::default()),
        last_timings: Mutex::new(Vec::new()),
        rebuilder: Mutex::new(Rebuilder::default()),
    });
    preview.rebuild();

    // Requests: one thread, many connections; a held event stream or an
    // idle connection never blocks another. When told to stop, the runtime
    // is dropped, which closes every connection.
    let stop = Arc::new(Notify::new());
    {
        let preview = Arc::clone(&preview);
        let stop = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("candor-http".into())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::spawn(accept(listener, preview));
                    stop.notified().await;
                });
            })
            .map_err(|e| Diagnostic::error("", format!("cannot start the server thread: {e}")))?;
    }

    // Watching: events are classified as they arrive, then debounced.
    let (tx, rx) = mpsc::channel::<watch::Seen>();
    let root = absolute_site(&opts.site);
    let output = root.join("public");
    let watch_root = root.clone();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            use notify::EventKind;
            use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
            // Written and closed, or renamed into place: the save is done.
            let settled = matches!(
                event.kind,
                EventKind::Access(AccessKind::Close(AccessMode::Write))
                    | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            );
            if matches!(event.kind, EventKind::Access(_)) && !settled {
                return;
            }
            let rescan = event.need_rescan();
            if rescan && event.paths.is_empty() {
                let _ = tx.send(watch::Seen {
                    change: Some(Change::Config),
                    path: PathBuf::new(),
                    rescan,
                    settled: false,
                });
            }
            for p in &event.paths {
                // A path outside the site (it should not happen): look at everything.
                let (path, rescan) = match p.strip_prefix(&watch_root) {
                    Ok(rel) => (rel.to_path_buf(), rescan),
                    Err(_) => (p.clone(), true),
                };
                let _ = tx.send(watch::Seen {
                    change: watch::classify(&watch_root, p, Some(&output)),
                    path,
                    rescan,
                    settled,
                });
            }
        }
    });
    let watcher = match watcher {
        Ok(mut w) => {
            use notify::Watcher;
            match w.watch(&root, notify::RecursiveMode::Recursive) {
                Ok(()) => Some(w),
                Err(e) => {
                    eprintln!(
                        "warning: cannot watch {}: {e}; the preview will not update by itself",
                        root.display()
                    );
                    None
                }
            }
        }
        Err(e) => {
            eprintln!(
                "warning: cannot watch for changes: {e}; the preview will not update by itself"
            );
            None
        }
    };
    {
        let preview = Arc::clone(&preview);
        std::thread::Builder::new()
            .name("candor-rebuild".into())
            .spawn(move || {
                let debouncer = Debouncer::default();
                // Pages say when they were made, to the minute, so when the
                // minute turns every page is made again. While an author
                // is at work, that is done when the minute turns, not at
                // their next save (at 1,000 updates: ~0.2 s, every page).
                let ticking = preview.opts.now.is_none();
                let mut last_save: Option<Instant> = None;
                loop {
                    let active = last_save.is_some_and(|t| t.elapsed() < ACTIVE);
                    let until = (ticking && active).then(next_minute);
                    let burst = match debouncer.next_until(&rx, until) {
                        watch::Next::Burst(b) => b,
                        watch::Next::Closed => break,
                        watch::Next::Due => {
                            let errors = preview.rebuild_changed(Some(Vec::new()));
                            // Nothing the author did changed: open pages
                            // are told only if the site now fails (a
                            // scheduled update come due with a problem).
                            if !errors.is_empty() {
                                preview.broadcast("failed");
                                report(&preview, &errors, Change::Content);
                            }
                            continue;
                        }
                    };
                    last_save = Some(Instant::now());
                    let change = burst.change;
                    let errors = preview.rebuild_changed(burst.paths);
                    let event = if !errors.is_empty() {
                        "failed"
                    } else if change == Change::Style {
                        "css"
                    } else {
                        "reload"
                    };
                    preview.broadcast(event);
                    report(&preview, &errors, change);
                }
            })
            .map_err(|e| Diagnostic::error("", format!("cannot start the rebuild thread: {e}")))?;
    }
    Ok(Handle {
        preview,
        stop,
        _watcher: watcher,
    })
}

fn report(preview: &Preview, errors: &[Diagnostic], change: Change) {
    let style = Style::for_stderr();
    if errors.is_empty() {
        let took = preview
            .last_build
            .lock()
            .ok()
            .and_then(|l| *l)
            .map(|(_, d)| d.as_millis())
            .unwrap_or_default();
        let stats = preview.last_stats.lock().map(|s| *s).unwrap_or_default();
        let what = format!("{change:?}").to_lowercase();
        eprintln!("rebuilt in {took} ms ({what} changed): {stats}");
    } else {
        for d in errors {
            eprintln!("{}\n", d.render(style));
        }
        eprintln!(
            "build failed with {} errors; still serving the last good build",
            errors.len()
        );
    }
}

fn absolute_site(site: &Path) -> PathBuf {
    site.canonicalize()
        .unwrap_or_else(|_| crate::base::output::absolute(site))
}

/// Run until interrupted. Returns the exit code.
pub fn run(opts: ServeOptions, open: bool) -> i32 {
    let style = Style::for_stderr();
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read your drafts (emails and letters are not served)\n  = hint: the preview is not a server for readers: publish with `candor build`. Leave out --bind to serve on 127.0.0.1 only",
            opts.bind
        );
    }
    let handle = match start(opts) {
        Ok(h) => h,
        Err(d) => {
            eprintln!("{}", d.render(style));
            return 2;
        }
    };
    let first = handle.preview.snapshot();
    if !first.errors.is_empty() {
        for d in &first.errors {
            eprintln!("{}\n", d.render(style));
        }
        eprintln!("The site has errors; fix them and the preview will update.");
    }
    let url = handle.url();
    eprintln!("Serving the preview at {url} (press Ctrl-C to stop)");
    if open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        let _ = std::process::Command::new(opener).arg(&url).spawn();
    }
    // Serve until the process is interrupted; Ctrl-C ends it, and there is
    // nothing on disk to clean up.
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_escape_are_refused() {
        for url in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/faq/..%2f..%2fetc/passwd",
            "/faq/%2f%2fetc",
            "/..\\..\\etc\\passwd",
            "/%5c..%5cetc",
            "/a/./b",
            "/a//b",
            "/C:/Windows/win.ini",
            "/%00",
            "/%zz",
            "etc/passwd",
        ] {
            assert_eq!(resolve(url), Resolved::Refused, "{url}");
        }
    }

    #[test]
    fn clean_urls_resolve_to_files() {
        assert_eq!(resolve("/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/faq/?q=1#x"),
            Resolved::File("faq/index.html".into())
        );
        assert_eq!(resolve("/style.css"), Resolved::File("style.css".into()));
        assert_eq!(resolve("/a%20b/"), Resolved::File("a b/index.html".into()));
        assert_eq!(
            resolve("/.well-known/security.txt"),
            Resolved::File(".well-known/security.txt".into())
        );
    }

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_loopback_bind_is_private() {
        assert!(!beyond_loopback(addr("127.0.0.1:4000")));
        assert!(!beyond_loopback(addr("[::1]:4000")));
        assert!(beyond_loopback(addr("0.0.0.0:4000")));
        assert!(beyond_loopback(addr("192.168.1.5:4000")));
    }

    #[test]
    fn host_names_are_split_from_their_ports() {
        assert_eq!(split_host("localhost:8080"), ("localhost", Some(8080)));
        assert_eq!(split_host(" localhost "), ("localhost", None));
        assert_eq!(split_host("[::1]:80"), ("[::1]", Some(80)));
        assert_eq!(split_host("[::1]"), ("[::1]", None));
        // A port that is not a number names no port of ours.
        assert_eq!(split_host("localhost:x"), ("localhost", Some(0)));
        // A bare IPv6 address has colons but no port.
        assert_eq!(split_host("::1"), ("::1", None));
    }

    #[test]
    fn only_this_servers_names_are_allowed() {
        let local = addr("127.0.0.1:4000");
        for ok in [
            "localhost",
            "LOCALHOST:4000",
            "127.0.0.1:4000",
            "127.0.0.2",
            "[::1]:4000",
            "[::1]",
        ] {
            assert!(host_allowed(local, ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:4000",
            "localhost:4001",
            "10.0.0.1",
            "127.0.0.1:80",
            "[::1]:1",
            "",
        ] {
            assert!(!host_allowed(local, bad), "{bad}");
        }
        // Bound to one LAN address: that address too, and loopback; not others.
        let lan = addr("192.168.1.5:4000");
        assert!(host_allowed(lan, "192.168.1.5:4000"));
        assert!(host_allowed(lan, "localhost:4000"));
        assert!(!host_allowed(lan, "192.168.1.6:4000"));
        // Bound to every address: any address, on its port; never a name.
        let any = addr("0.0.0.0:4000");
        assert!(host_allowed(any, "192.168.1.6:4000"));
        assert!(!host_allowed(any, "192.168.1.6:4001"));
        assert!(!host_allowed(any, "evil.example:4000"));
    }

    fn request(uri: &str, headers: &[(&str, &str)]) -> Request<()> {
        let mut r = Request::builder().uri(uri);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.body(()).unwrap()
    }

    #[test]
    fn other_hosts_and_other_sites_are_refused() {
        let at = addr("127.0.0.1:4000");
        let status =
            |uri: &str, headers: &[(&str, &str)]| refused(at, &request(uri, headers)).map(|r| r.0);
        assert_eq!(status("/", &[("host", "localhost:4000")]), None);
        assert_eq!(status("/", &[]), None, "HTTP/1.0 without Host");
        assert_eq!(status("/", &[("host", "evil.example")]), Some(421));
        assert_eq!(
            status("http://evil.example/", &[("host", "localhost")]),
            Some(421)
        );
        assert_eq!(
            status("http://localhost:4000/", &[("host", "evil.example")]),
            None
        );
        let candor = "/_candor/errors.json";
        assert_eq!(
            status(
                candor,
                &[("host", "localhost"), ("origin", "http://evil.example")]
            ),
            Some(403)
        );
        assert_eq!(
            status(
                candor,
                &[("host", "localhost"), ("origin", "http://localhost:4000")]
            ),
            None
        );
        assert_eq!(
            status(candor, &[("host", "localhost"), ("origin", "null")]),
            None
        );
        assert_eq!(
            status(candor, &[("host", "localhost"), ("origin", "evil.example")]),
            Some(403)
        );
        assert_eq!(
            status(
                candor,
                &[("host", "localhost"), ("sec-fetch-site", "cross-site")]
            ),
            Some(403)
        );
        assert_eq!(
            status(
                candor,
                &[("host", "localhost"), ("sec-fetch-site", "same-site")]
            ),
            Some(403)
        );
        assert_eq!(
            status(
                candor,
                &[("host", "localhost"), ("sec-fetch-site", "same-origin")]
            ),
            None
        );
        assert_eq!(
            status(candor, &[("host", "localhost"), ("sec-fetch-site", "none")]),
            None
        );
        // The site itself may be linked from anywhere.
        assert_eq!(
            status(
                "/",
                &[("host", "localhost"), ("origin", "http://evil.example")]
            ),
            None
        );
        assert_eq!(
            status(
                "/faq/",
                &[("host", "localhost"), ("sec-fetch-site", "cross-site")]
            ),
            None
        );
    }

    #[test]
    fn percent_escapes_decode_or_refuse() {
        assert_eq!(percent_decode("a%20b"), Some("a b".into()));
        assert_eq!(percent_decode("%41%42c"), Some("ABc".into()));
        assert_eq!(percent_decode("plain"), Some("plain".into()));
        assert_eq!(percent_decode("%e2%80%94"), Some("\u{2014}".into()));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("x%"), None);
        assert_eq!(percent_decode("%ff"), None, "not UTF-8");
    }

    #[test]
    fn the_reload_script_goes_before_the_body_end() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!("<html><body><p>x</p>{RELOAD_TAG}</body></html>")
        );
    }
}
