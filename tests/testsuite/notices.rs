//! Urgent notices (`content/_notices/`): on every page of every language,
//! in the reader's language or through the fallback chain (marked with
//! `lang`), `role="alert"` only for emergencies, dismissible only for
//! information, limited to sections when they say so, gone once expired.
//! Built with the real default theme on the `timely` fixture.

use crate::site_test::{SiteTest, code};

/// The `timely` fixture with the default theme and the sample's messages.
pub fn timely_site() -> SiteTest {
    SiteTest::new("timely").default_theme()
}

/// The page's language, from the output path.
fn lang_of(path: &str) -> &str {
    match path.split('/').next() {
        Some(l @ ("en" | "fr" | "ar")) => l,
        _ => "vi",
    }
}

#[test]
fn every_page_of_every_language_shows_the_notices_in_its_language() {
    let t = timely_site().build();
    let all = t.html_pages();
    assert!(all.len() > 20, "{}", t.listing());
    for (path, html) in &all {
        let lang = lang_of(path);
        let notices = html
            .split(r#"<section class="site-notices""#)
            .nth(1)
            .unwrap_or_else(|| panic!("{path} shows no notices"));
        let notices = notices.split("</section>").next().unwrap_or_default();
        assert!(
            html.find("site-notices") < html.find(r#"<header class="site-header">"#),
            "{path}: notices come first"
        );
        // The emergency: announced, never dismissible, in the reader's
        // language or English (fr and ar fall back to en, marked).
        assert!(
            notices.contains(r#"<div class="site-notice site-notice-emergency" role="alert">"#),
            "{path}"
        );
        match lang {
            "vi" => assert!(notices.contains("Bão số 3 đang tiến vào đất liền"), "{path}"),
            "en" => {
                assert!(notices.contains("Typhoon Yagi is making landfall"), "{path}");
                assert!(
                    !notices.contains(r#"lang="en""#),
                    "{path}: own text is not marked"
                );
            }
            _ => assert!(
                notices.contains(
                    r#"<div class="site-notice-text" lang="en" dir="ltr"><p>Typhoon Yagi is making landfall"#
                ),
                "{path}: fallback text carries its language:\n{notices}"
            ),
        }
        // Information: a <details open> the reader may close, in Vietnamese
        // everywhere (it has no translation), marked outside vi.
        assert!(
            notices.contains(
                r#"<details class="site-notice site-notice-info" open data-notice="museum" data-version=""#
            ),
            "{path}"
        );
        assert_eq!(
            notices.contains(r#"lang="vi" dir="ltr"><p>Bảo tàng"#),
            lang != "vi",
            "{path}"
        );
        assert!(
            html.contains(r#"<script src="/notice.js" defer></script>"#),
            "{path}"
        );
        // Only emergencies are alerts.
        assert_eq!(notices.matches(r#"role="alert""#).count(), 1, "{path}");
        // The section-limited warning only below /news/ (any language).
        let in_news = path.contains("news/");
        assert_eq!(
            notices.contains("Một số tuyến đường ven biển bị đóng"),
            in_news,
            "{path}"
        );
        // Expired long ago: on no page.
        assert!(!html.contains("Diễn tập đã kết thúc"), "{path}");
        // No inline script or style (the site's CSP forbids them).
        assert!(
            !notices.contains("<script") && !notices.contains("style="),
            "{path}"
        );
    }
    // Links in a notice resolve in the reader's language.
    t.assert_file_contains(
        "en/index.html",
        r#"<a href="https://timely.example.org/en/news/storm/">official guidance</a>"#,
    );
    t.assert_exists("notice.js");
    let script = t.read("notice.js");
    assert!(
        script.contains("localStorage") && !script.contains("cookie ="),
        "remembered without cookies"
    );
}

#[test]
fn an_expired_notice_disappears_at_the_next_build_and_a_new_one_appears() {
    let t = timely_site().build();
    t.assert_file_contains("fr/index.html", "Typhoon Yagi is making landfall");
    let t = t
        .replace(
            "content/_notices/typhoon.md",
            "starts: 2025-09-01",
            "starts: 2025-09-01\nends: 2025-09-20",
        )
        .write(
            "content/_notices/visa.en.md",
            "---\nlevel: warning\n---\nThe visa office is closed today.\n",
        )
        .build();
    for (path, html) in t.html_pages() {
        assert!(
            !html.contains("Typhoon Yagi is making landfall"),
            "{path} still shows the expired notice"
        );
        assert!(!html.contains("role=\"alert\""), "{path}");
        // Only written in English: vi falls back to it through the first file.
        assert!(html.contains("The visa office is closed today."), "{path}");
    }
    t.assert_file_contains(
        "index.html",
        r#"<div class="site-notice-text" lang="en" dir="ltr"><p>The visa office"#,
    );
}

#[test]
fn a_dismissed_notice_comes_back_when_its_text_changes() {
    let t = timely_site().build();
    let version = |html: &str| {
        html.split(r#"data-notice="museum" data-version=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string)
            .expect("a version")
    };
    let before = version(&t.read("index.html"));
    let t = t
        .replace("content/_notices/museum.md", "21 giờ", "22 giờ")
        .build();
    assert_ne!(
        before,
        version(&t.read("index.html")),
        "a new text is a new version"
    );
}

#[test]
fn a_notice_without_level_or_with_a_bad_date_is_an_error_with_its_line() {
    let t = timely_site().write("content/_notices/bad.md", "---\ntitle: \"x\"\n---\nText.\n");
    let d = t.expect_error();
    let e = d
        .iter()
        .find(|d| d.message.contains("no `level`"))
        .expect("the missing level");
    assert!(
        e.file
            .as_ref()
            .is_some_and(|f| f.ends_with("content/_notices/bad.md")),
        "{e:?}"
    );
    let t = timely_site().write(
        "content/_notices/bad.md",
        "---\nlevel: warning\nends: next tuesday\n---\nText.\n",
    );
    let d = t.expect_error();
    let e = d
        .iter()
        .find(|d| d.message.contains("`ends` is not a date"))
        .expect("the bad date");
    assert_eq!(e.location.map(|l| l.line), Some(3), "{e:?}");
    let t = timely_site().write("content/_notices/bad.md", "---\nlevel: urgent\n---\nText.\n");
    let out = t.cmd(&["build"]);
    assert_eq!(code(&out), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/_notices/bad.md"), "{stderr}");
    assert!(!t.root.join("public").exists(), "nothing half-written");
}

#[test]
fn i18n_status_counts_the_notices_files() {
    let t = timely_site();
    let out = t.cmd(&["i18n", "status", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = json["pages"].as_array().expect("pages");
    let typhoon = rows
        .iter()
        .find(|r| r["content_path"] == "_notices/typhoon")
        .expect("the notice is a row");
    assert_eq!(typhoon["kind"], "notice");
    assert_eq!(typhoon["languages"]["en"]["state"], "translated");
    assert_eq!(typhoon["languages"]["fr"]["state"], "fallback");
    assert_eq!(typhoon["languages"]["fr"]["fallback_language"], "en");
    assert!(
        !rows.iter().any(|r| r["content_path"] == "_notices/old-drill"),
        "expired notices are no work"
    );
    let notices = json["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["section"] == "_notices")
        .expect("a _notices section");
    assert_eq!(notices["languages"]["en"]["translated"], 1);
}
