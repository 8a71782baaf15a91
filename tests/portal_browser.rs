//! Browser checks of the built sample portal: every page, stylesheet and SVG
//! through the W3C Nu HTML checker (`vnu-jar`, run with Java), and axe-core
//! (WCAG 2.0/2.1 A and AA) in Debian's Chromium driven by playwright-core on
//! the home, an article, a section list, the documents list, a document, the
//! key figures page, the news list (with the sample's urgent notices: an
//! emergency and a dismissible information) and the 404 page in Vietnamese,
//! English and Arabic, with the documents filter exercised in the browser.
//!
//! `.ci/run` installs Java, Chromium and `tests/browser/node_modules`. On a
//! machine without them these tests fail and say what to install; set
//! `VITRINE_SKIP_BROWSER_TESTS=1` to skip them on purpose.

use std::path::{Path, PathBuf};
use std::process::Command;

use vitrine::build::{BuildOptions, build};

const PAGES: &[&str] = &[
    "/",
    "/en/",
    "/ar/",
    "/culture/pho/",
    "/en/culture/ha-long-bay/",
    "/ar/history/independence-1945/",
    "/culture/",
    "/en/culture/",
    "/ar/culture/",
    "/documents/",
    "/en/documents/",
    "/ar/documents/",
    "/documents/luat-dau-tu-2020/",
    "/en/documents/luat-dau-tu-2020/",
    "/ar/documents/luat-dau-tu-2020/",
    "/en/country/at-a-glance/",
    "/ar/country/at-a-glance/",
    // The news lists carry the sample's emergency notice (limited to news)
    // besides the information notice every page shows.
    "/news/",
    "/en/news/",
    "/ar/news/",
    "/404.html",
    "/en/404.html",
    "/ar/404.html",
];

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// None when the tools are deliberately skipped; panics when they are missing.
fn tools_or_skip() -> Option<()> {
    if std::env::var_os("VITRINE_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1") {
        eprintln!("browser checks skipped: VITRINE_SKIP_BROWSER_TESTS=1");
        return None;
    }
    let modules = browser_dir().join("node_modules");
    assert!(
        modules.join("vnu-jar").is_dir()
            && modules.join("playwright-core").is_dir()
            && modules.join("axe-core").is_dir(),
        "run `tools/test` (it installs the browser tools), or `npm ci --prefix tests/browser`, or set VITRINE_SKIP_BROWSER_TESTS=1"
    );
    for (tool, package) in [
        ("java", "default-jre-headless"),
        ("chromium", "chromium"),
        ("node", "nodejs"),
    ] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "`{tool}` is missing: apt-get install {package} (what .ci/run does)"
        );
    }
    Some(())
}

fn built_portal() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let report = build(&BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(out.path().to_path_buf()),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("the sample portal does not build: {d:#?}"));
    assert_eq!(
        report.diagnostics.len(),
        0,
        "the sample portal builds with no warnings"
    );
    out
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some(()) = tools_or_skip() else { return };
    let out = built_portal();
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let output = Command::new("timeout")
        .args(["900", "java", "-jar"])
        .arg(&jar)
        .args([
            "--errors-only",
            "--skip-non-html",
            "--also-check-css",
            "--also-check-svg",
        ])
        .args(["--format", "json"])
        .arg(out.path())
        .output()
        .expect("java runs");
    // vnu writes its JSON report to stderr.
    let report = String::from_utf8_lossy(&output.stderr);
    let json: serde_json::Value = serde_json::from_str(report.trim())
        .unwrap_or_else(|e| panic!("vnu did not report JSON ({e}): {report}"));
    let messages = json["messages"].as_array().expect("messages");
    let html_files = walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(
        html_files > 250,
        "the whole portal was checked: {html_files} pages"
    );
    assert!(messages.is_empty(), "Nu HTML checker errors: {messages:#?}");
    assert!(output.status.success(), "vnu failed: {report}");
}

#[test]
fn key_pages_have_no_axe_violations_and_the_filter_works() {
    let Some(()) = tools_or_skip() else { return };
    let out = built_portal();
    let output = Command::new("timeout")
        .args(["600", "node", "axe.mjs"])
        .arg(out.path())
        .args(["--base-url", "https://portal.example.org"])
        .args(PAGES)
        .current_dir(browser_dir())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l}: {e}")))
        .collect();
    assert_eq!(
        results.len(),
        PAGES.len(),
        "every page was checked; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    for r in &results {
        assert_eq!(r["status"], 200, "{r}");
        assert_eq!(
            r["violations"].as_array().map(Vec::len),
            Some(0),
            "axe violations: {r:#}"
        );
        assert_eq!(
            r["foreign_requests"].as_array().map(Vec::len),
            Some(0),
            "third-party requests: {r:#}"
        );
    }
    for r in &results {
        let notice = &r["notice"];
        let path = r["path"].as_str().unwrap_or_default();
        assert_eq!(notice["info"], true, "every page shows the sample's notice: {r}");
        assert_eq!(notice["open"], true, "open until dismissed: {r}");
        assert_eq!(notice["remembered"], true, "a dismissal is remembered: {r}");
        assert_eq!(notice["cookies"], "", "without cookies: {r}");
        assert_eq!(
            notice["alert"],
            path.contains("news/"),
            "the emergency only on news pages: {r}"
        );
    }
    let filters: Vec<&serde_json::Value> = results.iter().filter(|r| !r["filter"].is_null()).collect();
    assert_eq!(
        filters.len(),
        3,
        "the documents list in vi, en and ar has a filter"
    );
    assert!(filters.iter().all(|r| r["filter"]["ok"] == true), "{filters:#?}");
    assert!(output.status.success(), "{stdout}");
}
