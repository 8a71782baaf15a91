//! The JSON schema as documented, and the text and HTML reports.

use std::path::Path;

use serde_json::Value;

use super::check::check;
use super::{page, status_json};
use crate::site_test::SiteTest;

/// Every key of the JSON outputs, as documented in the README.
const STATUS_KEYS: &[&str] = &[
    "unpublished",
    "policy",
    "version",
    "default_language",
    "languages",
    "sections",
    "pages",
    "fluent",
];
const COUNT_KEYS: &[&str] = &[
    "withheld",
    "terms",
    "named_terms",
    "landing_pages",
    "covered_landing_pages",
    "pages",
    "source",
    "translated",
    "fallback",
    "missing",
    "stale",
    "unstamped",
    "machine",
    "draft",
    "reviewed",
    "words",
    "covered_words",
    "coverage_pages",
    "coverage_words",
];
const PAGE_KEYS: &[&str] = &[
    "kind",
    "content_path",
    "section",
    "source_language",
    "source_file",
    "title",
    "words",
    "source_hash",
    "languages",
];
const CELL_KEYS: &[&str] = &[
    "state",
    "file",
    "fallback_language",
    "status",
    "by",
    "unstamped",
    "stale",
];
const STALE_KEYS: &[&str] = &["stamped_hash", "source_modified", "changes"];

fn keys(v: &Value) -> Vec<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

#[test]
fn json_output_matches_the_documented_schema() {
    let site = SiteTest::new("translators-site");
    let text = site.read_source("content/guide/install.md") + "\nNew.\n";
    let site = site.write("content/guide/install.md", &text);
    site.cmd(&["i18n", "stamp", "content/guide/install.fr.md"]);
    let text = site.read_source("content/guide/install.md") + "\nNewer.\n";
    let site = site.write("content/guide/install.md", &text);
    let status = status_json(&site);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let documented = |key: &str| {
        assert!(
            readme.contains(&format!("`{key}`")),
            "README does not document `{key}`"
        )
    };
    let within = |v: &Value, allowed: &[&str]| {
        for k in keys(v) {
            assert!(allowed.contains(&k.as_str()), "undocumented key `{k}` in {v}");
        }
    };
    assert_eq!(keys(&status).len(), STATUS_KEYS.len());
    within(&status, STATUS_KEYS);
    assert_eq!(status["version"], 1);
    for lang in status["languages"].as_array().expect("languages") {
        within(lang, &[COUNT_KEYS, &["code", "name"]].concat());
        assert!(COUNT_KEYS.iter().all(|k| lang[k].is_number()));
    }
    for section in status["sections"].as_array().expect("sections") {
        within(section, &["section", "languages"]);
        for counts in section["languages"].as_object().expect("by language").values() {
            within(counts, COUNT_KEYS);
        }
    }
    for page in status["pages"].as_array().expect("pages") {
        within(page, PAGE_KEYS);
        for cell in page["languages"].as_object().expect("cells").values() {
            within(cell, CELL_KEYS);
            assert!(
                ["source", "translated", "fallback", "missing"]
                    .contains(&cell["state"].as_str().expect("state"))
            );
            if let Some(stale) = cell.get("stale") {
                within(stale, STALE_KEYS);
            }
        }
    }
    let change = &page(&status, "guide/install")["languages"]["fr"]["stale"]["changes"][0];
    within(change, &["change", "paragraph", "text"]);
    within(&status["fluent"], &["errors", "warnings", "diagnostics"]);
    let (_, check) = check(&site, &["--min-coverage", "fr=10"]);
    within(
        &check,
        &[
            "ok",
            "errors",
            "warnings",
            "diagnostics",
            "coverage",
            "unpublished",
            "next_change",
        ],
    );
    within(
        &check["coverage"][0],
        &["language", "required", "coverage_pages", "ok"],
    );
    for key in [STATUS_KEYS, COUNT_KEYS, PAGE_KEYS, CELL_KEYS, STALE_KEYS].concat() {
        documented(key);
    }
    for key in ["change", "paragraph", "required", "coverage", "severity"] {
        documented(key);
    }
}

#[test]
fn text_and_html_reports_show_coverage_and_what_to_do() {
    let site = SiteTest::new("translators-site");
    let out = site.cmd(&["i18n", "status"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let fr_line = text.lines().find(|l| l.starts_with("fr ")).expect("fr line");
    assert!(
        fr_line.contains("66.7%") && fr_line.contains("78.9%"),
        "{fr_line}"
    );
    assert!(text.contains("fr: stale: content/guide/usage.fr.md"));
    assert!(text.contains("ru: machine-translated by MT engine: content/guide/install.ru.md"));

    let out = site.cmd(&["i18n", "status", "--format", "html"]);
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!doctype html>"));
    // Self-contained: no outside stylesheet, script or image.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    // The grid: news in French is 0 %, coloured red (hue 0).
    assert!(
        html.contains(
            "<td class=\"cov\" style=\"background:hsl(0,70%,80%)\" title=\"0 of 2 pages\">0.0</td>"
        ),
        "{html}"
    );
    assert!(html.contains("<a href=\"content/guide/usage.fr.md\">"));
    assert!(html.contains("<a href=\"content/news/launch.md\">"));

    // --lang narrows every part to one language; an unknown one is bad usage.
    let json: Value = serde_json::from_slice(
        &site
            .cmd(&["i18n", "status", "--format", "json", "--lang", "ru"])
            .stdout,
    )
    .expect("json");
    assert_eq!(json["languages"].as_array().map(Vec::len), Some(1));
    assert!(page(&json, "guide/install")["languages"].get("fr").is_none());
    assert_eq!(
        site.cmd(&["i18n", "status", "--lang", "de"]).status.code(),
        Some(2)
    );
}

#[test]
fn machine_translated_pages_show_the_notice_from_fluent() {
    let site = SiteTest::new("translators-site");
    let out = site.cmd(&["build"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ru = site.read_source("public/ru/guide/install/index.html");
    assert!(
        ru.contains("<p class=\"machine-notice\">Эта страница переведена машиной.</p>"),
        "{ru}"
    );
    let fr = site.read_source("public/fr/guide/install/index.html");
    assert!(!fr.contains("machine-notice"));
}
