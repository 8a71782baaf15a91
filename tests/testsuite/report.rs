//! `vitrine report` on `tests/fixtures/report-site`, whose figures are known
//! by hand: a translation dated 30 days after its source, a machine
//! translation made before its source's update (stale and behind), a news
//! page not updated for over a year with two corrections in March, a page
//! without description, a cover without alt text, a cover over a 2 KB
//! budget, one external link. The history test builds a real git
//! repository with dated commits in a temporary folder.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::site_test::{SiteTest, code};

const PERIOD: [&str; 4] = ["--as-of", "2026-04-30", "--since", "2026-01-01"];

fn report_json(site: &SiteTest, extra: &[&str]) -> Value {
    let mut args = vec!["report", "--format", "json", "--budget-kb", "2"];
    args.extend(PERIOD);
    args.extend(extra);
    let out = site.cmd(&args);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

#[test]
fn figures_of_the_fixture_are_exact() {
    let site = SiteTest::new("report-site");
    let r = report_json(&site, &["--no-history"]);
    let total = &r["total"];
    assert_eq!(
        total["presence"],
        json!({"pages": 3, "words": 15, "slots": 9, "published": 5, "published_words": 27,
               "coverage_pages": 55.6, "coverage_words": 60.0, "translated": 2, "machine": 1,
               "machine_share": 20.0, "stale": 1, "stale_share": 20.0, "fallback": 4, "missing": 0, "withheld": 0})
    );
    let en = &r["languages"]["en"];
    assert_eq!(en["presence"]["coverage_pages"], 66.7);
    assert_eq!(en["presence"]["coverage_words"], 80.0);
    assert_eq!(en["presence"]["machine_share"], 50.0);
    assert_eq!(r["languages"]["fr"]["presence"]["fallback"], 3);
    // visit.en.md is dated 30 days after visit.md; pho.en.md predates pho.md's update.
    assert_eq!(
        en["timeliness"]["lag"],
        json!({"measured": 1, "median_days": 30, "p90_days": 30, "behind": 1})
    );
    assert_eq!(
        total["timeliness"]["oldest_stale"],
        json!([{"file": "content/culture/pho.en.md", "lang": "en",
                "source_file": "content/culture/pho.md", "days": 51}])
    );
    let cadence = total["timeliness"]["cadence"].as_array().expect("weeks");
    assert_eq!(cadence.len(), 18, "weeks from 2025-12-29 to 2026-04-27");
    let week = |w: &str| {
        cadence
            .iter()
            .find(|c| c["week"] == w)
            .map(|c| c["pages"].clone())
    };
    assert_eq!(week("2026-01-05"), Some(json!(1)));
    assert_eq!(week("2026-02-09"), Some(json!(1)));
    assert_eq!(
        cadence
            .iter()
            .map(|c| c["pages"].as_u64().unwrap_or(0))
            .sum::<u64>(),
        4
    );
    assert_eq!(
        r["sections"]["news"]["freshness"],
        json!({"newest_days": 80, "median_days": 110, "outdated": 1,
               "outdated_pages": [{"file": "content/news/old.md", "days": 836}]})
    );
    assert_eq!(r["sections"]["culture"]["freshness"]["outdated"], 0);
    assert_eq!(
        total["accuracy"],
        json!({"corrections": 2, "updates": 1, "by_month": [
            {"month": "2026-01", "corrections": 0, "updates": 0},
            {"month": "2026-02", "corrections": 0, "updates": 0},
            {"month": "2026-03", "corrections": 2, "updates": 1},
            {"month": "2026-04", "corrections": 0, "updates": 0}]})
    );
    assert_eq!(
        total["quality"],
        json!({"without_description": 1, "cover_without_alt": 1, "over_budget": 1, "budget_kb": 2,
               "broken_internal_links": 0, "external_links": 1})
    );
    assert_eq!(
        en["reach"],
        json!({"feeds": 3, "sitemap_urls": 2, "search_pages": 2, "search_words": 11})
    );
    assert_eq!(r["history"]["source"], "none");
}

#[test]
fn a_site_outside_git_shows_the_present_only_and_says_so() {
    let site = SiteTest::new("report-site");
    // The temporary folder is outside any repository unless TMPDIR is in one.
    let r = report_json(&site, &[]);
    if r["history"]["source"] == "none" {
        let note = r["history"]["note"].as_str().expect("a note");
        assert!(note.contains("present only"), "{note}");
        let page = html_report(&site);
        assert!(page.contains("present only"));
    }
}

fn html_report(site: &SiteTest) -> String {
    let mut args = vec!["report", "--output", "dash"];
    args.extend(PERIOD);
    let out = site.cmd(&args);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(site.root.join("dash/index.html")).expect("index.html written")
}

#[test]
fn the_dashboard_is_one_self_contained_accessible_page() {
    let site = SiteTest::new("report-site");
    let page = html_report(&site);
    assert!(page.starts_with("<!doctype html>\n<html lang=\"en\">"));
    for id in ["coverage", "cadence", "accuracy"] {
        assert!(
            page.contains(&format!("role=\"img\" aria-labelledby=\"{id}-t {id}-d\"")),
            "chart {id} has a title and description"
        );
    }
    assert!(page.contains("<title id=\"coverage-t\">Page coverage by language</title>"));
    // The numbers of the charts are in tables.
    assert!(
        page.contains("<th scope=\"row\">\u{2068}English\u{2069} (en)</th><td>3</td><td>2</td><td>66.7</td>")
    );
    assert!(page.contains("<th scope=\"row\">2026-03</th><td>2</td><td>1</td>"));
    assert!(page.contains("content/culture/pho.en.md"));
    // Nothing loaded from anywhere: no script, no external source or stylesheet.
    assert!(!page.contains("<script"));
    assert!(!page.contains("src=\"http") && !page.contains("<link"));
}

#[test]
fn bad_input_is_reported_and_nothing_is_written() {
    let site = SiteTest::new("report-site").write("site.yaml", "title: x\n");
    let out = site.cmd(&["report", "--output", "dash"]);
    assert_eq!(code(&out), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("site.yaml"), "{stderr}");
    assert!(!site.root.join("dash").exists());
    let out = site.cmd(&["report", "--since", "March"]);
    assert_eq!(code(&out), 2, "a bad date is bad usage");
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args(["-c", "user.name=Editor", "-c", "user.email=editor@example.org"])
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("`git` is missing: run `tools/test` (it installs git), or apt-get install git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_history_draws_coverage_and_lag_from_dated_commits() {
    let site = SiteTest::new("report-site");
    let root = &site.root;
    let later = ["content/news/visit.en.md", "content/culture/pho.en.md"];
    let held: Vec<(String, String)> = later
        .iter()
        .map(|f| {
            (
                f.to_string(),
                std::fs::read_to_string(root.join(f)).expect("fixture file"),
            )
        })
        .collect();
    for (f, _) in &held {
        std::fs::remove_file(root.join(f)).expect("remove");
    }
    git(root, &["init", "-q"], "2026-01-12T10:00:00+07:00");
    git(root, &["add", "-A"], "2026-01-12T10:00:00+07:00");
    git(root, &["commit", "-qm", "sources"], "2026-01-12T10:00:00+07:00");
    // A second commit the same week: the week's sample is the later one.
    std::fs::write(root.join("notes.txt"), "x").expect("write");
    git(root, &["add", "-A"], "2026-01-14T10:00:00+07:00");
    git(root, &["commit", "-qm", "notes"], "2026-01-14T10:00:00+07:00");
    for (i, (f, text)) in held.iter().enumerate() {
        std::fs::write(root.join(f), text).expect("write");
        let date = ["2026-02-10T09:00:00+07:00", "2026-03-11T09:00:00+07:00"][i];
        git(root, &["add", "-A"], date);
        git(root, &["commit", "-qm", "translation"], date);
    }
    let r = report_json(&site, &[]);
    let h = &r["history"];
    assert_eq!(h["source"], "git");
    assert_eq!(h["commits"], 4);
    let samples = h["samples"].as_array().expect("samples");
    let dates: Vec<&str> = samples.iter().filter_map(|s| s["date"].as_str()).collect();
    assert_eq!(
        dates,
        [
            "2026-01-14T10:00:00+07:00",
            "2026-02-10T09:00:00+07:00",
            "2026-03-11T09:00:00+07:00"
        ]
    );
    let en: Vec<&Value> = samples.iter().map(|s| &s["coverage"]["en"]).collect();
    assert_eq!(en, [&json!(0.0), &json!(33.3), &json!(66.7)]);
    let lag: Vec<&Value> = samples.iter().map(|s| &s["lag_median_days"]["en"]).collect();
    assert_eq!(lag, [&Value::Null, &json!(30), &json!(30)]);
    assert!(
        samples
            .iter()
            .all(|s| s["pages"] == 3 && s["coverage"]["vi"] == 100.0)
    );
    let page = html_report(&site);
    assert!(page.contains("aria-labelledby=\"history-coverage-t history-coverage-d\""));
    assert!(page.contains("<th scope=\"row\">2026-02-10</th><td>100.0</td><td>33.3</td><td>0.0</td>"));
}

#[test]
fn the_sample_portal_has_a_report() {
    let site = SiteTest::portal();
    let output = site.out.to_string_lossy().to_string();
    let out = site.cmd(&["report", "--output", &output]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let page = site.read("index.html");
    assert!(page.contains("Tiếng Việt\u{2069} (vi)") && page.contains("العربية\u{2069} (ar)"));
    let out = site.cmd(&["report", "--format", "json", "--no-history"]);
    assert_eq!(code(&out), 0);
    let r: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(r["site"]["languages"].as_array().map(Vec::len), Some(6));
    assert_eq!(r["languages"]["vi"]["presence"]["coverage_pages"], 100.0);
}

#[test]
fn the_history_follows_removed_files_of_a_site_in_a_subfolder() {
    let site = SiteTest::new("report-site");
    // The repository is the folder above the site.
    let top = site.root.parent().expect("parent").to_path_buf();
    git(&top, &["init", "-q"], "2026-01-12T10:00:00Z");
    git(&top, &["add", "site"], "2026-01-12T10:00:00Z");
    git(&top, &["commit", "-qm", "site"], "2026-01-12T10:00:00Z");
    std::fs::remove_file(site.root.join("content/news/old.md")).expect("remove");
    git(&top, &["add", "-A", "site"], "2026-02-16T10:00:00Z");
    git(
        &top,
        &["commit", "-qm", "old news removed"],
        "2026-02-16T10:00:00Z",
    );
    let r = report_json(&site, &[]);
    let pages: Vec<&Value> = r["history"]["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .map(|s| &s["pages"])
        .collect();
    assert_eq!(pages, [&json!(3), &json!(2)]);
    let en: Vec<&Value> = r["history"]["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .map(|s| &s["coverage"]["en"])
        .collect();
    assert_eq!(en, [&json!(66.7), &json!(100.0)]);
}
