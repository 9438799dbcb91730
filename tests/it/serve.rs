//! `candor serve`: what a browser gets, and what happens when files change.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::Site;
use candor::preview::serve;

fn start(site: &Site) -> serve::Handle {
    site.preview()
}

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

/// A raw HTTP/1.0 request, so the path reaches the server exactly as written.
fn raw(handle: &serve::Handle, method: &str, path: &str) -> Reply {
    with_headers(handle, method, path, "Host: localhost\r\n")
}

/// A raw request with these header lines.
fn with_headers(handle: &serve::Handle, method: &str, path: &str, headers: &str) -> Reply {
    let mut s = TcpStream::connect(handle.preview.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "{method} {path} HTTP/1.0\r\n{headers}\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    // Header names are case-insensitive: compare them in lower case.
    let headers = String::from_utf8_lossy(&buf[..split])
        .lines()
        .map(|l| match l.split_once(':') {
            Some((name, value)) => format!("{}:{value}", name.to_ascii_lowercase()),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        headers,
        body: buf[split + 4..].to_vec(),
    }
}

fn get(handle: &serve::Handle, path: &str) -> Reply {
    raw(handle, "GET", path)
}

fn text(r: &Reply) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

/// An open event stream, as a page holds it.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(handle: &serve::Handle) -> Events {
        let mut s = TcpStream::connect(handle.preview.addr()).unwrap();
        write!(s, "GET /_candor/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut reader = BufReader::new(s);
        // Headers and the `retry:` line.
        let mut line = String::new();
        let start = Instant::now();
        while !line.starts_with("retry:") && start.elapsed() < Duration::from_secs(5) {
            line.clear();
            let _ = reader.read_line(&mut line);
        }
        Events { reader }
    }

    /// The next event's name, or None if none comes within `wait`.
    fn next(&mut self, wait: Duration) -> Option<String> {
        let start = Instant::now();
        let mut line = String::new();
        while start.elapsed() < wait {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {
                    if let Some(name) = line.strip_prefix("event: ") {
                        return Some(name.trim().to_string());
                    }
                }
                Err(_) => {}
            }
        }
        None
    }
}

#[test]
fn pages_types_head_and_misses() {
    let site = Site::fixture("basic");
    let h = start(&site);
    let home = get(&h, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.headers
            .contains("content-type: text/html; charset=utf-8"),
        "{}",
        home.headers
    );
    assert!(
        text(&home).contains("/_candor/reload.js"),
        "reload script injected in the preview"
    );
    assert!(text(&home).contains("A laptop with customer records was stolen"));

    for (path, kind) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/faq-filter.js", "text/javascript; charset=utf-8"),
        ("/feed.xml", "application/atom+xml"),
        ("/status.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = get(&h, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains(&format!("content-type: {kind}")),
            "{path}: {}",
            r.headers
        );
    }

    let head = raw(&h, "HEAD", "/faq/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    let len = get(&h, "/faq/").body.len();
    assert!(
        head.headers.contains(&format!("content-length: {len}")),
        "{}",
        head.headers
    );

    let miss = get(&h, "/no/such/page/");
    assert_eq!(miss.status, 404);
    assert!(
        text(&miss).contains("Page not found"),
        "the theme's 404 page"
    );

    let dir = get(&h, "/faq");
    assert_eq!(dir.status, 301);
    assert!(dir.headers.contains("location: /faq/"));

    assert_eq!(raw(&h, "POST", "/").status, 405);
    // Channel renders are previewable under the reserved path, listed on its index.
    let index = text(&get(&h, "/_candor/"));
    assert!(
        index.contains("/_candor/notices/laptop-theft/email.html"),
        "{index}"
    );
    assert!(index.contains("/_candor/notices/laptop-theft/letter.html"));
    assert_eq!(
        get(&h, "/_candor/notices/laptop-theft/letter.html").status,
        200
    );
    let eml = get(&h, "/_candor/notices/laptop-theft/email.eml");
    assert!(
        eml.headers.contains("content-type: message/rfc822"),
        "{}",
        eml.headers
    );
    assert_eq!(get(&h, "/_candor/nothing-here").status, 404);
    // Drafts show in the preview, marked.
    assert!(text(&get(&h, "/incidents/laptop-theft/")).contains("DRAFT-SECRET-TEXT"));
}

#[test]
fn nothing_outside_the_build_is_ever_served() {
    let site = Site::fixture("basic");
    // A file beside the site and a symlink inside content pointing out.
    std::fs::write(site.root.parent().unwrap().join("secret.txt"), "TOP-SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root.parent().unwrap().join("secret.txt"),
        site.path("static-link.txt"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", site.path("content/faq/passwd.md")).unwrap();
    let h = start(&site);
    for path in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/faq/..%2F..%2F..%2Fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/site.toml",
        "/content/faq/cards.md",
        "/static-link.txt",
        "/faq/passwd/",
        "/C:/Windows/win.ini",
        "/%00",
    ] {
        let r = get(&h, path);
        let body = text(&r);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("root:"),
            "{path} leaked"
        );
    }
}

#[test]
fn an_edit_reloads_open_pages_and_a_broken_file_shows_its_errors() {
    let site = Site::fixture("basic");
    site.write("static/extra.css", "body { margin: 0 }");
    let h = start(&site);
    let mut events = Events::open(&h);
    let page = "/incidents/laptop-theft/01-first/";

    // An edit: one reload, and the new text is served.
    let file = "content/incidents/laptop-theft/01-first.md";
    let original = std::fs::read_to_string(site.path(file)).unwrap();
    site.write(
        file,
        &original.replace("This is the first update.", "EDITED-TEXT"),
    );
    assert_eq!(
        events.next(Duration::from_secs(5)).as_deref(),
        Some("reload")
    );
    assert!(text(&get(&h, page)).contains("EDITED-TEXT"));

    // A broken front-matter line: the last good site stays, the errors are listed.
    site.write(
        file,
        &original.replace("status = \"investigating\"", "status = investigating"),
    );
    assert_eq!(
        events.next(Duration::from_secs(5)).as_deref(),
        Some("failed")
    );
    let errors: serde_json::Value =
        serde_json::from_slice(&get(&h, "/_candor/errors.json").body).unwrap();
    let first = &errors["errors"][0];
    assert_eq!(first["file"], "content/incidents/laptop-theft/01-first.md");
    assert_eq!(first["line"], 4);
    assert!(
        text(&get(&h, page)).contains("EDITED-TEXT"),
        "last good build still served"
    );

    // Fixed: reload, no errors.
    site.write(file, &original);
    assert_eq!(
        events.next(Duration::from_secs(5)).as_deref(),
        Some("reload")
    );
    let errors: serde_json::Value =
        serde_json::from_slice(&get(&h, "/_candor/errors.json").body).unwrap();
    assert_eq!(errors["errors"].as_array().unwrap().len(), 0);
    assert!(text(&get(&h, page)).contains("This is the first update."));

    // A stylesheet: swapped in place, not a reload.
    site.write("static/extra.css", "body { margin: 1px }");
    assert_eq!(events.next(Duration::from_secs(5)).as_deref(), Some("css"));
    assert_eq!(text(&get(&h, "/extra.css")), "body { margin: 1px }");
    h.stop();
}

#[test]
fn editor_temp_files_and_bursts() {
    let site = Site::fixture("basic");
    let h = start(&site);
    let mut events = Events::open(&h);
    let generation = h.preview.snapshot().generation;
    // Swap and backup files cause no rebuild.
    site.write("content/faq/.cards.md.swp", "garbage");
    site.write("content/faq/cards.md~", "garbage");
    site.write("content/faq/4913", "");
    site.write("content/faq/#cards.md#", "garbage");
    site.write("content/faq/cards.md___jb_tmp___", "garbage");
    assert_eq!(events.next(Duration::from_millis(600)), None);
    assert_eq!(h.preview.snapshot().generation, generation);

    // vim-style rename-on-save, and a burst of edits: one rebuild.
    let path = site.path("content/faq/cards.md");
    let text_now = std::fs::read_to_string(&path)
        .unwrap()
        .replace("No card numbers", "RENAMED-SAVE");
    std::fs::write(site.path("content/faq/cards.md.tmp"), &text_now).unwrap();
    std::fs::rename(
        site.path("content/faq/cards.md"),
        site.path("content/faq/cards.md~"),
    )
    .unwrap();
    std::fs::rename(site.path("content/faq/cards.md.tmp"), &path).unwrap();
    std::fs::remove_file(site.path("content/faq/cards.md~")).unwrap();
    for i in 0..5 {
        site.write(
            &format!("content/faq/burst{i}.md"),
            &format!("+++\nquestion = \"Burst {i}?\"\n+++\nA.\n"),
        );
    }
    assert_eq!(
        events.next(Duration::from_secs(5)).as_deref(),
        Some("reload")
    );
    // Wait for any straggler event, then check the result.
    let _ = events.next(Duration::from_millis(400));
    let faq = text(&get(&h, "/faq/"));
    assert!(
        faq.contains("RENAMED-SAVE") && faq.contains("Burst 4?"),
        "{faq}"
    );
    assert!(
        h.preview.snapshot().generation <= generation + 2,
        "a burst is one or two rebuilds, not seven"
    );

    // A new folder with a new incident, then deleting it.
    site.write(
        "content/incidents/new-one/_index.md",
        "+++\ntitle = \"NEW-INCIDENT\"\ndiscovered = 2026-11-01T00:00:00Z\n+++\nBody\n",
    );
    assert_eq!(
        events.next(Duration::from_secs(5)).as_deref(),
        Some("reload")
    );
    assert!(text(&get(&h, "/")).contains("NEW-INCIDENT"));
    std::fs::remove_dir_all(site.path("content/incidents/new-one")).unwrap();
    assert_eq!(
        events.next(Duration::from_secs(5)).as_deref(),
        Some("reload")
    );
    assert!(!text(&get(&h, "/")).contains("NEW-INCIDENT"));
}

/// Regression (DNS rebinding): the preview answered any Host, so a page
/// elsewhere that pointed its own name here could read drafts, unsent
/// notices, errors and the event stream. It answers only to its own
/// names, and refuses cross-site reads of /_candor/.
#[test]
fn only_its_own_host_names_are_answered() {
    let site = Site::fixture("basic");
    let h = start(&site);
    let port = h.preview.addr().port();
    for host in [
        "evil.example",
        "evil.example:{port}",
        "localhost:1",
        "10.0.0.1",
    ] {
        let host = host.replace("{port}", &port.to_string());
        let r = with_headers(
            &h,
            "GET",
            "/_candor/notices/laptop-theft/email.eml",
            &format!("Host: {host}\r\n"),
        );
        assert_eq!(r.status, 421, "{host}");
        let r = with_headers(&h, "GET", "/", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 421, "{host}");
    }
    for host in [
        "localhost",
        &format!("localhost:{port}"),
        &format!("127.0.0.1:{port}"),
        "127.0.0.2",
    ] {
        let r = with_headers(&h, "GET", "/", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "{host}");
    }
    let r = with_headers(
        &h,
        "GET",
        "/_candor/errors.json",
        "Host: localhost\r\nOrigin: http://evil.example\r\n",
    );
    assert_eq!(r.status, 403);
    let r = with_headers(
        &h,
        "GET",
        "/_candor/errors.json",
        "Host: localhost\r\nSec-Fetch-Site: cross-site\r\n",
    );
    assert_eq!(r.status, 403);
    let r = with_headers(
        &h,
        "GET",
        "/_candor/errors.json",
        "Host: localhost\r\nSec-Fetch-Site: same-origin\r\n",
    );
    assert_eq!(r.status, 200); // A target in absolute form names its host too.
    let r = with_headers(
        &h,
        "GET",
        "http://evil.example/_candor/errors.json",
        "Host: localhost\r\n",
    );
    assert_eq!(r.status, 421);
}

/// Read what the server sends until it closes the connection, or `wait`
/// passes. `None` if it was still open.
fn until_closed(s: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < wait {
        match s.read(&mut buf) {
            Ok(0) => return Some(got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Some(got),
            Err(_) => {}
        }
    }
    None
}

#[test]
fn a_client_cannot_take_the_preview_for_itself() {
    let site = Site::fixture("basic");
    let limits = serve::Limits {
        connections: 8,
        head_bytes: 16 * 1024,
        head_time: Duration::from_millis(400),
        connection_time: Duration::from_millis(1500),
    };
    let h = site.preview_within(limits);
    let addr = h.preview.addr();

    // A head larger than the limit is refused, not read to its end.
    let mut big = TcpStream::connect(addr).unwrap();
    let _ = write!(big, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ");
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    for _ in 0..64 {
        match big.write_all(&chunk) {
            Ok(()) => sent += chunk.len(),
            Err(_) => break,
        }
    }
    let reply = until_closed(&mut big, Duration::from_secs(5)).expect("closed");
    let reply = String::from_utf8_lossy(&reply);
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 431"),
        "{reply}"
    );
    assert!(
        sent < 4 * 1024 * 1024,
        "the server stopped reading ({sent} bytes sent)"
    );

    // Clients that connect and send nothing, or half a head, more of them
    // than there are slots: each is closed once its time is up, and a page
    // asked for meanwhile is served.
    let mut idle: Vec<TcpStream> = (0..20).map(|_| TcpStream::connect(addr).unwrap()).collect();
    for s in idle.iter_mut().step_by(2) {
        let _ = write!(s, "GET / HTTP/1.1\r\nHost: local");
    }
    let asked = Instant::now();
    let page = get(&h, "/");
    assert_eq!(page.status, 200);
    assert!(
        asked.elapsed() < Duration::from_secs(4),
        "{:?}",
        asked.elapsed()
    );
    for s in &mut idle {
        assert!(
            until_closed(s, Duration::from_secs(4)).is_some(),
            "an idle connection is closed"
        );
    }

    // A kept-alive connection is closed after its time, even if it
    // asks for page after page.
    let mut kept = TcpStream::connect(addr).unwrap();
    let opened = Instant::now();
    let mut closed = false;
    while opened.elapsed() < Duration::from_secs(5) {
        if write!(kept, "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").is_err() {
            closed = true;
            break;
        }
        if until_closed(&mut kept, Duration::from_millis(200)).is_some() {
            closed = true;
            break;
        }
    }
    assert!(closed, "a connection is not kept beyond its time");
    assert!(opened.elapsed() >= Duration::from_millis(1400));

    // An event stream is the one connection that outlives that time.
    let mut events = Events::open(&h);
    std::thread::sleep(Duration::from_millis(2000));
    let file = "content/incidents/laptop-theft/01-first.md";
    let original = std::fs::read_to_string(site.path(file)).unwrap();
    site.write(
        file,
        &original.replace("This is the first update.", "LATER"),
    );
    assert_eq!(
        events.next(Duration::from_secs(5)).as_deref(),
        Some("reload")
    );
}
