//! The translators' loop end to end: `vitrine i18n status` and `stamp`,
//! the Fluent lint, `vitrine check --strict --min-coverage`, `vitrine new`
//! and `vitrine init`, run as a user runs them on fixture sites copied into
//! temporary folders. Shared helpers live here; tests are grouped by topic.

mod check;
mod coverage;
mod reports;
mod scaffold;

use serde_json::Value;

use crate::site_test::SiteTest;

/// `vitrine i18n status --format json` of the site, parsed.
pub fn status_json(site: &SiteTest) -> Value {
    let out = site.cmd(&["i18n", "status", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

pub fn language<'a>(status: &'a Value, code: &str) -> &'a Value {
    status["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .find(|l| l["code"] == code)
        .expect("language")
}

pub fn page<'a>(status: &'a Value, content_path: &str) -> &'a Value {
    status["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .find(|p| p["content_path"] == content_path)
        .expect("page")
}

pub fn stale_files(status: &Value) -> Vec<String> {
    let mut files = Vec::new();
    for p in status["pages"].as_array().expect("pages") {
        for cell in p["languages"].as_object().expect("languages").values() {
            if cell.get("stale").is_some() {
                files.push(cell["file"].as_str().expect("file").to_string());
            }
        }
    }
    files.sort();
    files
}
