//! `analytics:` in site.yaml: the default theme adds the provider's script
//! (an external file, no inline code) with the page's language and section,
//! loads nothing from another host without it, and a bad setting is an
//! error at its line.

use crate::site_test::SiteTest;

/// The report fixture with the repository's default theme and its messages.
fn with_default_theme(analytics: &str) -> SiteTest {
    SiteTest::new("report-site")
        .default_theme()
        .edit_config(|yaml| format!("{}{analytics}", yaml.replace("theme: test", "theme: default")))
}

/// Every `<script` tag with a `src` in the built pages.
fn script_sources(site: &SiteTest) -> Vec<String> {
    let mut tags = Vec::new();
    for entry in walkdir::WalkDir::new(&site.out).into_iter().flatten() {
        if entry.path().extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(entry.path()).expect("read page");
            for tag in html.split("<script").skip(1) {
                let tag = tag.split('>').next().unwrap_or_default();
                if tag.contains("src=") {
                    tags.push(tag.to_string());
                }
            }
        }
    }
    tags
}

#[test]
fn without_analytics_no_page_loads_a_script_from_another_host() {
    let site = with_default_theme("").build();
    let foreign: Vec<String> = script_sources(&site)
        .into_iter()
        .filter(|t| t.contains("src=\"http") || t.contains("src=\"//"))
        .collect();
    assert!(foreign.is_empty(), "{foreign:?}");
    site.assert_exists("en/news/visit/index.html");
}

#[test]
fn plausible_gets_the_language_and_section_of_each_page() {
    let site = with_default_theme(
        "analytics:\n  provider: plausible\n  url: https://plausible.io/\n  site_id: report.example.org\n",
    )
    .build();
    site.assert_file_contains(
        "en/news/visit/index.html",
        "<script defer src=\"https://plausible.io/js/script.pageview-props.js\" \
         data-domain=\"report.example.org\" event-lang=\"en\" event-section=\"news\"></script>",
    );
    site.assert_file_contains(
        "culture/pho/index.html",
        "event-lang=\"vi\" event-section=\"culture\"",
    );
    // Every page has it (lists and the 404 too), and only as an external file.
    let tags = script_sources(&site);
    let pages = walkdir::WalkDir::new(&site.out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    let counted = tags.iter().filter(|t| t.contains("plausible.io")).count();
    assert!(
        counted + 1 >= pages && counted > 10,
        "{counted} tags for {pages} pages"
    );
}

#[test]
fn umami_and_matomo_load_their_own_script() {
    let site = with_default_theme(
        "analytics:\n  provider: umami\n  url: https://stats.example.org\n  site_id: 94db1cb1-74f4-4a40-ad6c-962362670409\n",
    )
    .build();
    site.assert_file_contains(
        "en/news/visit/index.html",
        "<script defer src=\"https://stats.example.org/script.js\" \
         data-website-id=\"94db1cb1-74f4-4a40-ad6c-962362670409\" data-tag=\"en/news\" data-do-not-track=\"true\"></script>",
    );
    let site = with_default_theme(
        "analytics:\n  provider: matomo\n  url: https://example.matomo.cloud\n  site_id: abc123XY\n",
    )
    .build();
    site.assert_file_contains(
        "news/visit/index.html",
        "<script async src=\"https://example.matomo.cloud/js/container_abc123XY.js\" data-lang=\"vi\" data-section=\"news\"></script>",
    );
}

#[test]
fn a_bad_analytics_setting_is_an_error_at_its_line() {
    let site = with_default_theme(
        "analytics:\n  provider: plausible\n  url: http://plausible.io\n  site_id: \"x y\"\n",
    );
    let errors = site.expect_error();
    let text = format!("{errors:?}");
    assert!(
        text.contains("analytics url `http://plausible.io` is not an https URL"),
        "{text}"
    );
    assert!(text.contains("analytics site_id `x y`"), "{text}");
    let site = with_default_theme("analytics:\n  provider: google\n  url: https://x.org\n  site_id: a\n");
    let text = format!("{:?}", site.expect_error());
    assert!(text.contains("google"), "{text}");
}
