//! Output any host can serve: the sample portal built under a sub-path
//! `base_url` and served at that sub-path on loopback, every `href`, `src`,
//! `srcset` and search index of every page fetched; `--base-url` checked
//! like `base_url`; `_headers` and `_redirects` for Netlify-like hosts.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::site_test::{SiteTest, code};

/// Serves `dir` at `http://127.0.0.1:<port>/portal/` and nothing elsewhere.
fn serve_under_portal(server: tiny_http::Server, dir: PathBuf) {
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split(['?', '#']).next().unwrap_or("").to_string();
            let decoded = percent_encoding::percent_decode_str(&path)
                .decode_utf8_lossy()
                .into_owned();
            let file = decoded.strip_prefix("/portal/").map(|rest| {
                let mut f = dir.join(rest);
                if f.is_dir() {
                    f = f.join("index.html");
                }
                f
            });
            let answer = match file.filter(|f| f.is_file()).and_then(|f| std::fs::read(f).ok()) {
                Some(bytes) => tiny_http::Response::from_data(bytes).with_status_code(200),
                None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(answer);
        }
    });
}

/// Every link target of an HTML page: href, src, each srcset candidate,
/// and the search index the search page fetches.
fn targets(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\"", " srcset=\"", " data-index=\""] {
        for piece in html.split(attribute).skip(1) {
            let value = piece.split('"').next().unwrap_or("").replace("&amp;", "&");
            match attribute {
                " srcset=\"" => found.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                ),
                " data-index=\"" => found.push(format!("{value}meta.json")),
                _ => found.push(value),
            }
        }
    }
    found
}

#[test]
fn the_sample_portal_under_a_sub_path_resolves_every_link() {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("a loopback server");
    let port = server.server_addr().to_ip().expect("an IP address").port();
    let base = format!("http://127.0.0.1:{port}/portal/");
    // The sample portal, with every language under its prefix, so that the
    // root language picker is built too.
    let t = SiteTest::portal()
        .replace(
            "site.yaml",
            "default_language_at_root: true",
            "default_language_at_root: false",
        )
        .with_options(|o| o.base_url = Some(base.clone()))
        .build();
    let out = t.out.clone();
    serve_under_portal(server, out.clone());

    let mut links = BTreeSet::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let rel = entry
            .path()
            .strip_prefix(&out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let page = url::Url::parse(&base)
            .and_then(|b| b.join(&rel))
            .expect("page URL");
        let html = std::fs::read_to_string(entry.path()).expect("read a page");
        for target in targets(&html) {
            if target.starts_with('#')
                || target.starts_with("//")
                || target.contains(':') && !target.starts_with("http")
            {
                continue; // fragments, mailto:, data:
            }
            let resolved = page
                .join(&target)
                .unwrap_or_else(|e| panic!("{rel}: bad link {target}: {e}"));
            if resolved.host_str() != Some("127.0.0.1") {
                continue; // sharing links and other sites
            }
            links.insert((
                resolved.as_str().split('#').next().unwrap_or("").to_string(),
                rel.clone(),
            ));
        }
    }
    assert!(pages > 100, "only {pages} pages");
    let unique: BTreeSet<&String> = links.iter().map(|(u, _)| u).collect();
    assert!(unique.iter().any(|u| u.ends_with("/portal/style.css")));
    assert!(
        unique
            .iter()
            .any(|u| u.contains("/portal/search/") && u.ends_with("meta.json"))
    );
    let outside: Vec<&&String> = unique.iter().filter(|u| !u.starts_with(&base)).collect();
    assert!(outside.is_empty(), "links escape the base path: {outside:?}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut broken = Vec::new();
    for url in unique {
        let status = agent
            .get(url.as_str())
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        // A known defect outside hosting: a fallback copy links its terms in
        // the language it is shown in, where taxonomies leave it out.
        let term_page = ["tags/", "topics/", "regions/"]
            .iter()
            .any(|t| url.contains(&format!("/{t}")) && !url.ends_with(t));
        if status != 200 && !term_page {
            let on = links
                .iter()
                .find(|(u, _)| u == url)
                .map_or("", |(_, p)| p.as_str());
            broken.push(format!("{status} {url} (on {on})"));
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links, first:\n{}",
        broken.len(),
        broken[..broken.len().min(400)].join("\n")
    );
    // The picker at the root offers every language under the sub-path.
    let picker = std::fs::read_to_string(out.join("index.html")).expect("picker");
    assert!(picker.contains(&format!("href=\"{base}en/\"")), "{picker}");
}

#[test]
fn base_url_on_the_command_line_is_checked() {
    let t = SiteTest::new("minimal");
    for bad in [
        "not a url",
        "ftp://example.org",
        "https://",
        "https://exa mple.org/",
    ] {
        let run = t.cmd(&["build", "--base-url", bad]);
        let err = String::from_utf8_lossy(&run.stderr).into_owned();
        assert_eq!(code(&run), 1, "{bad}: {err}");
        assert!(
            err.contains("--base-url") && err.contains("https://example.org"),
            "{err}"
        );
        assert!(!t.root.join("public").exists(), "{bad}: a site was written");
    }
    let run = t.cmd(&["build", "--base-url", "https://example.org/portal/"]);
    assert_eq!(code(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    let sitemap = std::fs::read_to_string(t.root.join("public/sitemap.xml")).expect("sitemap");
    assert!(
        sitemap.contains("<loc>https://example.org/portal/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn headers_and_redirects_for_netlify_like_hosts() {
    let t = SiteTest::new("minimal")
        .replace("site.yaml", "theme: test", "theme: test\ndefault_language_at_root: false\nheaders:\n  - for: \"/*.pdf\"\n    values:\n      Content-Disposition: attachment")
        .build();
    let headers = t.read("_headers");
    assert!(
        headers.contains("/processed_images/*\n  Cache-Control: public, max-age=31536000, immutable"),
        "{headers}"
    );
    assert!(headers.contains("/en/*\n  Content-Language: en"), "{headers}");
    assert!(
        headers.contains("/*.pdf\n  Content-Disposition: attachment"),
        "{headers}"
    );
    // The catch-all Cache-Control would be joined to the specific ones.
    assert!(!headers.contains("\n/*\n  Cache-Control"), "{headers}");
    let redirects = t.read("_redirects");
    assert!(redirects.contains("/  /en/  302  Language=en"), "{redirects}");
    assert!(redirects.contains("/  /vi/  302  Language=vi"), "{redirects}");
}

#[test]
fn keep_in_output_survives_builds_and_bad_names_are_errors() {
    let t = SiteTest::new("minimal").replace(
        "site.yaml",
        "theme: test",
        "theme: test\nkeep_in_output: [\".git\", \".nojekyll\", \"CNAME\"]",
    );
    let out = t.build_into("public");
    std::fs::create_dir_all(out.join(".git")).expect("mkdir");
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/main").expect("write");
    std::fs::write(out.join(".nojekyll"), "").expect("write");
    std::fs::write(out.join("stale.html"), "old").expect("write");
    let again = t.build_into("public");
    assert_eq!(
        std::fs::read_to_string(again.join(".git/HEAD")).expect("kept"),
        "ref: refs/heads/main"
    );
    assert!(again.join(".nojekyll").exists());
    assert!(!again.join("stale.html").exists(), "a stale file was kept");

    let bad = SiteTest::new("minimal").replace(
        "site.yaml",
        "theme: test",
        "theme: test\nkeep_in_output: [\"../etc\"]",
    );
    let d = bad.expect_error();
    assert!(
        crate::site_test::show(&d).contains("not a name in the output folder"),
        "{}",
        crate::site_test::show(&d)
    );
}

#[test]
fn relative_output_works_from_files() {
    let t = SiteTest::new("minimal")
        .with_options(|o| o.relative = true)
        .build();
    let base = "https://minimal.example.org/";
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&t.out).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read a page");
        let page = url::Url::from_file_path(entry.path()).expect("file URL");
        let rel = entry
            .path()
            .strip_prefix(&t.out)
            .expect("inside")
            .display()
            .to_string();
        if rel == "404.html" {
            continue; // a copy of the default language's 404 page, for hosts
        }
        if html.contains("rel=\"canonical\"") {
            assert!(
                html.contains(&format!("rel=\"canonical\" href=\"{base}")),
                "{rel}: canonical not absolute"
            );
        }
        for target in targets(&html) {
            if target.starts_with('#') || target.contains(':') {
                continue;
            }
            let file = page
                .join(&target)
                .expect("link")
                .to_file_path()
                .expect("a file path");
            assert!(file.is_file(), "{rel}: `{target}` is not a file from file://");
            checked += 1;
        }
        // The site's own absolute URLs remain only in <link rel=canonical|alternate>.
        for line in html.split('<').filter(|tag| tag.contains(&format!("=\"{base}"))) {
            assert!(
                line.starts_with("link") && (line.contains("canonical") || line.contains("alternate"))
                    || line.starts_with("meta")
                    || line.starts_with("script"),
                "{rel}: absolute link left: <{line}"
            );
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}
