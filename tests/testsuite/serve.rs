//! `vitrine serve` end to end: the real binary on a free loopback port,
//! serving a copy of tests/fixtures/serve-site/ that the tests edit, add,
//! rename, delete and break, checking over HTTP after each step. Also
//! checks, in the library, that incremental rebuilds give byte for byte
//! what a fresh full build gives.

use std::collections::HashMap;

use vitrine::build::{BuildOptions, render_site};
use vitrine::changes::{FileChange, FileEvent, classify};
use vitrine::incremental::{Rebuilder, Update, apply};
use vitrine::output::FileContent;

use crate::serve_support::{self, Server, read_until};
use crate::site_test::SiteTest;

pub(crate) fn article(title: &str, date: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}T09:00:00+07:00\n---\n{body}\n")
}

#[test]
fn serves_the_site_from_memory() {
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    let (status, page) = server.get("/news/visit/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Content-Type: text/html; charset=utf-8"), "{page}");
    assert!(page.contains("The president welcomed the delegation."));
    // The base URL points at the server, not at the published site.
    assert!(
        page.contains(&format!("href=\"http://{}/site.css\"", server.address)),
        "{page}"
    );
    assert!(page.contains(r#"<script src="/__vitrine/reload.js" data-build="1" defer></script></body>"#));
    let (status, redirect) = server.get("/news/visit");
    assert_eq!(status, 301);
    assert!(redirect.contains("Location: /news/visit/"), "{redirect}");
    let (status, css) = server.get("/site.css");
    assert_eq!(status, 200);
    assert!(css.contains("text/css") && css.contains("color: #222"));
    let (status, feed) = server.get("/atom.xml");
    assert_eq!(status, 200);
    assert!(feed.contains("application/atom+xml"));
    let (status, script) = server.get("/__vitrine/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    // The site's own 404 pages, in the language of the path.
    let (status, missing) = server.get("/fr/nulle-part/");
    assert_eq!(status, 404);
    assert!(missing.contains("Page introuvable"), "{missing}");
    let (status, missing) = server.get("/nowhere/");
    assert_eq!(status, 404);
    assert!(missing.contains("Page not found"));
}

/// A browser opens six connections at once for a page's stylesheets and
/// images and keeps them alive. tiny_http holds a thread per connection
/// and could leave one queued, unanswered, until another closed: the page
/// never finished loading. Every response now tells the client to close
/// its connection, which gives the thread back, so connections opened
/// together are all answered.
#[test]
fn connections_opened_together_are_all_answered_and_closed() {
    use std::io::Write;
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    // More than tiny_http's idle threads, all before any is answered.
    let mut streams: Vec<std::net::TcpStream> = (0..12)
        .map(|_| std::net::TcpStream::connect(&server.address).expect("connect"))
        .collect();
    for stream in &mut streams {
        let request = format!(
            "GET /site.css HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\n\r\n",
            server.address
        );
        stream.write_all(request.as_bytes()).expect("send");
    }
    // Read in order, each closed once read, as a browser closes a
    // connection whose response says `Connection: close`. A client that
    // kept them all open would hold every thread: connection 4 starved.
    for (i, mut stream) in streams.into_iter().enumerate() {
        stream
            .set_read_timeout(Some(serve_support::PATIENCE))
            .expect("timeout");
        let response =
            read_response(&mut stream).unwrap_or_else(|e| panic!("connection {i} was not answered: {e}"));
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("Connection: close"), "{response}");
        assert!(response.contains("color: #222"), "{response}");
    }
}

/// One whole response (head and `Content-Length` bytes of body), read
/// without waiting for the connection to close.
fn read_response(stream: &mut std::net::TcpStream) -> std::io::Result<String> {
    use std::io::Read;
    let mut seen = Vec::new();
    let mut buf = [0; 4096];
    loop {
        let text = String::from_utf8_lossy(&seen).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            if seen.len() >= end + 4 + length {
                return Ok(text);
            }
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(String::from_utf8_lossy(&seen).into_owned());
        }
        seen.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = SiteTest::new("serve-site");
    std::fs::write(site.root.join("secret.txt"), "top secret").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.root.join("secret.txt"), site.root.join("static/leak.txt"))
        .expect("link");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", site.root.join("static/host.txt")).expect("link");
    let server = Server::start(&site.root);
    for path in [
        "/../site.yaml",
        "/../secret.txt",
        "/news/../../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/..%2f..%2fetc%2fpasswd",
        "/..%5csite.yaml",
        "/site.yaml",
        "/content/news/visit.md",
        "/host.txt",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(
            !body.contains("top secret") && !body.contains("base_url"),
            "{path}: {body}"
        );
    }
}

#[test]
fn edits_new_renamed_and_deleted_pages_show() {
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    // A body edit.
    server.edit(
        "content/news/visit.md",
        "welcomed the delegation",
        "welcomed the ministers",
    );
    server.wait_for("/news/visit/", "the edit", |s, b| {
        s == 200 && b.contains("welcomed the ministers")
    });
    let feed = server.wait_for("/atom.xml", "the feed update", |_, b| {
        b.contains("welcomed the ministers")
    });
    assert!(!feed.contains("welcomed the delegation"));
    // French falls back to English for the festival page: both show the edit.
    server.edit("content/news/festival.md", "light up", "brighten");
    server.wait_for("/fr/news/festival/", "the fallback copy's edit", |_, b| {
        b.contains("Lanterns brighten")
    });
    // A front matter edit reaches the lists.
    server.edit("content/news/harvest.md", "Rice harvest", "Record rice harvest");
    server.wait_for("/", "the new title on the home", |_, b| {
        b.contains("Record rice harvest")
    });
    server.wait_for("/tags/farming/", "the new title on the term page", |_, b| {
        b.contains("Record rice harvest")
    });
    // A new page.
    server.write(
        "content/news/summit.md",
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    server.wait_for("/news/summit/", "the new page", |s, b| {
        s == 200 && b.contains("Leaders met.")
    });
    server.wait_for("/news/", "the new page in its section", |_, b| {
        b.contains("Regional summit")
    });
    // A rename: the old address goes, the new one comes, lists follow.
    std::fs::rename(
        site.root.join("content/news/summit.md"),
        site.root.join("content/news/summit-2025.md"),
    )
    .expect("rename");
    server.wait_for("/news/summit-2025/", "the renamed page", |s, _| s == 200);
    server.wait_for("/news/summit/", "the old address to go", |s, _| s == 404);
    // A deletion: the page (and its fallback copy) leaves its lists and feeds.
    std::fs::remove_file(site.root.join("content/news/festival.md")).expect("remove");
    server.wait_for("/news/festival/", "the deleted page to go", |s, _| s == 404);
    server.wait_for("/fr/news/festival/", "its fallback copy to go", |s, _| s == 404);
    let home = server.wait_for("/", "the deleted page to leave the home", |_, b| {
        !b.contains("Lantern festival")
    });
    assert!(home.contains("Regional summit"));
    // The served files are replaced one by one: the feed may come a moment
    // after the home.
    let feed = server.wait_for("/atom.xml", "the deleted page to leave the feed", |_, b| {
        !b.contains("Lantern festival")
    });
    assert!(feed.contains("Regional summit"), "{feed}");
    // An editor's save by writing a temporary file and renaming it over the page.
    let tmp = site.root.join("content/news/.harvest.md.tmp");
    std::fs::write(
        &tmp,
        article("Record rice harvest", "2025-08-20", "Saved by rename."),
    )
    .expect("write");
    std::fs::rename(&tmp, site.root.join("content/news/harvest.md")).expect("rename");
    server.wait_for("/news/harvest/", "the renamed-over save", |_, b| {
        b.contains("Saved by rename.")
    });
}

#[test]
fn errors_show_and_the_last_good_site_stays() {
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    // Broken front matter: the overlay names the file, the old page stays.
    server.edit(
        "content/news/visit.md",
        "title: \"State visit\"",
        "title: [unclosed",
    );
    let page = server.wait_for("/news/visit/", "the error overlay", |_, b| {
        b.contains("vitrine-error-overlay")
    });
    assert!(page.contains("content/news/visit.md"), "{page}");
    assert!(page.contains("The president welcomed the delegation."));
    let (status, events) = server.get_events();
    assert_eq!(status, 200);
    assert!(
        events.contains("event: build-error") && events.contains("visit.md"),
        "{events}"
    );
    // Fixed: the overlay goes by itself.
    server.edit(
        "content/news/visit.md",
        "title: [unclosed",
        "title: \"State visit, fixed\"",
    );
    server.wait_for("/news/visit/", "the recovery", |_, b| {
        b.contains("State visit, fixed") && !b.contains("vitrine-error-overlay")
    });
    // A broken template: same, with the template's file and line.
    server.edit(
        "themes/plain/templates/page.html",
        "{{ page.title }}</h1>",
        "{{ page.title </h1>",
    );
    let page = server.wait_for("/news/harvest/", "the template error", |_, b| {
        b.contains("vitrine-error-overlay")
    });
    assert!(page.contains("page.html"), "{page}");
    assert!(page.contains("A record rice harvest"));
    // What still follows the fix (its lists, its search index, made from
    // the model that built) does not clear the template's error.
    server.wait_until_idle();
    let (_, page) = server.get("/news/harvest/");
    assert!(page.contains("vitrine-error-overlay"), "{page}\n{}", server.log());
    // Body edits while the theme is broken are not lost.
    server.edit(
        "content/news/harvest.md",
        "A record rice harvest",
        "A bumper rice harvest",
    );
    server.edit(
        "themes/plain/templates/page.html",
        "{{ page.title </h1>",
        "{{ page.title }}!</h1>",
    );
    // Files written to disk may be seen a moment before the error clears;
    // the reload that follows the clearing shows the page without it.
    let page = server.wait_for("/news/harvest/", "the template fix", |_, b| {
        b.contains("Rice harvest!</h1>") && !b.contains("vitrine-error-overlay")
    });
    assert!(page.contains("A bumper rice harvest"), "{page}");
    assert!(server.get("/fr/news/visit/").1.contains("!</h1>"));
}

#[test]
fn fluent_and_static_changes_show() {
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    assert!(server.get("/fr/news/visit/").1.contains("Lire la suite"));
    server.write(
        "locales/fr/main.ftl",
        "read-more = Lire davantage\nnot-found-title = Page introuvable\n",
    );
    server.wait_for("/fr/news/visit/", "the new French string", |_, b| {
        b.contains("Lire davantage")
    });
    assert!(server.get("/news/visit/").1.contains("Read more"));
    server.write("static/site.css", "body { color: #333; }\n");
    server.wait_for("/site.css", "the new stylesheet", |_, b| b.contains("#333"));
    server.write("static/extra.js", "console.log(1);\n");
    server.wait_for("/extra.js", "the new static file", |s, b| {
        s == 200 && b.contains("text/javascript")
    });
    std::fs::remove_file(site.root.join("static/extra.js")).expect("remove");
    server.wait_for("/extra.js", "the deleted static file to go", |s, _| s == 404);
}

#[test]
fn a_notice_reaches_every_page_and_leaves_with_its_file() {
    let site = SiteTest::new("serve-site");
    let template = site.root.join("themes/plain/templates/page.html");
    let text = std::fs::read_to_string(&template).expect("read the template");
    assert!(text.contains("<body>"), "{text}");
    let with_notices = text.replacen(
        "<body>",
        r#"<body>{% for n in notices %}<p class="notice" lang="{{ n.lang }}">{{ n.html | safe }}</p>{% endfor %}"#,
        1,
    );
    std::fs::write(&template, with_notices).expect("write the template");
    let server = Server::start(&site.root);
    assert!(!server.get("/news/visit/").1.contains("Roads closed"));
    server.write(
        "content/_notices/roads.md",
        "---
level: warning
---
Roads closed.
",
    );
    for path in ["/news/visit/", "/fr/news/visit/"] {
        server.wait_for(path, "the notice", |_, b| {
            b.contains(r#"<p class="notice" lang="en"><p>Roads closed.</p>"#)
        });
    }
    server.write(
        "content/_notices/roads.fr.md",
        "---
---
Routes fermées.
",
    );
    server.wait_for("/fr/news/visit/", "the French notice", |_, b| {
        b.contains(r#"<p class="notice" lang="fr"><p>Routes fermées.</p>"#)
    });
    std::fs::remove_file(site.root.join("content/_notices/roads.md")).expect("remove");
    std::fs::remove_file(site.root.join("content/_notices/roads.fr.md")).expect("remove");
    for path in ["/news/visit/", "/fr/news/visit/"] {
        server.wait_for(path, "the notice to go", |_, b| !b.contains("class=\"notice\""));
    }
}

#[test]
fn polling_sees_changes_too() {
    let site = SiteTest::new("serve-site");
    let server = Server::start_with(&site.root, &["--poll"]);
    server.edit(
        "content/news/visit.md",
        "welcomed the delegation",
        "welcomed the envoys",
    );
    server.wait_for("/news/visit/", "the edit", |_, b| {
        b.contains("welcomed the envoys")
    });
    std::fs::remove_file(site.root.join("content/news/harvest.md")).expect("remove");
    server.wait_for("/news/harvest/", "the deleted page to go", |s, _| s == 404);
}

#[test]
fn open_pages_are_told_to_reload() {
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    let mut events = server.events();
    server.write("static/site.css", "body { color: #444; }\n");
    read_until(&mut events, "event: reload\ndata: css\n");
    server.edit("content/news/visit.md", "welcomed", "greeted");
    read_until(&mut events, "event: reload\ndata: page\n");
    server.edit("content/news/visit.md", "title: \"State visit\"", "title: [");
    read_until(&mut events, "event: build-error\ndata: \"error");
}

/// Each page names the build it shows, and each event stream opens with the
/// build the site is at: a page whose reload went out before it listened
/// can tell that it is out of date.
#[test]
fn pages_and_event_streams_name_the_current_build() {
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    let build_of = |page: &str| {
        let build = page
            .split("data-build=\"")
            .nth(1)
            .and_then(|r| r.split('"').next());
        build
            .unwrap_or_else(|| panic!("no build in the page:\n{page}"))
            .to_string()
    };
    let (_, page) = server.get("/news/visit/");
    let first = build_of(&page);
    let (status, events) = server.get_events();
    assert_eq!(status, 200);
    assert!(
        events.contains(&format!("event: build\ndata: {first}\n\n")),
        "{events}"
    );
    server.edit("content/news/visit.md", "welcomed", "greeted");
    // A page read while the rebuild writes may show the edit and name the
    // build before (it is then reloaded once more): a rebuild is a new
    // build once it is published.
    let page = server.wait_for("/news/visit/", "the edit in a new build", |_, body| {
        body.contains("greeted") && build_of(body) != first
    });
    let second = build_of(&page);
    let (_, events) = server.get_events();
    assert!(
        events.contains(&format!("event: build\ndata: {second}\n\n")),
        "{events}"
    );
}

/// An edit saved right after a page has loaded must reach that page, though
/// the server may send its reload before the page's event stream is
/// connected: the page learns the current build when it connects and
/// reloads when it shows an older one. Chromium, 20 tries with the edit
/// saved at the `load` event and 20 as soon as the page's response has
/// arrived (the race at its widest); every one must reload
/// (tests/browser/reload.mjs).
#[test]
fn an_edit_saved_right_after_a_page_loads_reloads_it() {
    if !serve_support::browser_tools() {
        return;
    }
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    let tries = 20;
    for moment in ["load", "commit"] {
        let output = std::process::Command::new("timeout")
            .args(["600", "node", "reload.mjs"])
            .arg(format!("http://{}/news/visit/", server.address))
            .arg(site.root.join("content/news/visit.md"))
            .args([tries.to_string().as_str(), "10000", moment])
            .current_dir(serve_support::browser_dir())
            .output()
            .expect("node runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let report = || {
            format!(
                "edit saved at `{moment}`:\n{stdout}\n{}\n--- server log ---\n{}",
                String::from_utf8_lossy(&output.stderr),
                server.log()
            )
        };
        let reloads: Vec<serde_json::Value> = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|l| l.get("try").is_some())
            .collect();
        assert_eq!(reloads.len(), tries, "one line per try, {}", report());
        for line in &reloads {
            assert_eq!(line["reloaded"], true, "{line}, {}", report());
        }
        assert!(output.status.success(), "{}", report());
    }
}

/// The files of a fresh full build, as bytes.
pub(crate) fn full_build(options: &BuildOptions) -> HashMap<String, Vec<u8>> {
    let files = render_site(options).expect("full build").files;
    let mut map = HashMap::new();
    apply_all(&mut map, files.into_iter().map(|f| (f.path, f.content)));
    map
}

fn apply_all(map: &mut HashMap<String, Vec<u8>>, files: impl Iterator<Item = (String, FileContent)>) {
    for (path, content) in files {
        let bytes = match content {
            FileContent::Bytes(b) => b,
            FileContent::Copy(p) => std::fs::read(p).expect("copied file"),
        };
        map.insert(path, bytes);
    }
}

/// Served files under `prefix` are what a fresh full build gives.
pub(crate) fn assert_same(
    served: &HashMap<String, FileContent>,
    options: &BuildOptions,
    step: &str,
    prefix: &str,
) {
    let mut incremental = HashMap::new();
    apply_all(
        &mut incremental,
        served.iter().map(|(p, c)| (p.clone(), c.clone())),
    );
    let full = full_build(options);
    let mut paths: Vec<&String> = full
        .keys()
        .chain(incremental.keys())
        .filter(|p| p.starts_with(prefix))
        .collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        assert!(
            full.get(path) == incremental.get(path),
            "{step}: {path} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(incremental.get(path).map_or(&[][..], |b| b)),
            String::from_utf8_lossy(full.get(path).map_or(&[][..], |b| b)),
        );
    }
}

/// What `serve` starts from: the site, its options, the rebuilder and the
/// served files.
pub(crate) type Served = (SiteTest, BuildOptions, Rebuilder, HashMap<String, FileContent>);

/// The serve-site fixture built as `serve` builds it.
fn first_build() -> Served {
    served_build(SiteTest::new("serve-site"))
}

/// `site` built as `serve` builds it.
pub(crate) fn served_build(site: SiteTest) -> Served {
    let options = BuildOptions {
        root: site.root.clone(),
        base_url: Some("http://127.0.0.1:1111".to_string()),
        ..BuildOptions::default()
    };
    let mut rebuilder = Rebuilder::new(options.clone());
    let mut served = HashMap::new();
    apply(&mut served, rebuilder.full().expect("first build").update);
    (site, options, rebuilder, served)
}

/// A language without dated pages of its own says the site's newest date
/// in its feeds without entries; `serve` follows another language's page
/// when its `updated` date changes.
#[test]
fn feeds_of_a_language_without_dated_pages_follow_an_edited_date() {
    let site = SiteTest::new("serve-site");
    for english in ["harvest.md", "festival.md", "visit.md"] {
        std::fs::remove_file(site.root.join("content/news").join(english)).expect("remove");
    }
    let (site, options, mut rebuilder, mut served) = served_build(site);
    let file = "content/news/visit.fr.md";
    let text = site.read_source(file);
    let updated = "---\nupdated: 2025-12-01T09:00:00+07:00\n";
    std::fs::write(site.root.join(file), text.replacen("---\n", updated, 1)).expect("edit");
    let changes = classify(&[FileEvent {
        path: file.to_string(),
        change: FileChange::Written,
    }]);
    apply(&mut served, rebuilder.rebuild(&changes).expect("rebuild").update);
    while let Some(rest) = rebuilder.follow_up() {
        apply(&mut served, rest.expect("follow-up").update);
    }
    assert_same(&served, &options, "the French page updated", "");
    let feed = |path: &str| match &served[path] {
        FileContent::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        FileContent::Copy(p) => std::fs::read_to_string(p).expect("read"),
    };
    assert!(feed("news/atom.xml").contains("<updated>2025-12-01T09:00:00+07:00</updated>"));
}

/// `serve` holds one language's views between edits, as a build does,
/// not every language's: the default language's after the first build,
/// then the language of the page last edited. Rebuilds that show another
/// language's lists build its views then, and stay exact.
#[test]
fn one_language_s_views_are_held_at_a_time() {
    let (site, options, mut rebuilder, mut served) = first_build();
    assert_eq!(rebuilder.views_held(), Some("en"));
    let mut edit = |file: &str, text: &str, held: &str| {
        let path = site.root.join(file);
        let body = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{body}\n{text}\n")).expect("write");
        let changes = classify(&[FileEvent {
            path: file.to_string(),
            change: FileChange::Written,
        }]);
        let rebuilt = rebuilder.rebuild(&changes).expect(file);
        assert_eq!(rebuilt.scope, "pages", "{file}");
        apply(&mut served, rebuilt.update);
        while let Some(rest) = rebuilder.follow_up() {
            apply(&mut served, rest.expect(file).update);
        }
        assert_eq!(rebuilder.views_held(), Some(held), "after editing {file}");
        assert_same(&served, &options, file, "");
    };
    edit("content/news/visit.fr.md", "Une ligne de plus.", "fr");
    // Its fallback copy lists it in French: French views are built for
    // the French lists, and English ones again for its own.
    edit("content/news/festival.md", "More lanterns.", "en");
    edit("content/news/visit.fr.md", "Encore une ligne.", "fr");
}

/// A new page shifts every pager of its section and terms: its
/// structural rebuild publishes the first page of each list, and the
/// pagers past the first follow. Pagers still owed when another save
/// comes are rendered by that save's rebuild, and the whole stays exact.
#[test]
fn a_new_page_s_first_pagers_come_first() {
    let (site, options, mut rebuilder, mut served) = first_build();
    let write = |file: &str, text: &str| {
        std::fs::write(site.root.join(file), text).expect("write");
        classify(&[FileEvent {
            path: file.to_string(),
            change: FileChange::Written,
        }])
    };
    let newest = "---\ntitle: \"Newest\"\ndate: 2026-11-30T09:00:00+07:00\ntags: [\"farming\"]\n---\nNew.\n";
    let changes = write("content/news/newest.md", newest);
    apply(&mut served, rebuilder.rebuild(&changes).expect("new page").update);
    let lists = rebuilder
        .follow_up_before_search()
        .expect("the structural rebuild follows")
        .expect("lists");
    let paths = |rebuilt: &vitrine::incremental::Rebuilt| -> Vec<String> {
        match &rebuilt.update {
            Update::Patch { files, .. } => files.iter().map(|f| f.path.clone()).collect(),
            Update::Replace(_) => panic!("a patch"),
        }
    };
    let first = paths(&lists);
    assert!(first.contains(&"news/index.html".to_string()), "{first:?}");
    assert!(
        first.iter().any(|p| p.starts_with("tags/farming/index")),
        "{first:?}"
    );
    assert!(!first.iter().any(|p| p.contains("/page/")), "{first:?}");
    apply(&mut served, lists.update);
    // Saved while the pagers are owed: a French page, whose own lists
    // hold no English pager.
    let edited = std::fs::read_to_string(site.root.join("content/news/visit.fr.md"))
        .expect("read")
        .replacen("title: \"", "title: \"Encore ", 1);
    let changes = write("content/news/visit.fr.md", &edited);
    apply(
        &mut served,
        rebuilder.rebuild(&changes).expect("French title").update,
    );
    let mut pagers = Vec::new();
    while let Some(rest) = rebuilder.follow_up() {
        let rest = rest.expect("the rest");
        pagers.extend(paths(&rest));
        apply(&mut served, rest.update);
    }
    assert!(
        pagers.contains(&"news/page/2/index.html".to_string()),
        "{pagers:?}"
    );
    assert!(rebuilder.settled());
    assert_same(&served, &options, "new page, then a French title", "");
}

/// An edit to the text of a page with fallback copies publishes the page
/// and its copies at once, and the other languages' lists after (each
/// needs its language's views); a structural save made before they
/// follow takes them in, and the whole stays exact.
#[test]
fn a_fallback_copy_s_lists_follow_its_page() {
    let (site, options, mut rebuilder, mut served) = first_build();
    let save = |file: &str, from: &str, to: &str| {
        let path = site.root.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
        classify(&[FileEvent {
            path: file.to_string(),
            change: FileChange::Written,
        }])
    };
    let written = |update: &Update| -> Vec<String> {
        match update {
            Update::Patch { files, .. } => files.iter().map(|f| f.path.clone()).collect(),
            Update::Replace(_) => panic!("a patch"),
        }
    };
    assert!(served.contains_key("fr/news/index.html"));
    let changes = save("content/news/festival.md", "old town", "old quarter");
    let first = rebuilder.rebuild(&changes).expect("body");
    let paths = written(&first.update);
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("fr/") && p.contains("festival")),
        "{paths:?}"
    );
    assert!(paths.contains(&"news/index.html".to_string()), "{paths:?}");
    assert!(!paths.contains(&"fr/news/index.html".to_string()), "{paths:?}");
    apply(&mut served, first.update);
    assert!(!rebuilder.settled(), "the French lists follow");
    // Before they follow: the English page of a French one deleted, which
    // links the model again and leaves the French lists as they were.
    std::fs::remove_file(site.root.join("content/news/visit.md")).expect("delete");
    let changes = classify(&[FileEvent {
        path: "content/news/visit.md".to_string(),
        change: FileChange::Removed,
    }]);
    let title = rebuilder.rebuild(&changes).expect("deleted page");
    let mut later = written(&title.update);
    apply(&mut served, title.update);
    while let Some(rest) = rebuilder.follow_up() {
        let rest = rest.expect("the rest");
        later.extend(written(&rest.update));
        apply(&mut served, rest.update);
    }
    assert!(later.contains(&"fr/news/index.html".to_string()), "{later:?}");
    assert!(rebuilder.settled());
    assert_same(&served, &options, "fallback copy, then a deleted page", "");
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let (site, options, mut rebuilder, mut served) = first_build();
    let root = site.root.as_path();
    let mut step = |name: &str, file: &str, edit: &dyn Fn(&str) -> String, scope: &str| {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, edit(&text)).expect("write");
        let changes = classify(&[FileEvent {
            path: file.to_string(),
            change: FileChange::Written,
        }]);
        let rebuilt = rebuilder.rebuild(&changes).expect(name);
        assert_eq!(rebuilt.scope, scope, "{name}");
        apply(&mut served, rebuilt.update);
        if scope == "languages first" {
            // The languages rendered first are complete before the rest.
            assert_same(&served, &options, name, "fr/");
        }
        while let Some(rest) = rebuilder.follow_up() {
            apply(&mut served, rest.expect(name).update);
        }
        assert_same(&served, &options, name, "");
    };
    step(
        "body",
        "content/news/harvest.md",
        &|t| t.replace("record rice", "bumper rice"),
        "pages",
    );
    step(
        "body of a page with fallbacks",
        "content/news/festival.md",
        &|t| format!("{t}\nMore lanterns.\n"),
        "pages",
    );
    step(
        "first pager",
        "content/news/visit.md",
        &|t| t.replace("delegation", "delegation **today**"),
        "pages",
    );
    step(
        "front matter",
        "content/news/harvest.md",
        &|t| t.replace("farming", "agriculture"),
        "own pages first",
    );
    step(
        "fluent",
        "locales/fr/main.ftl",
        &|t| t.replace("Lire la suite", "Lire plus"),
        "languages first",
    );
    step(
        "template",
        "themes/plain/templates/section.html",
        &|t| t.replace("<ul>", "<ol>"),
        "render",
    );
    // A theme that shows a section's every page: each pager shows a body.
    step(
        "template listing all pages",
        "themes/plain/templates/section.html",
        &|t| {
            t.replace(
                "<p class=\"pager\">",
                "<p class=\"pager\">{% for p in section.pages %}{{ p.word_count }} {% endfor %}",
            )
        },
        "render",
    );
    step(
        "body shown by all pagers",
        "content/news/visit.md",
        &|t| format!("{t}\nThe talks went on late.\n"),
        "pages",
    );
    step(
        "static",
        "static/site.css",
        &|_| "p { margin: 0 }\n".to_string(),
        "static",
    );
    // Shortcodes render into bodies in the Markdown pass: their templates
    // and the messages they format reach every body calling them.
    step(
        "new shortcode",
        "themes/plain/templates/shortcodes/note.html",
        &|_| "<aside>{{ t(key=\"read-more\") }}: {{ body }}</aside>".to_string(),
        "full",
    );
    step(
        "body calls a shortcode",
        "content/news/harvest.md",
        &|t| format!("{t}\n{{% note() %}}\nBring hats.\n{{% end %}}\n"),
        "pages",
    );
    step(
        "shortcode template",
        "themes/plain/templates/shortcodes/note.html",
        &|t| t.replace("<aside>", "<aside class=\"note\">"),
        "full",
    );
    step(
        "fluent read by a shortcode",
        "locales/en/main.ftl",
        &|t| t.replace("Read more", "Read on"),
        "languages first",
    );
    step(
        "data",
        "data/facts.yaml",
        &|_| "capital: Hanoi\n".to_string(),
        "full",
    );
    step(
        "config",
        "site.yaml",
        &|t| t.replace("Serve fixture", "Serve fixture 2"),
        "full",
    );
}

/// Applies `batches` of file events one rebuild each (with its follow-up),
/// then checks the served files against a full build and the rebuild's
/// scope: structural content changes never take the full pipeline.
pub(crate) struct Session {
    pub options: BuildOptions,
    pub rebuilder: Rebuilder,
    pub served: HashMap<String, FileContent>,
}

impl Session {
    pub fn start(root: &std::path::Path) -> Session {
        let options = BuildOptions {
            root: root.to_path_buf(),
            base_url: Some("http://127.0.0.1:1111".to_string()),
            ..BuildOptions::default()
        };
        let mut rebuilder = Rebuilder::new(options.clone());
        let mut served = HashMap::new();
        apply(&mut served, rebuilder.full().expect("first build").update);
        Session {
            options,
            rebuilder,
            served,
        }
    }

    fn rebuild(&mut self, name: &str, events: &[(&str, FileChange)]) -> &'static str {
        let events: Vec<FileEvent> = events
            .iter()
            .map(|(path, change)| FileEvent {
                path: (*path).to_string(),
                change: *change,
            })
            .collect();
        let rebuilt = self.rebuilder.rebuild(&classify(&events)).expect(name);
        let scope = rebuilt.scope;
        apply(&mut self.served, rebuilt.update);
        while let Some(rest) = self.rebuilder.follow_up() {
            apply(&mut self.served, rest.expect(name).update);
        }
        scope
    }

    /// Every follow-up applied: the served files equal a full build.
    pub fn check(&mut self, name: &str, events: &[(&str, FileChange)]) {
        let scope = self.rebuild(name, events);
        // Pages edited in place or deleted are published first.
        assert!(["content", "own pages first"].contains(&scope), "{name}: {scope}");
        assert_same(&self.served, &self.options, name, "");
    }
}

#[test]
fn structural_content_changes_equal_full_builds() {
    use FileChange::{Removed, Written};
    let site = SiteTest::new("serve-site");
    let root = site.root.as_path();
    let write = |file: &str, text: &str| {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    let edit = |file: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(root.join(file)).expect("read");
        assert!(text.contains(from), "{file}: {from}");
        write(file, &text.replacen(from, to, 1));
    };
    let mut session = Session::start(root);
    let harvest = "content/news/harvest.md";
    edit(harvest, "Rice harvest", "Record rice harvest");
    session.check("title", &[(harvest, Written)]);
    edit("content/news/visit.md", "2025-09-02", "2025-06-01");
    session.check(
        "date (the page moves to another pager)",
        &[("content/news/visit.md", Written)],
    );
    edit(harvest, "\"farming\"", "\"agriculture\", \"rice\"");
    session.check("tags", &[(harvest, Written)]);
    // The feed of changes lists public change notes: front matter only.
    edit(
        harvest,
        "---\n",
        "---\nchanges:\n  - date: 2025-09-20\n    note: \"Figures updated.\"\n",
    );
    session.check("change note (the feed of changes)", &[(harvest, Written)]);
    let festival = "content/news/festival.md";
    edit(festival, "---\n", "---\ndraft: true\n");
    session.check("draft: the page and its fallback copy go", &[(festival, Written)]);
    edit(festival, "draft: true\n", "");
    session.check("draft removed", &[(festival, Written)]);
    write(
        "content/news/summit.md",
        &article("Regional summit", "2025-09-10", "Leaders met."),
    );
    session.check("new page", &[("content/news/summit.md", Written)]);
    write(
        "content/news/festival.fr.md",
        "---\ntitle: \"Fête des lanternes\"\ndate: 2025-07-01T09:00:00+07:00\ntags: [\"fête\"]\n---\nDes lanternes.\n",
    );
    session.check("new translation", &[("content/news/festival.fr.md", Written)]);
    std::fs::rename(
        root.join("content/news/summit.md"),
        root.join("content/news/summit-2025.md"),
    )
    .expect("rename");
    session.check(
        "rename in one batch",
        &[
            ("content/news/summit.md", Removed),
            ("content/news/summit-2025.md", Written),
        ],
    );
    let text = std::fs::read_to_string(root.join(harvest)).expect("read");
    std::fs::remove_file(root.join(harvest)).expect("remove");
    session.check("rename, first batch: the old file goes", &[(harvest, Removed)]);
    write("content/news/harvest-2025.md", &text);
    session.check(
        "rename, second batch: the new file comes",
        &[("content/news/harvest-2025.md", Written)],
    );
    std::fs::remove_file(root.join("content/news/visit.fr.md")).expect("remove");
    session.check(
        "deleted translation: French falls back to English",
        &[("content/news/visit.fr.md", Removed)],
    );
    std::fs::remove_file(root.join(festival)).expect("remove");
    session.check("deleted page", &[(festival, Removed)]);
    write(
        "content/culture/ao-dai.md",
        &article("Ao dai", "2025-05-01", "A long tunic."),
    );
    session.check(
        "new folder with a page",
        &[
            ("content/culture", Written),
            ("content/culture/ao-dai.md", Written),
        ],
    );
    // A page linking to one whose URL then moves, loaded by a new serve:
    // its Markdown is in its file, read again to find the link.
    write(
        "content/news/tunic-week.md",
        &article(
            "Tunic week",
            "2025-05-02",
            "See [the tunic](@/culture/ao-dai.md).",
        ),
    );
    session = Session::start(root);
    edit("content/culture/ao-dai.md", "---\n", "---\nslug: long-tunic\n");
    session.check("slug", &[("content/culture/ao-dai.md", Written)]);
    let linking = match session.served.get("news/tunic-week/index.html") {
        Some(FileContent::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("the linking page is not served: {other:?}"),
    };
    assert!(linking.contains("/culture/long-tunic/"), "{linking}");
    std::fs::remove_file(root.join("content/news/_index.fr.md")).expect("remove");
    // The `site` variable every page gets lists the sections by title:
    // every page is rendered again.
    let name = "a section's translation deleted";
    let scope = session.rebuild(name, &[("content/news/_index.fr.md", Removed)]);
    assert_eq!(scope, "content, every page", "{name}");
    assert_same(&session.served, &session.options, name, "");
    // A body edit afterwards still takes the fast path, on the new model.
    edit("content/culture/ao-dai.md", "A long tunic.", "A long silk tunic.");
    assert_eq!(
        session.rebuild(
            "body after structural changes",
            &[("content/culture/ao-dai.md", Written)]
        ),
        "pages"
    );
    assert_same(
        &session.served,
        &session.options,
        "body after structural changes",
        "",
    );
}

/// `serve` makes the search index beside its loop: an index made from a
/// model that an edit replaced meanwhile is not published, and the
/// languages it covered are indexed again.
#[test]
fn a_search_index_overtaken_by_an_edit_is_made_again() {
    let site = SiteTest::new("serve-site");
    let root = site.root.as_path();
    let edit = |file: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(root.join(file)).expect("read");
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(root.join(file), text.replacen(from, to, 1)).expect("write");
    };
    let mut session = Session::start(root);
    let rebuild = |session: &mut Session, name: &str, file: &str| {
        let changes = classify(&[FileEvent {
            path: file.to_string(),
            change: FileChange::Written,
        }]);
        let rebuilt = session.rebuilder.rebuild(&changes).expect(name);
        apply(&mut session.served, rebuilt.update);
        while let Some(rest) = session.rebuilder.follow_up_before_search() {
            apply(&mut session.served, rest.expect(name).update);
        }
    };
    edit("content/news/harvest.md", "Rice harvest", "Granary harvest");
    rebuild(&mut session, "title", "content/news/harvest.md");
    let work = session
        .rebuilder
        .search_work()
        .expect("the index is due after an edit");
    assert!(session.rebuilder.search_work().is_none(), "one index at a time");
    assert!(!session.rebuilder.settled(), "an index is being made");
    // Saved while the index is made: the body of a French page, which
    // makes only the French index due.
    edit("content/news/visit.fr.md", "accueilli", "reçu");
    rebuild(&mut session, "body", "content/news/visit.fr.md");
    let made = work.run();
    assert!(
        session.rebuilder.searched(made).is_none(),
        "an index of an older model is not published"
    );
    while let Some(rest) = session.rebuilder.follow_up() {
        apply(&mut session.served, rest.expect("the index again").update);
    }
    assert!(session.rebuilder.settled());
    assert_same(
        &session.served,
        &session.options,
        "after the index made again",
        "",
    );
    let index: String = session
        .served
        .iter()
        .filter(|(path, _)| path.starts_with("search/en/"))
        .filter_map(|(_, content)| match content {
            FileContent::Bytes(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            FileContent::Copy(_) => None,
        })
        .collect();
    assert!(
        index.to_lowercase().contains("granary"),
        "the English index has the new title"
    );
}

#[test]
fn a_failed_structural_change_is_applied_with_the_fix() {
    use FileChange::Written;
    let site = SiteTest::new("serve-site");
    let root = site.root.as_path();
    let mut session = Session::start(root);
    // Two pages claiming one URL: the model cannot be built.
    std::fs::write(
        root.join("content/news/summit.md"),
        article("Regional summit", "2025-09-10", "Leaders met."),
    )
    .expect("write");
    std::fs::write(
        root.join("content/news/meeting.md"),
        "---\ntitle: \"Meeting\"\nslug: summit\n---\nMet.\n",
    )
    .expect("write");
    let changes = classify(&[
        FileEvent {
            path: "content/news/summit.md".to_string(),
            change: Written,
        },
        FileEvent {
            path: "content/news/meeting.md".to_string(),
            change: Written,
        },
    ]);
    assert!(session.rebuilder.rebuild(&changes).is_err());
    // The fix touches one file only; the other new page comes with it.
    std::fs::write(
        root.join("content/news/meeting.md"),
        "---\ntitle: \"Meeting\"\n---\nMet.\n",
    )
    .expect("write");
    session.check("fixed", &[("content/news/meeting.md", Written)]);
    assert!(session.served.contains_key("news/summit/index.html"));
}

/// The same checks on a generated corpus (many pages, pagers, terms, five
/// languages, a theme resolving `@/` links): set VITRINE_SERVE_CORPUS to a
/// site made by `bench/corpus.sh` (a few hundred articles) and run with
/// `--ignored`. The folder is copied, not changed.
#[test]
#[ignore = "needs a generated corpus in VITRINE_SERVE_CORPUS"]
fn structural_changes_on_a_corpus_equal_full_builds() {
    use FileChange::{Removed, Written};
    let Some(corpus) = std::env::var_os("VITRINE_SERVE_CORPUS") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(format!("{}/.", corpus.to_string_lossy()))
        .arg(dir.path())
        .status()
        .expect("cp");
    assert!(status.success());
    let root = dir.path();
    let mut articles: Vec<String> = std::fs::read_dir(root.join("content/news"))
        .expect("news")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".vi.md") && !n.starts_with('_'))
        .collect();
    articles.sort();
    let vi = format!("content/news/{}", articles[0]);
    let fr = vi.replace(".vi.md", ".fr.md");
    let mut session = Session::start(root);
    let text = std::fs::read_to_string(root.join(&vi)).expect("read");
    let retitled = text.replacen("title: ", "title: \"Changed\"\nx_title: ", 1);
    let retitled = retitled
        .lines()
        .filter(|l| !l.starts_with("x_title"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(root.join(&vi), format!("{retitled}\n")).expect("write");
    session.check("title", &[(vi.as_str(), Written)]);
    let tags = std::fs::read_to_string(root.join(&vi)).expect("read");
    let tags = tags
        .lines()
        .map(|l| {
            if l.starts_with("tags:") {
                "tags: [\"brand new tag\"]"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(root.join(&vi), format!("{tags}\n")).expect("write");
    session.check("tags", &[(vi.as_str(), Written)]);
    let new = "content/news/zz-new-page.vi.md";
    std::fs::write(
        root.join(new),
        "---\ntitle: \"Brand new\"\ndate: 2025-11-01T09:00:00+07:00\ntags: [\"brand new tag\"]\n---\nNew.\n",
    )
    .expect("write");
    session.check("new page", &[(new, Written)]);
    std::fs::remove_file(root.join(new)).expect("remove");
    session.check("deleted page", &[(new, Removed)]);
    std::fs::remove_file(root.join(&fr)).expect("remove");
    session.check("deleted translation", &[(fr.as_str(), Removed)]);
}

#[test]
fn only_its_own_host_is_answered() {
    let site = SiteTest::new("serve-site");
    let server = Server::start(&site.root);
    let port = server.address.rsplit(':').next().expect("a port").to_string();
    for host in [
        server.address.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, page) = server.get_as("/news/visit/", &host);
        assert_eq!(status, 200, "{host}: {page}");
    }
    // DNS rebinding: a foreign name pointed at 127.0.0.1.
    for host in [
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        let (status, page) = server.get_as("/news/visit/", &host);
        assert_eq!(status, 403, "{host}: {page}");
        assert!(!page.contains("The president welcomed"), "{page}");
        let (status, _) = server.get_as("/__vitrine/events", &host);
        assert_eq!(status, 403, "{host}: the event stream too");
    }
}
