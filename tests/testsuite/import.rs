//! `vitrine import`: feeds served over HTTP on loopback (a real server,
//! tiny_http), imported into a copy of `tests/fixtures/import-site/` that
//! uses the default theme, then built; assertions read the page files and
//! the built site. Feeds are in `tests/fixtures/import-feeds/`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use vitrine::import::{ImportOptions, Selection, SourceReport, import};

use crate::site_test::{SiteTest, code, fixtures_dir};

/// A feed server on loopback: each path answers its bytes with an ETag,
/// and 304 to a request that sends that ETag back.
struct FeedServer {
    server: Arc<tiny_http::Server>,
    base: String,
    feeds: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    not_modified: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    gzipped: Arc<AtomicUsize>,
    user_agents: Arc<Mutex<Vec<String>>>,
    /// The `Content-Type` of paths served with one.
    types: Arc<Mutex<HashMap<String, String>>>,
    /// Requests by path.
    hits: Arc<Mutex<HashMap<String, usize>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FeedServer {
    fn start() -> FeedServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("listen on loopback"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let feeds: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let not_modified = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let gzipped = Arc::new(AtomicUsize::new(0));
        let user_agents: Arc<Mutex<Vec<String>>> = Arc::default();
        let types: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let thread = {
            let (server, feeds, not_modified, requests, gzipped, user_agents, types, hits) = (
                server.clone(),
                feeds.clone(),
                not_modified.clone(),
                requests.clone(),
                gzipped.clone(),
                user_agents.clone(),
                types.clone(),
                hits.clone(),
            );
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    requests.fetch_add(1, Ordering::SeqCst);
                    *hits
                        .lock()
                        .expect("lock")
                        .entry(request.url().to_string())
                        .or_default() += 1;
                    let content_type = types.lock().expect("lock").get(request.url()).map(|t| {
                        tiny_http::Header::from_bytes("Content-Type", t.as_bytes()).expect("header")
                    });
                    let header = |name: &'static str| {
                        request
                            .headers()
                            .iter()
                            .find(|h| h.field.equiv(name))
                            .map(|h| h.value.to_string())
                    };
                    if let Some(ua) = header("User-Agent") {
                        user_agents.lock().expect("lock").push(ua);
                    }
                    let gzip = header("Accept-Encoding").is_some_and(|a| a.contains("gzip"));
                    let body = feeds.lock().expect("lock").get(request.url()).cloned();
                    let response = match body {
                        None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
                        Some(bytes) => {
                            let etag = format!("\"{:x}\"", xxhash(&bytes));
                            let etag_header =
                                tiny_http::Header::from_bytes("ETag", etag.as_bytes()).expect("header");
                            if header("If-None-Match").as_deref() == Some(etag.as_str()) {
                                not_modified.fetch_add(1, Ordering::SeqCst);
                                tiny_http::Response::from_data(Vec::new())
                                    .with_status_code(304)
                                    .with_header(etag_header)
                            } else if gzip {
                                use std::io::Write;
                                gzipped.fetch_add(1, Ordering::SeqCst);
                                let mut encoder =
                                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                                encoder.write_all(&bytes).expect("gzip");
                                let encoding = tiny_http::Header::from_bytes("Content-Encoding", "gzip")
                                    .expect("header");
                                tiny_http::Response::from_data(encoder.finish().expect("gzip"))
                                    .with_header(etag_header)
                                    .with_header(encoding)
                            } else {
                                tiny_http::Response::from_data(bytes).with_header(etag_header)
                            }
                        }
                    };
                    let response = match content_type {
                        Some(header) => response.with_header(header),
                        None => response,
                    };
                    let _ = request.respond(response);
                }
            })
        };
        FeedServer {
            server,
            base: format!("http://127.0.0.1:{port}"),
            feeds,
            not_modified,
            requests,
            gzipped,
            user_agents,
            types,
            hits,
            thread: Some(thread),
        }
    }

    /// Serves `bytes` at `path` with a `Content-Type`.
    fn serve_as(&self, path: &str, bytes: Vec<u8>, content_type: &str) -> String {
        self.types
            .lock()
            .expect("lock")
            .insert(path.to_string(), content_type.to_string());
        self.serve(path, bytes)
    }

    /// How many requests asked for `path`.
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().expect("lock").get(path).copied().unwrap_or(0)
    }

    /// Serves `bytes` at `path`.
    fn serve(&self, path: &str, bytes: Vec<u8>) -> String {
        self.feeds.lock().expect("lock").insert(path.to_string(), bytes);
        format!("{}{path}", self.base)
    }

    /// Serves the fixture feed `name` at `/<name>`.
    fn serve_fixture(&self, name: &str) -> String {
        self.serve(&format!("/{name}"), feed_bytes(name))
    }
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn xxhash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn feed_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join("import-feeds").join(name)).expect("read a fixture feed")
}

/// The import fixture with the repository's default theme and its
/// locales, and `sources` appended to site.yaml.
fn site(sources: &str) -> SiteTest {
    SiteTest::new("import-site")
        .default_theme()
        .edit_config(|yaml| format!("{yaml}sources:\n{sources}"))
}

fn source(name: &str, url: &str, lang: &str, extra: &str) -> String {
    format!("  - name: \"{name}\"\n    url: \"{url}\"\n    language: {lang}\n    section: news\n{extra}")
}

fn run(test: &SiteTest, selection: Selection) -> Vec<SourceReport> {
    run_with(test, selection, false, false)
}

/// An import with `--images` and `--dry-run` as given.
fn run_with(test: &SiteTest, selection: Selection, images: bool, dry_run: bool) -> Vec<SourceReport> {
    import(&ImportOptions {
        root: test.root.clone(),
        selection,
        dry_run,
        timeout: std::time::Duration::from_secs(10),
        images,
    })
    .unwrap_or_else(|d| {
        panic!(
            "the import failed: {:?}",
            d.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    })
}

fn report<'a>(reports: &'a [SourceReport], name: &str) -> &'a SourceReport {
    reports
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no report for {name}"))
}

/// The one page imported from a source whose file name starts with `stem`.
fn page(test: &SiteTest, report: &SourceReport, stem: &str) -> (String, String) {
    let path = report
        .created
        .iter()
        .chain(&report.updated)
        .find(|p| p.rsplit('/').next().is_some_and(|f| f.starts_with(stem)))
        .unwrap_or_else(|| panic!("no page {stem}* among {:?}", report.created))
        .clone();
    let text = test.read_source(&path);
    (path, text)
}

/// Every file of the built site, as text.
fn built_files(out: &Path) -> Vec<(String, String)> {
    walk(out)
        .into_iter()
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "html" || e == "xml" || e == "json")
        })
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap_or_default(),
            )
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

const ALL_FORMATS: [(&str, &str, &str); 8] = [
    ("Ministry of Culture", "atom.xml", "en"),
    ("Provincial portal", "rss091.xml", "en"),
    ("Statistics office", "rss10.xml", "en"),
    ("Tourism board", "feed.json", "en"),
    ("Press agency", "nasty.xml", "vi"),
    ("Ministère", "latin1.xml", "en"),
    ("Thông tấn xã", "press-agency-vi.rss", "vi"),
    ("Ministry of Foreign Affairs", "ministry-en.atom", "en"),
];

fn all_formats_site(server: &FeedServer) -> SiteTest {
    let sources: String = ALL_FORMATS
        .iter()
        .map(|(name, file, lang)| source(name, &server.serve_fixture(file), lang, ""))
        .collect();
    site(&sources)
}

#[test]
fn every_format_becomes_draft_pages_crediting_their_source() {
    let server = FeedServer::start();
    let test = all_formats_site(&server);
    let reports = run(&test, Selection::All);
    for (name, ..) in ALL_FORMATS {
        let r = report(&reports, name);
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        assert!(!r.created.is_empty(), "{name} created nothing");
    }
    let atom = report(&reports, "Ministry of Culture");
    let (path, text) = page(&test, atom, "festival-season-opens");
    assert!(path.ends_with(".en.md"), "{path}");
    assert!(
        text.contains("title: \"Festival season opens\"\n"),
        "HTML in a title is text:\n{text}"
    );
    assert!(text.contains("draft: true\n"), "{text}");
    assert!(text.contains("  name: \"Ministry of Culture\"\n"), "{text}");
    // Relative links resolve against the feed's address.
    assert!(
        text.contains(&format!("  url: \"{}/articles/101.html\"", server.base)),
        "{text}"
    );
    assert!(text.contains(&format!("({}/photos/101/)", server.base)), "{text}");
    assert!(
        text.contains(&format!("({}/images/lantern.jpg)", server.base)),
        "{text}"
    );
    assert!(text.contains("date: \"2025-03-01T01:00:00+00:00\""), "{text}");
    // Categories land on the site's terms when they match.
    assert!(text.contains("tags: [\"Tourism\"]"), "{text}");
    assert!(text.contains("regions: [\"Quang Nam\"]"), "{text}");
    let (_, text) = page(&test, report(&reports, "Ministère"), "ete-culturel");
    assert!(
        text.contains("title: \"Été culturel à Hué\""),
        "ISO-8859-1 declared in the prolog:\n{text}"
    );
    assert!(text.contains("Le festival de Hué s'ouvre en juin."), "{text}");
    let (_, text) = page(&test, report(&reports, "Statistics office"), "gdp-grew");
    assert!(
        text.contains("date: \"2025-04-06T03:00:00+00:00\""),
        "RSS 1.0 dc:date:\n{text}"
    );
    let (_, text) = page(&test, report(&reports, "Thông tấn xã"), "khai-mac-festival-hue");
    assert!(
        text.contains("tags: [\"Du lịch\"]") || text.contains("Văn hóa"),
        "{text}"
    );
    assert!(text.contains("author: \"Mai Trang/TTXVN\""), "{text}");
    assert!(
        server
            .user_agents
            .lock()
            .expect("lock")
            .iter()
            .all(|ua| ua.starts_with("vitrine/")),
        "a clear User-Agent"
    );
    assert_eq!(
        server.gzipped.load(Ordering::SeqCst),
        ALL_FORMATS.len(),
        "feeds travel gzipped"
    );
    let test = test.drafts().build();
    let html = test.read("en/news/festival-season-opens/index.html");
    assert!(
        html.contains(&format!(
            "<a href=\"{}/articles/101.html\" rel=\"noopener\">Source: Ministry of Culture</a>",
            server.base
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{}/articles/101.html\">",
        server.base
    )));
    assert!(html.contains(&format!("\"isBasedOn\":\"{}/articles/101.html\"", server.base)));
    let list = test.read("en/news/index.html");
    assert!(
        list.matches("class=\"source-credit\"").count() >= 5,
        "credited in lists:\n{list}"
    );
    let feed = test.read("en/news/atom.xml");
    assert!(
        feed.contains("<source><title>Ministry of Culture</title>"),
        "credited in feeds"
    );
    assert!(feed.contains("Source: Ministry of Culture&lt;/a&gt;"), "{feed}");
    let vi = test.read("news/khai-mac-festival-hue-2025-di-san-van-hoa-voi-hoi-nhap/index.html");
    assert!(
        vi.contains(">Nguồn: Thông tấn xã</a>"),
        "credit in the page's language"
    );
}

#[test]
fn nothing_unsafe_from_a_feed_reaches_the_built_site() {
    let server = FeedServer::start();
    // Sites that allow raw HTML in Markdown must still get none from feeds.
    let test = all_formats_site(&server).replace(
        "site.yaml",
        "theme: default\n",
        "theme: default\nallow_html: true\n",
    );
    let reports = run(&test, Selection::All);
    let nasty = report(&reports, "Press agency");
    let (_, text) = page(&test, nasty, "prime-minister-visits");
    assert!(
        text.contains("title: \"Prime Minister visits \\\"Huế\\\" & Đà Nẵng\""),
        "{text}"
    );
    // A javascript: link is no original to credit: the feed stands in.
    assert!(
        text.contains(&format!("  url: \"{}/nasty.xml\"", server.base)),
        "{text}"
    );
    assert!(
        text.contains(&format!("({}/photos/pm.jpg)", server.base)),
        "{text}"
    );
    assert!(
        text.contains(&format!("({}/world/2000.html)", server.base)),
        "{text}"
    );
    let test = test.drafts().build();
    // Text that names a payload is shown as text (escaped); what must not
    // be there is markup: elements, handlers and URLs of a feed's making.
    let files = built_files(&test.out);
    assert!(files.len() > 20, "the site was built");
    let mut scanned = 0;
    for (file, text) in &files {
        let html = if file.ends_with(".xml") {
            unescape_xml(text)
        } else {
            text.clone()
        };
        // Search shards are data, shown with textContent by search.js.
        let markup = if file.ends_with(".json") { "" } else { &html };
        for tag in tags(markup) {
            scanned += 1;
            assert_safe_tag(file, &tag);
        }
        let lower = html.to_ascii_lowercase();
        for bad in [
            "tracker.example",
            "phish.example",
            "evil.example",
            "display:none",
            "color:red",
        ] {
            assert!(!lower.contains(bad), "{file} carries `{bad}` from a feed");
        }
    }
    assert!(scanned > 1000, "the scan read the pages' markup");
    // The payloads' words survive only as escaped text.
    let page = test.read("news/prime-minister-visits-hue-da-nang/index.html");
    assert!(
        page.contains("&lt;img src=x onerror=alert"),
        "shown as text, not dropped silently"
    );
}

/// The start tags of an HTML text: `<name attributes…>`, as a browser
/// would see them (text written `&lt;…` is not a tag).
fn tags(html: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        tags.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    tags
}

fn assert_safe_tag(file: &str, tag: &str) {
    let lower = tag.to_ascii_lowercase();
    let name: String = lower.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    assert!(
        !["iframe", "embed", "object", "svg", "frame", "base"].contains(&name.as_str()),
        "{file}: <{tag}>"
    );
    // The theme's search form is the only form.
    assert!(
        name != "form" || lower.contains("class=\"search-form\""),
        "{file}: <{tag}>"
    );
    if name == "script" {
        // The theme's own: JSON-LD, and scripts of the site itself.
        assert!(
            lower.contains("application/ld+json")
                || lower.contains("src=\"/")
                || lower.contains("src=\"https://portal.example.org/"),
            "{file}: <{tag}>"
        );
    }
    for (key, value) in attributes(&lower[name.len()..]) {
        assert!(!key.starts_with("on"), "{file}: an event handler in <{tag}>");
        let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(!value.starts_with(scheme), "{file}: a {scheme} URL in <{tag}>");
        }
    }
}

/// A tag's attributes as a browser reads them: `key`, `key=value`,
/// `key="value"`, `key='value'`.
fn attributes(mut rest: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = v.to_string();
            rest = tail;
        }
        found.push((key, value));
    }
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn reimporting_writes_nothing_and_polling_asks_conditionally() {
    let server = FeedServer::start();
    let test = all_formats_site(&server);
    let first = run(&test, Selection::All);
    let files: Vec<String> = first.iter().flat_map(|r| r.created.clone()).collect();
    let before: Vec<(Vec<u8>, std::time::SystemTime)> = files
        .iter()
        .map(|f| {
            let p = test.root.join(f);
            (
                std::fs::read(&p).expect("read"),
                std::fs::metadata(&p).and_then(|m| m.modified()).expect("mtime"),
            )
        })
        .collect();
    let second = run(&test, Selection::All);
    for r in &second {
        assert!(r.error.is_none(), "{:?}", r.error);
        assert!(r.not_modified, "{} answered 304 the second time", r.name);
    }
    assert_eq!(server.not_modified.load(Ordering::SeqCst), ALL_FORMATS.len());
    // Without the cache the feeds are read again, and still nothing changes.
    std::fs::remove_dir_all(test.root.join(".vitrine-cache")).expect("remove the cache");
    let third = run(&test, Selection::All);
    for r in &third {
        assert!(
            r.created.is_empty() && r.updated.is_empty() && r.kept.is_empty(),
            "{r:?}"
        );
        assert!(r.unchanged > 0, "{r:?}");
    }
    for (f, (bytes, mtime)) in files.iter().zip(before) {
        let p = test.root.join(f);
        assert_eq!(std::fs::read(&p).expect("read"), bytes, "{f} changed");
        assert_eq!(
            std::fs::metadata(&p).and_then(|m| m.modified()).expect("mtime"),
            mtime,
            "{f} was rewritten"
        );
    }
    assert!(server.requests.load(Ordering::SeqCst) >= 3 * ALL_FORMATS.len());
}

#[test]
fn undated_items_take_the_fetch_time_once_and_duplicates_are_imported_once() {
    let server = FeedServer::start();
    let test = site(&source(
        "Press agency",
        &server.serve_fixture("nasty.xml"),
        "vi",
        "",
    ));
    let reports = run(&test, Selection::All);
    let r = report(&reports, "Press agency");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("Undated announcement") && w.contains("no date")),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("agency-2003")),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.created.len(), 3, "{:?}", r.created);
    assert!(
        !r.created.iter().any(|p| p.contains("duplicate-two")),
        "{:?}",
        r.created
    );
    let (path, first) = page(&test, r, "undated-announcement");
    assert!(first.contains("date: \"20"), "{first}");
    // Served again (no 304: a new ETag), the undated page keeps its date.
    server.serve("/nasty.xml", [feed_bytes("nasty.xml"), b"\n".to_vec()].concat());
    let again = run(&test, Selection::All);
    assert_eq!(report(&again, "Press agency").unchanged, 3, "{:?}", again);
    assert_eq!(test.read_source(&path), first);
}

#[test]
fn a_changed_feed_updates_its_pages_but_never_an_editors_edits() {
    let server = FeedServer::start();
    let v1 = feed_bytes("ministry-en.atom");
    let url = server.serve("/mofa.atom", v1.clone());
    let test = site(&source(
        "MOFA",
        &url,
        "en",
        "    publish: true\n    license: \"CC BY 4.0\"\n",
    ));
    let first = run(&test, Selection::Named("MOFA".into()));
    let r = report(&first, "MOFA");
    assert_eq!(r.created.len(), 2, "{r:?}");
    let (briefing, text) = page(&test, r, "regular-press-briefing");
    assert!(!text.contains("draft:"), "publish: true makes no draft:\n{text}");
    assert!(text.contains("  license: \"CC BY 4.0\""), "{text}");
    let (visa, _) = page(&test, r, "visa-exemption");
    // An editor corrects one page.
    let edited = test
        .read_source(&visa)
        .replace("45 days", "45 days (corrected by our desk)");
    let test = test.write(&visa, &edited);
    // The source changes both items and adds one.
    let v2 = String::from_utf8(v1)
        .expect("utf-8")
        .replace("visa exemptions and citizen", "visa exemptions, trade and citizen")
        .replace("extended to 45 days", "extended to 60 days")
        .replace(
            "  <entry>\n    <id>https://ministry.example/government/news/visa",
            "  <entry>\n    <id>https://ministry.example/government/news/new-consulate</id>\n    <updated>2025-03-08T08:00:00+07:00</updated>\n    <link rel=\"alternate\" href=\"https://ministry.example/government/news/new-consulate\"/>\n    <title>New consulate opens</title>\n    <summary>A new consulate.</summary>\n  </entry>\n  <entry>\n    <id>https://ministry.example/government/news/visa",
        );
    server.serve("/mofa.atom", v2.into_bytes());
    let second = run(&test, Selection::Named("MOFA".into()));
    let r = report(&second, "MOFA");
    assert_eq!(r.updated, vec![briefing.clone()], "{r:?}");
    assert_eq!(r.kept, vec![visa.clone()], "{r:?}");
    assert_eq!(r.created.len(), 1, "{r:?}");
    assert!(
        test.read_source(&briefing)
            .contains("visa exemptions, trade and citizen")
    );
    assert_eq!(test.read_source(&visa), edited, "the editor's page is untouched");
    // The CLI says which pages changed and which were kept.
    server.serve("/mofa.atom", feed_bytes("ministry-en.atom"));
    let out = test.cmd(&["import", "--source", "MOFA"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 0, "{stderr}");
    assert!(stderr.contains(&format!("updated {briefing}")), "{stderr}");
    assert!(
        stderr.contains(&format!("kept    {visa}: edited since its import")),
        "{stderr}"
    );
}

#[test]
fn a_broken_or_failing_source_writes_nothing_and_the_others_still_import() {
    let server = FeedServer::start();
    let sources = [
        source("Truncated", &server.serve_fixture("truncated.xml"), "vi", ""),
        source("Gone", &format!("{}/missing.xml", server.base), "vi", ""),
        source(
            "Garbage",
            &server.serve("/garbage.xml", b"<html><body>Maintenance".to_vec()),
            "vi",
            "",
        ),
        source("Good", &server.serve_fixture("rss091.xml"), "en", ""),
    ]
    .concat();
    let test = site(&sources);
    let before = walk(&test.root.join("content")).len();
    let out = test.cmd(&["import", "--all"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(
        stderr.contains("error: source `Truncated`:") && stderr.contains("cut short"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: source `Gone`:") && stderr.contains("404"),
        "{stderr}"
    );
    assert!(stderr.contains("error: source `Garbage`:"), "{stderr}");
    assert!(stderr.contains("Good: 1 new"), "{stderr}");
    assert_eq!(
        walk(&test.root.join("content")).len(),
        before + 1,
        "only the good source wrote"
    );
    let leftovers: Vec<_> = walk(&test.root.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
}

#[test]
fn dry_run_and_a_feed_given_on_the_command_line() {
    let server = FeedServer::start();
    let test = site(" []\n");
    let url = server.serve_fixture("feed.json");
    let before = walk(&test.root.join("content")).len();
    let out = test.cmd(&[
        "import",
        &url,
        "--section",
        "news",
        "--lang",
        "en",
        "--name",
        "Tourism board",
        "--dry-run",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 0, "{stderr}");
    assert!(
        stderr.contains("would be created content/news/ha-long-bay-by-kayak.en.md"),
        "{stderr}"
    );
    assert_eq!(
        walk(&test.root.join("content")).len(),
        before,
        "a dry run writes nothing"
    );
    let out = test.cmd(&[
        "import",
        &url,
        "--section",
        "news",
        "--lang",
        "en",
        "--name",
        "Tourism board",
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let text = test.read_source("content/news/ha-long-bay-by-kayak.en.md");
    assert!(text.contains("  name: \"Tourism board\""), "{text}");
    let out = test.cmd(&["import", &url, "--section", "../outside", "--lang", "en"]);
    assert_eq!(code(&out), 1, "a section outside content/ is refused");
    let out = test.cmd(&["import"]);
    assert_eq!(code(&out), 2, "nothing to import is bad usage");
}

#[test]
fn drafts_stay_out_of_the_site_and_canonical_self_keeps_our_url() {
    let server = FeedServer::start();
    let sources = [
        source("Drafted", &server.serve_fixture("rss091.xml"), "en", ""),
        source(
            "Ours",
            &server.serve_fixture("rss10.xml"),
            "en",
            "    publish: true\n    canonical: self\n",
        ),
    ]
    .concat();
    let test = site(&sources);
    run(&test, Selection::All);
    let counted = "en 1 draft(s), 2 imported (1 awaiting review)";
    let out = test.cmd(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 0, "{stderr}");
    assert!(
        stderr.contains(counted),
        "check counts drafts and imported pages:\n{stderr}"
    );
    let out = test.cmd(&["i18n", "status"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(counted), "i18n status counts them:\n{stdout}");
    let out = test.cmd(&["i18n", "status", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON status");
    assert_eq!(json["unpublished"]["en"]["imported_drafts"], 1, "{json}");
    let test = test.build();
    test.assert_missing("en/news/rice-harvest-ends-early/index.html");
    let html = test.read("en/news/gdp-grew-6-9-in-the-first-quarter/index.html");
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://portal.example.org/en/news/gdp-grew-6-9-in-the-first-quarter/\">"),
        "{html}"
    );
    assert!(html.contains("\"isBasedOn\":\"https://statistics.example/releases/gdp-q1\""));
    // Only pages whose canonical is their own are in the sitemap.
    let sitemap = test.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://portal.example.org/en/news/gdp-grew-6-9-in-the-first-quarter/</loc>")
    );
    let test = test.drafts().build();
    let html = test.read("en/news/rice-harvest-ends-early/index.html");
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://province.example/news/rice-harvest.html\">")
    );
    assert!(
        !test.read("sitemap.xml").contains("rice-harvest-ends-early"),
        "credited to an original: not ours to list"
    );
}

#[test]
fn the_source_field_is_checked_like_every_other() {
    let test = SiteTest::new("minimal")
        .write(
            "content/notes/bad-source.md",
            "---\ntitle: \"Imported\"\nsource:\n  name: \"Agency\"\n  url: \"javascript:alert(1)\"\n---\n\nText.\n",
        )
        .write(
            "content/notes/typo.md",
            "---\ntitle: \"Imported\"\nsource:\n  name: \"Agency\"\n  url: \"https://agency.example/1\"\n  licence: \"CC BY\"\n---\n\nText.\n",
        );
    let errors = test.expect_error();
    let messages: Vec<String> = errors
        .iter()
        .map(|d| format!("{} {:?}", d.message, d.file))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`source.url` is not an http or https URL") && m.contains("bad-source.md")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("licence") && m.contains("typo.md")),
        "{messages:?}"
    );
}

#[test]
fn parse_feed_takes_any_bytes_without_panicking() {
    let inputs: [&[u8]; 9] = [
        b"",
        b"{",
        b"<",
        b"<rss",
        b"\xff\xfe\x00<\x00r",
        b"{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":1}]}",
        b"<?xml version=\"1.0\" encoding=\"x-unknown\"?><rss version=\"2.0\"><channel></channel></rss>",
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><link href=\"::::\"/></entry></feed>",
        b"<rss version=\"2.0\"><channel><item><link>http://[::1</link></item></channel></rss>",
    ];
    for input in inputs {
        let _ = vitrine::import::parse_feed(input, "http://127.0.0.1/feed.xml");
        let _ = vitrine::import::parse_feed(input, "not a url");
    }
    let feed = vitrine::import::parse_feed(
        &feed_bytes("atom.xml"),
        "https://ministry.example/en/news/feed.atom",
    )
    .expect("a good feed parses");
    assert_eq!(feed.items.len(), 2);
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://ministry.example/en/news/articles/101.html")
    );
    assert!(vitrine::import::parse_feed(&feed_bytes("truncated.xml"), "https://a.example/").is_err());
}

#[test]
fn a_silent_server_times_out_and_sources_are_checked_in_site_yaml() {
    // A server that accepts and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen on loopback");
    let port = listener.local_addr().expect("address").port();
    let holder = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        std::thread::sleep(std::time::Duration::from_secs(4));
        drop(stream);
    });
    let test = site(&source(
        "Silent",
        &format!("http://127.0.0.1:{port}/feed.xml"),
        "en",
        "",
    ));
    let started = std::time::Instant::now();
    let out = test.cmd(&["import", "--all", "--timeout", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(stderr.contains("error: source `Silent`"), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "the timeout ended the wait"
    );
    let _ = holder.join();
    let bad = [
        source("Twice", "https://a.example/feed.xml", "en", ""),
        source("Twice", "https://b.example/feed.xml", "de", "    topics: [\"x\"]\n"),
        "  - name: \"Outside\"\n    url: \"ftp://a.example/feed.xml\"\n    language: en\n    section: ../etc\n".to_string(),
        source("Unbounded", "https://c.example/feed.xml", "en", "    images:\n      max_megapixels: 0\n"),
    ]
    .concat();
    let test = site(&bad);
    let out = test.cmd(&["import", "--all"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 1, "{stderr}");
    for expected in [
        "two sources are named `Twice`",
        "`de`, which is not a language of the site",
        "unknown field `topics` in source `Twice`",
        "which is not a folder under content/",
        "which is not an http or https URL",
        "source `Unbounded` has images.max_megapixels 0",
        "site.yaml:",
    ] {
        assert!(stderr.contains(expected), "`{expected}` missing from:\n{stderr}");
    }
}

/// An image encoded by the `image` crate.
fn encoded(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .expect("encode a test image");
    bytes
}

/// A PNG whose header claims `width`×`height` pixels, followed by a few
/// bytes of picture: what a decompression bomb looks like to a reader of
/// headers.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    use std::io::Write;
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
        out
    };
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&[0; 4096]).expect("compress");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(b"IDAT", &zlib.finish().expect("compress")));
    png.extend(chunk(b"IEND", b""));
    png
}

/// A feed of four items showing images of every kind the server holds, and
/// a site whose source caps images at 200,000 bytes and 1 megapixel.
fn images_site(server: &FeedServer) -> SiteTest {
    let photo = image::RgbImage::from_fn(1000, 600, |x, y| image::Rgb([(x / 4) as u8, (y / 3) as u8, 128]));
    server.serve_as(
        "/img/field.jpg",
        encoded(photo.into(), image::ImageFormat::Jpeg),
        "image/jpeg",
    );
    let mut seed = 7_u32;
    let noise = image::RgbImage::from_fn(600, 400, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    server.serve_as(
        "/img/heavy.png",
        encoded(noise.into(), image::ImageFormat::Png),
        "image/png",
    );
    server.serve_as(
        "/img/wide.png",
        encoded(image::RgbImage::new(1500, 1000).into(), image::ImageFormat::Png),
        "image/png",
    );
    server.serve_as("/img/bomb.png", png_claiming(20_000, 20_000), "image/png");
    server.serve_as(
        "/img/page.jpg",
        b"<!doctype html><html><body><script>alert(1)</script>Not an image</body></html>".to_vec(),
        "image/jpeg",
    );
    let base = &server.base;
    let item = |title: &str, html: &str| {
        format!(
            "<item><title>{title}</title><link>{base}/news/{}</link><guid>{base}/news/{}</guid>\
             <pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate><description><![CDATA[{html}]]></description></item>",
            title.len(),
            title.len()
        )
    };
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Photos</title><link>{base}/</link>{}{}{}{}</channel></rss>",
        item(
            "Harvest festival opens",
            "<p>Fields.</p><p><img src=\"/img/field.jpg\" alt=\"Rice fields at dawn\"></p><p><img src=\"/img/missing.jpg\" alt=\"Gone\"></p>"
        ),
        item(
            "A heavy photograph",
            "<p><img src=\"/img/heavy.png\" alt=\"Noise\"></p>"
        ),
        item(
            "Too many pixels here",
            "<p><img src=\"/img/wide.png\" alt=\"Wide\"><img src=\"/img/bomb.png\" alt=\"Bomb\"></p>"
        ),
        item(
            "A page posing as a photo",
            "<p><img src=\"/img/page.jpg\" alt=\"Fake\"></p>"
        ),
    );
    let url = server.serve("/photos.xml", feed.into_bytes());
    site(&source(
        "Photo desk",
        &url,
        "en",
        "    publish: true\n    images:\n      max_bytes: 200000\n      max_megapixels: 1\n",
    ))
}

/// The files of a page bundle other than its pages.
fn bundle_images(test: &SiteTest, page: &str) -> Vec<String> {
    let folder = test.root.join(page).parent().expect("a folder").to_path_buf();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("read the bundle")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.ends_with(".md"))
        .collect();
    names.sort();
    names
}

#[test]
fn images_are_downloaded_into_bundles_and_built_by_the_pipeline() {
    let server = FeedServer::start();
    let test = images_site(&server);
    // A dry run fetches no image and writes nothing, but names the bundles.
    let dry = run_with(&test, Selection::All, true, true);
    let dry = report(&dry, "Photo desk");
    assert_eq!(server.hits("/img/field.jpg"), 0);
    assert!(
        dry.created
            .contains(&"content/news/harvest-festival-opens/index.en.md".to_string()),
        "{dry:?}"
    );
    assert!(!test.root.join("content/news/harvest-festival-opens").exists());

    let reports = run_with(&test, Selection::All, true, false);
    let r = report(&reports, "Photo desk");
    assert!(r.error.is_none(), "{r:?}");
    assert_eq!(r.created.len(), 4, "{r:?}");
    let path = "content/news/harvest-festival-opens/index.en.md";
    assert!(r.created.contains(&path.to_string()), "{r:?}");
    let text = test.read_source(path);
    let files = bundle_images(&test, path);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].starts_with("field-") && files[0].ends_with(".jpg"),
        "{files:?}"
    );
    assert_eq!(
        r.images,
        [format!("content/news/harvest-festival-opens/{}", files[0])]
    );
    assert!(
        text.contains(&format!("![Rice fields at dawn]({})", files[0])),
        "{text}"
    );
    let missing = format!("{}/img/missing.jpg", server.base);
    assert!(text.contains(&format!("![Gone]({missing})")), "{text}");
    assert!(!text.contains("/img/field.jpg"), "{text}");
    let warned = |title: &str, url: &str, why: &[&str]| {
        assert!(
            r.warnings.iter().any(|w| w.contains(title)
                && w.contains(&format!("{}{url}", server.base))
                && why.iter().any(|y| w.contains(y))),
            "no warning for {url} ({why:?}) in {:#?}",
            r.warnings
        );
    };
    warned("Harvest festival opens", "/img/missing.jpg", &["404"]);

    let test = test.build();
    let html = test.read("en/news/harvest-festival-opens/index.html");
    assert!(html.contains("<picture>"), "{html}");
    assert!(html.contains("480w") && html.contains("960w"), "{html}");
    assert!(html.contains("width=\"1000\" height=\"600\""), "{html}");
    assert!(html.contains("/processed_images/"), "{html}");
    assert!(html.contains("alt=\"Rice fields at dawn\""), "{html}");
    assert!(
        !html.contains("/img/field.jpg"),
        "the image is served from the site"
    );
    assert!(html.contains(&missing), "the failed image stays a link: {html}");
}

#[test]
fn images_beyond_the_limits_or_not_images_stay_links() {
    let server = FeedServer::start();
    let test = images_site(&server);
    let reports = run_with(&test, Selection::All, true, false);
    let r = report(&reports, "Photo desk");
    assert!(r.error.is_none(), "{r:?}");
    let warned = |title: &str, url: &str, why: &[&str]| {
        assert!(
            r.warnings.iter().any(|w| w.contains(title)
                && w.contains(&format!("{}{url}", server.base))
                && why.iter().any(|y| w.contains(y))),
            "no warning for {url} ({why:?}) in {:#?}",
            r.warnings
        );
    };
    warned(
        "A heavy photograph",
        "/img/heavy.png",
        &["larger than 200000 bytes"],
    );
    warned(
        "Too many pixels here",
        "/img/wide.png",
        &["1500×1000 pixels, more than the limit of 1 megapixels"],
    );
    warned(
        "Too many pixels here",
        "/img/bomb.png",
        &["20000×20000 pixels", "decompression bomb"],
    );
    warned(
        "A page posing as a photo",
        "/img/page.jpg",
        &["not a JPEG, PNG or WebP image"],
    );
    for (slug, url) in [
        ("a-heavy-photograph", "/img/heavy.png"),
        ("too-many-pixels-here", "/img/wide.png"),
        ("too-many-pixels-here", "/img/bomb.png"),
        ("a-page-posing-as-a-photo", "/img/page.jpg"),
    ] {
        let path = format!("content/news/{slug}/index.en.md");
        let text = test.read_source(&path);
        assert!(
            text.contains(&format!("]({}{url})", server.base)),
            "{url} stays a link: {text}"
        );
        assert!(bundle_images(&test, &path).is_empty(), "nothing saved for {slug}");
    }
    let test = test.build();
    for (_, html) in built_files(&test.out) {
        assert!(!html.contains("<script>alert(1)"), "{html}");
    }
}

#[test]
fn reimporting_with_images_fetches_and_writes_nothing_again() {
    let server = FeedServer::start();
    let test = images_site(&server);
    let first = run_with(&test, Selection::All, true, false);
    let created = report(&first, "Photo desk").created.clone();
    let snapshot = |test: &SiteTest| -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
        walk(&test.root.join("content/news"))
            .into_iter()
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read(&p).expect("read"),
                    std::fs::metadata(&p).and_then(|m| m.modified()).expect("mtime"),
                )
            })
            .collect()
    };
    let before = snapshot(&test);
    assert_eq!(server.hits("/img/field.jpg"), 1);
    // The feed is read again (its validators forgotten), with and without
    // --images: the pages are unchanged, the image is not asked for again.
    for images in [true, false] {
        std::fs::remove_dir_all(test.root.join(".vitrine-cache")).expect("remove the cache");
        let again = run_with(&test, Selection::All, images, false);
        let r = report(&again, "Photo desk");
        assert!(
            r.created.is_empty() && r.updated.is_empty() && r.kept.is_empty() && r.images.is_empty(),
            "{r:?}"
        );
        assert_eq!(r.unchanged, created.len());
        assert_eq!(snapshot(&test), before, "a file was written");
        assert_eq!(server.hits("/img/field.jpg"), 1, "downloaded once");
    }
    // An editor's change is kept, and its bundle is not filled again.
    let harvest = "content/news/harvest-festival-opens/index.en.md";
    let edited = format!("{}\nChecked by the desk.\n", test.read_source(harvest));
    let test = test.write(harvest, &edited);
    for name in bundle_images(&test, harvest) {
        std::fs::remove_file(test.root.join("content/news/harvest-festival-opens").join(name))
            .expect("remove");
    }
    std::fs::remove_dir_all(test.root.join(".vitrine-cache")).expect("remove the cache");
    let again = run_with(&test, Selection::All, true, false);
    let r = report(&again, "Photo desk");
    assert_eq!(r.kept, [harvest.to_string()], "{r:?}");
    assert_eq!(test.read_source(harvest), edited);
    assert!(bundle_images(&test, harvest).is_empty());
    assert_eq!(server.hits("/img/field.jpg"), 1);
}
