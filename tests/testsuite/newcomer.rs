//! A site made by `vitrine init`, tried as a newcomer would: it builds, every
//! link of every page leads to a page of the site (the navigation's search
//! link included), `check --strict` is clean, the `.gitignore` keeps build
//! products out of version control, and `vitrine new --translate-from` leaves
//! no instruction text in the published page.

use std::path::Path;

use crate::site_test::{SiteTest, code};

/// Every `href` of every page that stays on the site, as output paths.
fn internal_links(public: &Path, base_url: &str) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for file in walkdir::WalkDir::new(public).into_iter().flatten() {
        if file.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = file
            .path()
            .strip_prefix(public)
            .expect("inside")
            .display()
            .to_string();
        let html = std::fs::read_to_string(file.path()).expect("read a page");
        for part in html.split("href=\"").skip(1) {
            let href = part.split('"').next().unwrap_or_default();
            let local = href.strip_prefix(base_url).unwrap_or(href);
            if local.starts_with('/') && !local.starts_with("//") {
                let path = local.split(['#', '?']).next().unwrap_or_default();
                links.push((page.clone(), path.to_string()));
            }
        }
    }
    links
}

#[test]
fn an_init_site_has_no_dead_links_and_passes_check_strict() {
    let site = SiteTest::init();
    let root = &site.root;
    let build = site.cmd(&["build"]);
    assert_eq!(code(&build), 0, "{}", String::from_utf8_lossy(&build.stderr));
    let public = root.join("public");
    let links = internal_links(&public, "https://example.org");
    assert!(
        links.iter().any(|(_, l)| l.ends_with("/search/")),
        "the navigation links to the search page"
    );
    for (page, link) in &links {
        let target = public.join(link.trim_start_matches('/'));
        let exists = if link.ends_with('/') {
            target.join("index.html").is_file()
        } else {
            target.is_file()
        };
        assert!(exists, "{page} links to {link}, which the build did not make");
    }

    // The search page says what the site is about (Lighthouse's SEO audit).
    let search = std::fs::read_to_string(public.join("search/index.html")).expect("the search page");
    assert!(
        search.contains("<meta name=\"description\" content=\"A new vitrine site\">"),
        "{search}"
    );

    let check = site.cmd(&["check", "--strict"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(
        code(&check),
        0,
        "check --strict is clean on a new site:\n{stderr}"
    );
    assert!(!stderr.contains("warning"), "no warning on a new site:\n{stderr}");

    let ignore = std::fs::read_to_string(root.join(".gitignore")).expect(".gitignore");
    let ignored: Vec<&str> = ignore.lines().collect();
    assert!(ignored.contains(&"public/"), "{ignore}");
    assert!(
        ignored.contains(&".vitrine-cache/"),
        "the image cache is not committed: {ignore}"
    );
}

#[test]
fn a_new_translation_publishes_no_instructions() {
    let site = SiteTest::init();
    let root = &site.root;
    let out = site.cmd(&["new", "about/history", "--lang", "fr", "--translate-from", "en"]);
    // The page has no English version yet: write one first.
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(
        root.join("content/about/history.md"),
        "---\ntitle: \"History\"\ndate: 2025-02-01\n---\n\nThe story of the portal.\n",
    )
    .expect("write the source");
    let out = site.cmd(&["new", "about/history", "--lang", "fr", "--translate-from", "en"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let draft = std::fs::read_to_string(root.join("content/about/history.fr.md")).expect("the translation");
    assert!(
        draft.contains("Translate content/about/history.md (en) into fr"),
        "the translator is told what to do:\n{draft}"
    );

    let build = site.cmd(&["build", "--drafts"]);
    assert_eq!(code(&build), 0, "{}", String::from_utf8_lossy(&build.stderr));
    let page =
        std::fs::read_to_string(root.join("public/fr/about/history/index.html")).expect("the French page");
    assert!(
        !page.contains("Translate "),
        "instructions are not published:\n{page}"
    );
    assert!(!page.contains("&lt;!--"), "no escaped comment is published");
}
