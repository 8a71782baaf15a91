//! The language policy (`language_policy:` in site.yaml) and `withheld:`:
//! `vitrine check` fails listing each page missing a required translation
//! or stale beyond `max_stale_days`; a withheld language gets no copy of
//! the page and nothing points there; `i18n status` reports against it.

use std::time::{Duration, SystemTime};

use crate::notices::timely_site;
use crate::site_test::code;

#[test]
fn check_passes_when_the_policy_is_met() {
    let t = timely_site();
    let out = t.cmd(&["check"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn check_fails_listing_each_page_missing_a_required_translation() {
    let t = timely_site()
        .write(
            "content/news/flood.md",
            "---\ntitle: \"Lũ\"\ndate: 2025-09-10\n---\nLũ.\n",
        )
        .write(
            "content/news/drought.md",
            "---\ntitle: \"Hạn\"\ndate: 2025-09-11\n---\nHạn.\n",
        )
        // Culture has no policy: an untranslated page there is fine.
        .write("content/culture/tea.md", "---\ntitle: \"Trà\"\n---\nTrà.\n");
    let out = t.cmd(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 1, "{stderr}");
    for file in ["content/news/flood.md", "content/news/drought.md"] {
        assert!(stderr.contains(file), "{file} is listed:\n{stderr}");
    }
    assert!(
        stderr.contains("no `en` translation, which the language policy for section `news` requires"),
        "{stderr}"
    );
    assert!(!stderr.contains("content/culture/tea.md"), "{stderr}");
    // Optional languages are not required.
    assert!(!stderr.contains("no `ar` translation"), "{stderr}");
    // The build itself still publishes (fallback copies): the policy is CI's gate.
    assert_eq!(code(&t.cmd(&["build"])), 0);
}

#[test]
fn a_policy_for_a_content_type_wins_over_the_section() {
    let t = timely_site()
        .replace(
            "site.yaml",
            "language_policy:\n",
            "types:\n  bulletin:\n    fields: {}\nlanguage_policy:\n  - type: bulletin\n    languages: { required: [vi, en, ar] }\n",
        )
        .write(
            "content/culture/bulletin.md",
            "---\ntitle: \"Bản tin\"\ntype: bulletin\n---\nBản tin.\n",
        );
    let out = t.cmd(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let messages: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"] == "content/culture/bulletin.md")
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(messages.len(), 2, "en and ar: {messages:?}");
    assert!(
        messages.iter().all(|m| m.contains("type `bulletin`")),
        "{messages:?}"
    );
}

#[test]
fn a_required_translation_stale_beyond_the_maximum_age_fails_check() {
    let t = timely_site().replace(
        "content/news/storm.en.md",
        "tags: [storm]",
        "tags: [storm]\nsource_hash: \"0123456789abcdef\"",
    );
    // Stale since yesterday: within the 30 days allowed.
    let source = t.root.join("content/news/storm.md");
    let set_age = |days: u64| {
        let file = std::fs::File::options().write(true).open(&source).expect("open");
        file.set_modified(SystemTime::now() - Duration::from_secs(days * 86_400))
            .expect("set the modification time");
    };
    set_age(1);
    let out = t.cmd(&["check"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    set_age(45);
    let out = t.cmd(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(
        stderr.contains("the `en` translation has been stale for 45 days; the language policy for section `news` allows 30"),
        "{stderr}"
    );
    let status = t.cmd(&["i18n", "status"]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("language policy: 1 problem(s):"), "{text}");
    assert!(
        text.contains("en: content/news/storm.md (required, stale for 45 days (at most 30); section `news`)"),
        "{text}"
    );
}

#[test]
fn a_withheld_language_gets_no_copy_and_nothing_points_there() {
    let t = timely_site().build();
    // fr: the news section is withheld by the policy; ar: one page says so.
    t.assert_missing("fr/news/index.html");
    t.assert_missing("fr/news/storm/index.html");
    t.assert_missing("ar/culture/lantern/index.html");
    // Not translated (yet) is different: a fallback copy exists.
    t.assert_exists("ar/news/storm/index.html");
    t.assert_exists("fr/culture/lantern/index.html");
    for (path, html) in t.html_pages() {
        assert!(!html.contains("/fr/news/"), "{path} points to a withheld page");
        assert!(
            !html.contains("/ar/culture/lantern/"),
            "{path} points to a withheld page"
        );
    }
    let storm = t.read("news/storm/index.html");
    assert!(storm.contains(r#"hreflang="en""#) && !storm.contains(r#"hreflang="fr""#));
    let lantern = t.read("culture/lantern/index.html");
    assert!(
        lantern.contains(r#"lang="fr" hreflang="fr""#),
        "switcher still offers fr"
    );
    assert!(
        !lantern.contains(r#"hreflang="ar""#),
        "no switcher link to ar: {lantern}"
    );
    for file in ["sitemap.xml", "fr/atom.xml", "ar/atom.xml"] {
        if t.exists(file) {
            let text = t.read(file);
            assert!(
                !text.contains("/fr/news/") && !text.contains("/ar/culture/lantern/"),
                "{file}"
            );
        }
    }
    for entry in walkdir::WalkDir::new(&t.out).into_iter().flatten() {
        let rel = entry
            .path()
            .strip_prefix(&t.out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        assert!(!rel.starts_with("fr/news"), "{rel} is published");
    }
}

#[test]
fn a_link_to_a_withheld_page_leads_to_a_published_language() {
    let t = timely_site().build();
    // fr's copy of pho (English text) links to the storm page, withheld in
    // fr: the link goes to the first language of fr's chain that has it,
    // marked as a link to that language.
    t.assert_file_contains(
        "fr/culture/pho/index.html",
        r#"<a href="https://timely.example.org/en/news/storm/" hreflang="en" lang="en">the storm</a>"#,
    );
}

#[test]
fn a_translation_for_a_withheld_language_is_reported_not_published() {
    let t = timely_site().write(
        "content/culture/lantern.ar.md",
        "---\ntitle: \"فوانيس\"\ndate: 2025-02-01\n---\nفوانيس.\n",
    );
    let out = t.cmd(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 0, "a warning: {stderr}");
    assert!(
        stderr.contains("content/culture/lantern.ar.md is not published: the page is withheld from `ar`"),
        "{stderr}"
    );
    let t = t.build();
    t.assert_missing("ar/culture/lantern/index.html");
}

#[test]
fn i18n_status_reports_withheld_apart_from_missing() {
    let t = timely_site();
    let out = t.cmd(&["i18n", "status", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let storm = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .find(|r| r["content_path"] == "news/storm")
        .expect("storm");
    assert_eq!(storm["languages"]["fr"]["state"], "withheld");
    let fr = json["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .find(|l| l["code"] == "fr")
        .expect("fr");
    assert_eq!(fr["withheld"], 2, "news and its storm page: {fr}");
    assert_eq!(fr["missing"], 0);
    assert_eq!(json["policy"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_bad_policy_is_a_configuration_error() {
    let t = timely_site().replace("site.yaml", "withheld: [fr]", "withheld: [fr, vi, xx]");
    let d = t.expect_error();
    let text = format!("{d:?}");
    assert!(text.contains("`vi` cannot be withheld here"), "{text}");
    assert!(
        text.contains("names `xx`, which is not a language of the site"),
        "{text}"
    );
}

#[test]
fn a_content_type_may_state_its_policy_in_its_declaration() {
    let t = timely_site()
        .replace(
            "site.yaml",
            "language_policy:\n",
            "types:\n  bulletin:\n    fields: {}\n    languages: { required: [vi, ar] }\nlanguage_policy:\n",
        )
        .write(
            "content/culture/bulletin.md",
            "---\ntitle: \"Bản tin\"\ntype: bulletin\n---\nBản tin.\n",
        );
    let out = t.cmd(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(
        stderr.contains("no `ar` translation, which the language policy for type `bulletin` requires"),
        "{stderr}"
    );
    assert!(!stderr.contains("no `en` translation"), "{stderr}");
}
