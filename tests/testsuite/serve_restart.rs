//! `serve` keeps the files it serves in `.vitrine-cache/serve/` and,
//! stopped with Ctrl+C, records them with the build cache, so the next
//! `serve` at the same address of an unchanged site starts from them
//! without rendering. Checked on real `vitrine serve` processes: the
//! recorded folder is byte for byte a full build; inputs changed while
//! stopped are patched into it as `build` patches its output, with the
//! same result; and anything that makes it doubtful (a serve killed after
//! an edit, a served file edited by hand, a change reaching every page)
//! makes the next one render everything. Each address has its own folder; a site folder that cannot
//! hold one is served from memory. A `serve` with no folder yet starts
//! from a build's output (the files are rendered as a build renders them,
//! links rebased as they are sent), never from one edited by hand.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;

use vitrine::build::BuildOptions;
use walkdir::WalkDir;

use crate::serve::full_build;
use crate::serve_support::Server;
use crate::site_test::SiteTest;

const FROM_FOLDER: &str = "nothing changed since the last serve";
const EVERYTHING: &str = "rendering everything";
const PATCHED: &str = "patched as a build would";
const KEPT: &str = "the Markdown records kept with the files";
const ADOPTED: &str = "(the patched one)";
const TAKEN_UP: &str = "started from the files built in";

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// The served folder of the one address the test served at.
fn served_folder(root: &Path) -> std::path::PathBuf {
    let folders: Vec<_> = std::fs::read_dir(root.join(".vitrine-cache/serve"))
        .expect("served folders")
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    folders[0].clone()
}

/// The served folder's files, by path.
fn folder(root: &Path) -> HashMap<String, Vec<u8>> {
    let dir = served_folder(root);
    WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&dir).expect("inside").to_string_lossy();
            (rel.replace('\\', "/"), std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The folder holds exactly what a full build gives: `serve` renders
/// the site under its own `base_url`, and rebases links as it sends them.
fn assert_folder_is_a_full_build(root: &Path, step: &str) {
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    let full = full_build(&options);
    let served = folder(root);
    let mut paths: Vec<&String> = full.keys().chain(served.keys()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        assert!(
            full.get(path) == served.get(path),
            "{step}: {path} in the served folder differs from a full build"
        );
    }
}

/// Waits until the server has its model for the next edits; its log.
fn wait_for_the_model(server: &Server) -> String {
    let waited = std::time::Instant::now();
    loop {
        let log = server.log();
        if log.contains("model loaded") {
            return log;
        }
        assert!(waited.elapsed() < crate::serve_support::PATIENCE, "{log}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn page_title(server: &Server, path: &str) -> String {
    let (status, body) = server.get(path);
    assert_eq!(status, 200, "{path}");
    let start = body.find("<title>").expect("title") + 7;
    body[start..start + body[start..].find("</title>").expect("end")].to_string()
}

#[test]
fn a_serve_stopped_with_ctrl_c_is_restarted_from_its_files() {
    let site = SiteTest::new("serve-site");
    let port = free_port();
    let server = Server::start_at(&site.root, port, &[]);
    assert!(server.log().contains(EVERYTHING), "{}", server.log());
    // Edits while serving: the folder follows them.
    server.edit("content/news/harvest.md", "Rice harvest", "Record rice harvest");
    server.wait_for("/news/harvest/", "the title edit", |s, b| {
        s == 200 && b.contains("Record rice harvest")
    });
    server.write(
        "content/news/summit.md",
        "---\ntitle: \"Regional summit\"\ndate: 2025-09-10\n---\nLeaders met.\n",
    );
    server.wait_for("/news/", "the new page listed", |s, b| {
        s == 200 && b.contains("Regional summit")
    });
    server.wait_until_idle();
    let log = server.interrupt();
    assert!(log.contains("recording the served files"), "{log}");
    assert_folder_is_a_full_build(&site.root, "after the edits");

    // Started again: served from the folder, then edits work as ever.
    let server = Server::start_at(&site.root, port, &[]);
    let log = server.log();
    assert!(log.contains(FROM_FOLDER), "{log}");
    assert!(!log.contains(EVERYTHING), "{log}");
    assert!(page_title(&server, "/news/harvest/").contains("Record rice harvest"));
    assert_eq!(server.get("/news/summit/").0, 200);
    server.wait_for("/news/", "nothing", |s, _| s == 200);
    let log = wait_for_the_model(&server);
    assert!(log.contains(KEPT), "{log}");
    server.edit("content/news/harvest.md", "Record rice", "Bumper rice");
    server.wait_for("/news/harvest/", "an edit after the restart", |s, b| {
        s == 200 && b.contains("Bumper rice harvest")
    });
    // The feed and lists follow the page; Ctrl+C before them records nothing.
    server.wait_for("/atom.xml", "the feed following", |s, b| {
        s == 200 && b.contains("Bumper rice harvest")
    });
    server.wait_until_idle();
    let log = server.interrupt();
    assert!(log.contains("recording the served files"), "{log}");
    assert_folder_is_a_full_build(&site.root, "after the restart");
}

#[test]
fn a_doubtful_folder_is_never_served() {
    let site = SiteTest::new("serve-site");
    let port = free_port();
    let restart = |why: &str| {
        let server = Server::start_at(&site.root, port, &[]);
        let log = server.log();
        assert!(log.contains(EVERYTHING), "{why}: {log}");
        server
    };
    Server::start_at(&site.root, port, &[]).interrupt();

    // A change that may reach every page, made while no serve ran.
    edit_file(
        &site.root,
        "content/news/harvest.md",
        "Rice harvest",
        "Late rice harvest",
    );
    edit_file(&site.root, "site.yaml", "Serve fixture", "Serve fixture portal");
    let server = restart("site.yaml changed");
    assert!(page_title(&server, "/news/harvest/").contains("Late rice harvest"));
    // Stopped before its model is loaded behind the served files, a serve
    // records nothing: the next part needs the record.
    server.wait_until_idle();
    let log = server.interrupt();
    assert!(log.contains("recording the served files"), "{log}");

    // Killed (kill -9) after an edit: its record went before the edit.
    // The edit waits for the model: one saved while the model loads is
    // patched as a build patches, and recorded with the folder it made,
    // which the next serve then rightly takes up.
    let server = Server::start_at(&site.root, port, &[]);
    assert!(server.log().contains(FROM_FOLDER), "{}", server.log());
    wait_for_the_model(&server);
    server.edit("content/news/harvest.md", "Late rice", "Early rice");
    server.wait_for("/news/harvest/", "the edit", |s, b| {
        s == 200 && b.contains("Early rice")
    });
    drop(server);
    restart("killed after an edit").interrupt();

    // A served file edited by hand.
    let page = served_folder(&site.root).join("news/harvest/index.html");
    std::fs::write(&page, "forged").expect("write");
    let server = restart("a served file edited");
    assert!(page_title(&server, "/news/harvest/").contains("Early rice harvest"));
    server.wait_until_idle();
    let log = server.interrupt();
    assert!(log.contains("recording the served files"), "{log}");

    // Another address: the files do not name the address (links are
    // rebased as they are sent), so it starts from the first address's
    // files, in a folder of its own, and leaves the first one's alone.
    let other = Server::start_at(&site.root, free_port(), &[]);
    let log = other.log();
    assert!(log.contains(TAKEN_UP) && log.contains(FROM_FOLDER), "{log}");
    assert!(page_title(&other, "/news/harvest/").contains("Early rice harvest"));
    other.interrupt();
    let server = Server::start_at(&site.root, port, &[]);
    assert!(server.log().contains(FROM_FOLDER), "{}", server.log());
    assert!(page_title(&server, "/news/harvest/").contains("Early rice harvest"));
}

#[test]
fn a_site_folder_without_room_for_served_files_is_served_from_memory() {
    let site = SiteTest::new("serve-site");
    // `.vitrine-cache/serve` cannot be made a folder: as on a read-only
    // mount, the served files cannot go to disk.
    let blocker = site.root.join(".vitrine-cache/serve");
    std::fs::create_dir_all(blocker.parent().expect("parent")).expect("mkdir");
    std::fs::write(&blocker, "not a folder").expect("write");
    let server = Server::start(&site.root);
    assert!(server.log().contains("served from memory"), "{}", server.log());
    assert!(page_title(&server, "/news/harvest/").contains("Rice harvest"));
    server.edit("content/news/harvest.md", "Rice harvest", "Record rice harvest");
    server.wait_for("/news/harvest/", "the title edit", |s, b| {
        s == 200 && b.contains("Record rice harvest")
    });
    let log = server.interrupt();
    assert!(!log.contains("recording the served files"), "{log}");
    assert_eq!(std::fs::read_to_string(&blocker).expect("read"), "not a folder");
}

/// Replaces `from` by `to` in a file of the site, as an editor would with
/// no `serve` running.
/// Stops `server` with Ctrl+C once idle: it records its folder, which
/// holds exactly what a full build gives.
fn stop_with_a_full_build(server: Server, root: &Path, step: &str) {
    server.wait_until_idle();
    let log = server.interrupt();
    assert!(log.contains("recording the served files"), "{step}: {log}");
    assert_folder_is_a_full_build(root, step);
}

/// `vitrine build --root site -o ../public`, run from the folder that
/// holds the site, into `site.out` beside it: the server, started from
/// elsewhere, must find the build where it was written, whatever folder
/// the build ran in and named its output from.
fn build_into_public(site: &SiteTest) {
    let beside = site.root.parent().expect("the temporary folder");
    let built = crate::site_test::vitrine_cmd(&["build", "--root", "site", "-o", "../public"], beside);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(site.out.join("index.html").is_file(), "the build went elsewhere");
}

fn edit_file(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} does not contain {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn inputs_changed_while_stopped_are_patched_into_the_folder() {
    let site = SiteTest::new("serve-site");
    // A build would write precompressed siblings; the served folder has none.
    edit_file(
        &site.root,
        "site.yaml",
        "theme: plain",
        "theme: plain\ncompress: [gz]",
    );
    let port = free_port();
    let first = Server::start_at(&site.root, port, &[]);
    first.wait_until_idle();
    assert!(first.interrupt().contains("recording the served files"));

    // Each kind of edit an editor makes between two serves: the next one
    // patches the folder and serves exactly what a full build gives.
    // Each step: what changed, the change, and a page that must show it.
    type Step<'a> = (&'a str, &'a dyn Fn(&Path), &'a str, &'a str);
    let steps: [Step; 4] = [
        (
            "a body edit",
            &|root| {
                edit_file(
                    root,
                    "content/news/harvest.md",
                    "A record",
                    "A bumper year: a record",
                )
            },
            "/news/harvest/",
            "A bumper year",
        ),
        (
            "a title edit",
            &|root| edit_file(root, "content/news/festival.md", "title: \"", "title: \"Great "),
            "/news/festival/",
            "<title>Great Lantern festival",
        ),
        (
            "a new page",
            &|root| {
                std::fs::write(
                    root.join("content/news/summit.md"),
                    "---\ntitle: \"Regional summit\"\ndate: 2025-09-10\ntags: [policy]\n---\nLeaders met.\n",
                )
                .expect("write")
            },
            "/news/summit/",
            "Leaders met.",
        ),
        (
            "a deleted translation",
            &|root| std::fs::remove_file(root.join("content/news/visit.fr.md")).expect("remove"),
            "/fr/news/visit/",
            "lang=\"en\"",
        ),
    ];
    for (step, change, path, shows) in steps {
        change(&site.root);
        if step == "a title edit" {
            // Without kept Markdown records the patch renders every body
            // into a new store, which the server goes on appending to and
            // keeps again when it stops.
            let record = vitrine::cache::record_file(&site.root, &served_folder(&site.root));
            std::fs::remove_file(record.with_extension("bodies")).expect("the kept records");
        }
        let server = Server::start_at(&site.root, port, &[]);
        let log = server.log();
        assert!(log.contains(PATCHED), "{step}: {log}");
        assert!(!log.contains(EVERYTHING), "{step}: {log}");
        let (status, body) = server.get(path);
        assert!(
            status == 200 && body.contains(shows),
            "{step}: {path} does not show it"
        );
        assert_folder_is_a_full_build(&site.root, step);
        let gz = folder(&site.root)
            .into_keys()
            .filter(|p| p.ends_with(".gz"))
            .count();
        assert_eq!(gz, 0, "{step}: the served folder has precompressed files");
        server.wait_until_idle();
        assert!(server.log().contains(ADOPTED), "{step}: {}", server.log());
        let log = server.interrupt();
        assert!(log.contains("recording the served files"), "{step}: {log}");
        assert!(!log.contains("cannot record"), "{step}: {log}");
    }

    // After a patched start, edits are rebuilt from the patched model as
    // ever.
    edit_file(
        &site.root,
        "content/news/summit.md",
        "Leaders met.",
        "Leaders met again.",
    );
    let server = Server::start_at(&site.root, port, &[]);
    let log = wait_for_the_model(&server);
    assert!(log.contains(ADOPTED), "{log}");
    server.edit("content/news/summit.md", "Regional summit", "National summit");
    server.wait_for("/news/", "the edited title listed", |s, b| {
        s == 200 && b.contains("National summit")
    });
    stop_with_a_full_build(server, &site.root, "an edit after a patched start");
}

#[test]
fn kept_markdown_records_that_do_not_read_back_are_never_served() {
    let site = SiteTest::new("serve-site");
    let port = free_port();
    let first = Server::start_at(&site.root, port, &[]);
    first.wait_until_idle();
    assert!(first.interrupt().contains("recording the served files"));

    // Every byte of the bodies' HTML and search terms changed on disk.
    let store = vitrine::cache::record_file(&site.root, &served_folder(&site.root)).with_extension("store");
    let bytes: Vec<u8> = std::fs::read(&store)
        .expect("the kept store")
        .iter()
        .map(|b| !b)
        .collect();
    assert!(!bytes.is_empty());
    std::fs::write(&store, bytes).expect("write");

    let server = Server::start_at(&site.root, port, &[]);
    assert!(server.log().contains(FROM_FOLDER), "{}", server.log());
    wait_for_the_model(&server);
    // A new page: its lists, feeds and search index show the other
    // pages' bodies, which are read from the damaged file.
    server.write(
        "content/news/summit.md",
        "---\ntitle: \"Regional summit\"\ndate: 2025-09-10\ntags: [farming]\n---\nLeaders met.\n",
    );
    server.wait_for("/news/", "the new page listed", |s, b| {
        s == 200 && b.contains("Regional summit")
    });
    server.wait_until_idle();
    let log = server.interrupt();
    assert!(log.contains("does not read back"), "{log}");
    assert_folder_is_a_full_build(&site.root, "after a damaged store");
}

/// `serve` renders the site as a build of the same options does, so a
/// `vitrine build`'s output starts a server that has no folder yet: its
/// files are taken up but for the precompressed siblings, its record and
/// kept Markdown records too, and what changed since is patched in. The
/// build's output is left as it was.
#[test]
fn a_build_s_output_starts_the_server() {
    let site = SiteTest::new("serve-site");
    edit_file(
        &site.root,
        "site.yaml",
        "theme: plain",
        "theme: plain\ncompress: [gz]",
    );
    build_into_public(&site);
    let public = crate::site_test::read_tree(&site.out);
    assert!(public.contains_key("news/harvest/index.html.gz"));
    // Edited after the build, before the server starts.
    edit_file(
        &site.root,
        "content/news/harvest.md",
        "A record",
        "A bumper year: a record",
    );
    let port = free_port();
    let server = Server::start_at(&site.root, port, &[]);
    let log = server.log();
    assert!(log.contains(TAKEN_UP) && log.contains(PATCHED), "{log}");
    assert!(!log.contains(EVERYTHING), "{log}");
    // Links lead to the server, in the page and in the feed.
    let local = format!("http://{}/", server.address);
    let (status, page) = server.get("/news/harvest/");
    assert_eq!(status, 200);
    assert!(page.contains("A bumper year"), "{page}");
    assert!(page.contains(&format!("href=\"{local}news/harvest/\"")), "{page}");
    assert!(page.contains(&format!("href=\"{local}site.css\"")), "{page}");
    assert!(!page.contains("portal.example.org"), "{page}");
    // A reader who typed another of the server's names gets links to it.
    let (_, page) = server.get_as("/news/harvest/", &format!("localhost:{port}"));
    assert!(
        page.contains(&format!("href=\"http://localhost:{port}/news/harvest/\"")),
        "{page}"
    );
    let (_, feed) = server.get("/atom.xml");
    assert!(
        feed.contains(&local) && !feed.contains("portal.example.org"),
        "{feed}"
    );
    assert_folder_is_a_full_build(&site.root, "taken up from a build, then patched");
    assert!(folder(&site.root).keys().all(|p| !p.ends_with(".gz")));
    let log = wait_for_the_model(&server);
    assert!(log.contains(KEPT) || log.contains(ADOPTED), "{log}");
    server.edit("content/news/festival.md", "title: \"", "title: \"Great ");
    server.wait_for("/news/festival/", "the edited title", |s, b| {
        s == 200 && b.contains("<title>Great Lantern festival")
    });
    stop_with_a_full_build(server, &site.root, "an edit after starting from a build");
    assert_eq!(
        crate::site_test::read_tree(&site.out),
        public,
        "the build's output changed"
    );

    // The served folder removed by hand, its record left behind: the next
    // serve at that address takes up a build made since.
    std::fs::remove_dir_all(served_folder(&site.root)).expect("remove the served folder");
    build_into_public(&site);
    let server = Server::start_at(&site.root, port, &[]);
    let log = server.log();
    assert!(log.contains(TAKEN_UP) && log.contains(FROM_FOLDER), "{log}");
    assert!(page_title(&server, "/news/festival/").contains("Great Lantern festival"));
    stop_with_a_full_build(server, &site.root, "taken up again after the folder went");
}

/// A build's output that is not as the build left it (a file edited by
/// hand) is never taken up: the server renders everything.
#[test]
fn a_build_s_output_edited_by_hand_is_not_taken_up() {
    let site = SiteTest::new("serve-site");
    build_into_public(&site);
    std::fs::write(site.out.join("news/harvest/index.html"), "forged").expect("forge");
    let server = Server::start_at(&site.root, free_port(), &[]);
    let log = server.log();
    assert!(log.contains(EVERYTHING) && !log.contains(TAKEN_UP), "{log}");
    assert!(page_title(&server, "/news/harvest/").contains("Rice harvest"));
    stop_with_a_full_build(server, &site.root, "rendered beside a forged build");
}

/// A site published under a path of its origin is served under that
/// path, its links (absolute and from the root) leading to the server.
#[test]
fn a_site_under_a_path_is_served_under_it() {
    let site = SiteTest::new("serve-site");
    edit_file(
        &site.root,
        "site.yaml",
        "https://portal.example.org",
        "https://example.org/portal/",
    );
    let server = Server::start_at(&site.root, free_port(), &[]);
    assert!(
        server
            .log()
            .contains(&format!("Serving http://{}/portal/", server.address))
    );
    let (status, page) = server.get("/portal/news/harvest/");
    assert_eq!(status, 200, "{page}");
    let local = format!("http://{}/portal/", server.address);
    assert!(page.contains(&format!("href=\"{local}news/harvest/\"")), "{page}");
    assert!(page.contains(&format!("href=\"{local}site.css\"")), "{page}");
    let (status, css) = server.get("/portal/site.css");
    assert_eq!(status, 200, "{css}");
    assert!(!page.contains("example.org"), "{page}");
    let (status, _) = server.get("/portal/news/harvest");
    assert_eq!(status, 301);
    let (status, _) = server.get("/");
    assert_eq!(status, 301);
    let (status, _) = server.get("/news/harvest/");
    assert_eq!(status, 404);
}

/// A file saved while a restarted server loads its model behind the
/// served files is patched into the folder, as one saved while it was
/// stopped, rather than everything being rendered again. The save is made
/// as soon as the server serves: on a corpus of 1,000 articles × 5
/// languages the model takes long enough to load that it lands meanwhile.
#[test]
fn a_save_made_while_the_model_loads_is_patched_in() {
    let site = SiteTest::corpus(1000);
    let mut articles: Vec<String> = std::fs::read_dir(site.root.join("content/news"))
        .expect("the news folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && !name.starts_with("_index"))
        .collect();
    articles.sort();
    let article = format!("content/news/{}", articles[0]);
    let port = free_port();
    let first = Server::start_at(&site.root, port, &[]);
    first.wait_until_idle();
    assert!(first.interrupt().contains("recording the served files"));

    let server = Server::start_at(&site.root, port, &[]);
    let path = site.root.join(&article);
    let text = std::fs::read_to_string(&path).expect("read the article");
    std::fs::write(&path, format!("{text}\nSaved while the model loaded.\n")).expect("save");
    wait_for_the_model(&server);
    server.wait_until_idle();
    let log = server.interrupt();
    assert!(log.contains(FROM_FOLDER), "{log}");
    assert!(!log.contains("pages rendered (full)"), "{log}");
    assert_folder_is_a_full_build(&site.root, "saved while the model loaded");
    let served = folder(&site.root);
    assert!(
        served
            .values()
            .any(|page| String::from_utf8_lossy(page).contains("Saved while the model loaded.")),
        "the save is not served"
    );
}
