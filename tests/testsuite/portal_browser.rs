//! Browser checks of three built sites — the sample portal, a site made by
//! `vitrine init`, and the benchmark corpus (24 articles in five languages)
//! built with the default theme: every page, stylesheet and SVG through the
//! W3C Nu HTML checker (`vnu-jar`, run with Java, once over the three), and
//! every page through axe-core (WCAG 2.0/2.1 A and AA) in Debian's Chromium
//! driven by playwright-core (one browser per site, pages in parallel tabs).
//! Key pages of the portal are also opened at desktop size with the
//! documents filter exercised, and the sample's urgent notices (an
//! emergency and a dismissible information) checked: the alert role, and a
//! closed information notice remembered without cookies.
//!
//! `tools/test` installs Java, Chromium, Python and `tests/browser/node_modules`.
//! On a machine without them these tests fail and say what to install; set
//! `VITRINE_SKIP_BROWSER_TESTS=1` to skip them on purpose.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::site_test::SiteTest;

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
        ("python3", "python3"),
    ] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "`{tool}` is missing: run `tools/test` (it installs it), or apt-get install {package}"
        );
    }
    Some(())
}

/// A built site to check and the `base_url` it was built with.
struct Built {
    name: &'static str,
    site: SiteTest,
    base_url: &'static str,
}

impl Built {
    fn out(&self) -> &Path {
        &self.site.out
    }
}

/// The three sites, built once per test run.
fn sites() -> &'static [Built] {
    static SITES: OnceLock<Vec<Built>> = OnceLock::new();
    SITES.get_or_init(|| {
        vec![
            Built {
                name: "sample portal",
                site: built(SiteTest::portal()),
                base_url: "https://portal.example.org",
            },
            Built {
                name: "vitrine init",
                site: built(SiteTest::init()),
                base_url: "https://example.org",
            },
            Built {
                name: "benchmark corpus",
                site: built(corpus_site()),
                base_url: "https://portal.example.org",
            },
        ]
    })
}

/// Builds `site`, which must build with no warnings.
fn built(site: SiteTest) -> SiteTest {
    let report = site.rebuild();
    assert_eq!(
        report.diagnostics.len(),
        0,
        "{} builds with no warnings",
        site.root.display()
    );
    site
}

/// The benchmark corpus (tests/browser/corpus, a copy of the shared
/// generator) with the default theme and its messages in place of the
/// corpus's own minimal theme.
fn corpus_site() -> SiteTest {
    let site = SiteTest::corpus(24);
    std::fs::remove_dir_all(site.root.join("themes/default")).expect("remove the corpus theme");
    site.default_theme()
}

fn html_pages(out: &Path) -> usize {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count()
}

#[test]
fn every_page_of_every_site_passes_the_nu_html_checker() {
    let Some(()) = tools_or_skip() else { return };
    let sites = sites();
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let output = Command::new("timeout")
        .args(["1800", "java", "-jar"])
        .arg(&jar)
        .args([
            "--errors-only",
            "--skip-non-html",
            "--also-check-css",
            "--also-check-svg",
        ])
        .args(["--format", "json"])
        .args(sites.iter().map(Built::out))
        .output()
        .expect("java runs");
    // vnu writes its JSON report to stderr.
    let report = String::from_utf8_lossy(&output.stderr);
    let json: serde_json::Value = serde_json::from_str(report.trim())
        .unwrap_or_else(|e| panic!("vnu did not report JSON ({e}): {report}"));
    let messages = json["messages"].as_array().expect("messages");
    for (site, at_least) in sites.iter().zip([250, 6, 500]) {
        let pages = html_pages(site.out());
        assert!(
            pages >= at_least,
            "the whole {} was checked: {pages} pages",
            site.name
        );
    }
    assert!(messages.is_empty(), "Nu HTML checker errors: {messages:#?}");
    assert!(output.status.success(), "vnu failed: {report}");
}

/// Runs `axe.mjs` on `site` with `args`; returns one JSON value per page.
fn axe(site: &Built, args: &[&str]) -> (Vec<serde_json::Value>, std::process::Output) {
    let output = Command::new("timeout")
        .args(["3000", "node", "axe.mjs"])
        .arg(site.out())
        .args(["--base-url", site.base_url])
        .args(args)
        .current_dir(browser_dir())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l}: {e}")))
        .collect();
    (results, output)
}

#[test]
fn every_page_of_every_site_has_no_axe_violations() {
    let Some(()) = tools_or_skip() else { return };
    for site in sites() {
        let (results, output) = axe(site, &["--all", "--tabs", "4"]);
        let pages = html_pages(site.out());
        assert!(
            results.len() * 10 >= pages * 9,
            "{}: every page was checked ({} of {pages} files, redirects aside); stderr: {}",
            site.name,
            results.len(),
            String::from_utf8_lossy(&output.stderr)
        );
        let failing: Vec<&serde_json::Value> = results
            .iter()
            .filter(|r| {
                r["status"] != 200
                    || r["violations"].as_array().is_none_or(|v| !v.is_empty())
                    || r["foreign_requests"].as_array().is_none_or(|v| !v.is_empty())
            })
            .collect();
        assert!(failing.is_empty(), "{}: {failing:#?}", site.name);
        assert!(output.status.success(), "{}: axe.mjs failed", site.name);
    }
}

#[test]
fn key_pages_have_no_axe_violations_and_the_filter_works() {
    let Some(()) = tools_or_skip() else { return };
    let (results, output) = axe(&sites()[0], PAGES);
    let stdout = String::from_utf8_lossy(&output.stdout);
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

/// `vitrine report` on the sample portal (its git history included when the
/// repository has one): the dashboard passes the Nu checker (HTML and its
/// inline SVG) and axe in Chromium, and requests nothing from another host.
#[test]
fn the_report_dashboard_passes_the_nu_checker_and_axe() {
    let Some(()) = tools_or_skip() else { return };
    let out = tempfile::tempdir().expect("temp dir");
    let written = vitrine::report::run(&vitrine::report::ReportOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(out.path().to_path_buf()),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("the report failed: {d:#?}"));
    assert_eq!(written, Some(out.path().join("index.html")));
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let output = Command::new("timeout")
        .args(["300", "java", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--also-check-svg", "--format", "json"])
        .arg(out.path().join("index.html"))
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&output.stderr);
    let json: serde_json::Value = serde_json::from_str(report.trim())
        .unwrap_or_else(|e| panic!("vnu did not report JSON ({e}): {report}"));
    assert_eq!(json["messages"].as_array().map(Vec::len), Some(0), "{json:#}");
    let output = Command::new("timeout")
        .args(["300", "node", "axe.mjs"])
        .arg(out.path())
        .arg("/")
        .current_dir(browser_dir())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "axe did not report ({e}): {stdout} {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(result["status"], 200, "{result}");
    assert_eq!(result["violations"], serde_json::json!([]), "{result:#}");
    assert_eq!(result["foreign_requests"], serde_json::json!([]), "{result:#}");
    assert!(output.status.success(), "{stdout}");
}
