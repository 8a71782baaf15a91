//! The reader's notice for machine translations, `vitrine init` and `vitrine new`.

use std::process::Command;

use serde_json::Value;

use super::{language, page, status_json};
use crate::site_test::SiteTest;

#[test]
fn default_theme_shows_the_machine_translation_notice() {
    let site = SiteTest::init().replace(
        "content/about/welcome.fr.md",
        "status: reviewed",
        "status: machine\n  by: \"MT\"",
    );
    let root = &site.root;
    let build = site.cmd(&["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let html = std::fs::read_to_string(root.join("public/fr/about/welcome/index.html")).expect("page");
    let fr_ftl = site.read_source("locales/fr/main.ftl");
    let notice = fr_ftl
        .lines()
        .find_map(|l| l.strip_prefix("machine-translation-notice = "))
        .expect("notice message");
    assert!(html.contains("class=\"notice notice-machine\""));
    // Tera escapes the apostrophe of "n'a pas".
    assert!(
        html.contains(&notice.replace('\'', "&#39;")),
        "the notice comes from Fluent: {html}"
    );
    assert!(html.contains("<span class=\"notice-by\">Traduction\u{a0}: MT</span>"));
    let en = std::fs::read_to_string(root.join("public/about/welcome/index.html")).expect("page");
    assert!(!en.contains("notice-machine"));
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_a_full_folder() {
    let site = SiteTest::init();
    let root = &site.root;
    let vitrine = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .args(args)
            .output()
            .expect("vitrine")
    };
    let root_s = root.to_str().expect("utf-8");
    let build = vitrine(&["build", "--root", root_s]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    for page in [
        "public/index.html",
        "public/fr/index.html",
        "public/about/welcome/index.html",
        "public/fr/about/welcome/index.html",
    ] {
        assert!(root.join(page).is_file(), "{page}");
    }
    // Two languages, one page each, the translation up to date.
    let status: Value =
        serde_json::from_slice(&vitrine(&["i18n", "status", "--format", "json", "--root", root_s]).stdout)
            .expect("json");
    assert_eq!(language(&status, "fr")["coverage_pages"], 100.0);
    assert_eq!(language(&status, "fr")["stale"], 0);
    assert_eq!(language(&status, "fr")["unstamped"], 2);
    assert_eq!(vitrine(&["init", root_s]).status.code(), Some(2));
}

#[test]
fn new_creates_pages_and_stamped_translations_that_build() {
    let site = SiteTest::new("translators-site");
    let out = site.cmd(&["new", "guide/faq"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let faq = site.read_source("content/guide/faq.md");
    assert!(faq.starts_with("---\ntitle: \"Faq\"\n") && faq.contains("draft: true\n"));

    let out = site.cmd(&["new", "news/launch", "--lang", "fr", "--translate-from", "en"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let launch = site.read_source("content/news/launch.fr.md");
    let status = status_json(&site);
    let hash = page(&status, "news/launch")["source_hash"]
        .as_str()
        .expect("hash")
        .to_string();
    assert!(
        launch.starts_with("---\ntitle: \"Launch\"\ndate: 2025-02-01\ntranslation:\n  status: draft\n"),
        "{launch}"
    );
    assert!(launch.contains(&format!(
        "source_hash: \"{hash}\"\n# Translate content/news/launch.md (en) into fr"
    )));
    assert!(
        !launch.contains("handbook is online"),
        "the body is left for the translator"
    );
    let cell = &page(&status, "news/launch")["languages"]["fr"];
    assert_eq!(
        (cell["state"].as_str(), cell["status"].as_str()),
        (Some("translated"), Some("draft"))
    );
    assert!(cell.get("stale").is_none() && cell["unstamped"] == false);

    let build = site.cmd(&["build", "--drafts"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(site.root.join("public/fr/news/launch/index.html").is_file());
    assert!(site.root.join("public/guide/faq/index.html").is_file());

    // Never overwrite; bad paths and languages are usage errors.
    assert_eq!(site.cmd(&["new", "guide/faq"]).status.code(), Some(1));
    assert_eq!(site.cmd(&["new", "../escape"]).status.code(), Some(2));
    assert_eq!(
        site.cmd(&["new", "guide/x", "--lang", "de"]).status.code(),
        Some(2)
    );
    assert_eq!(
        site.cmd(&["new", "guide/none", "--lang", "fr", "--translate-from", "en"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn new_translates_sections_and_page_bundles_in_place() {
    let site = SiteTest::new("translators-site");
    let site = site.write(
        "content/guide/setup/index.md",
        "---\ntitle: \"Setup\"\n---\n\nPlug it in.\n",
    );
    for (path, file) in [
        ("news", "content/news/_index.fr.md"),
        ("guide/setup", "content/guide/setup/index.fr.md"),
    ] {
        let out = site.cmd(&["new", path, "--lang", "fr", "--translate-from", "en"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(
            site.read_source(file)
                .contains("translation:\n  status: draft\nsource_hash: \""),
            "{file}"
        );
    }
    let status = status_json(&site);
    assert_eq!(page(&status, "news")["languages"]["fr"]["state"], "translated");
    assert_eq!(
        page(&status, "guide/setup")["languages"]["fr"]["state"],
        "translated"
    );
}
