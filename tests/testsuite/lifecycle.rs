//! Drafts, scheduled and expired pages: built only when the options say so.

use crate::site_test::SiteTest;

const DRAFT: &str = "notes/draft/index.html";
const SCHEDULED: &str = "notes/scheduled/index.html";
const EXPIRED: &str = "notes/expired/index.html";

#[test]
fn drafts_scheduled_and_expired_pages_are_left_out_by_default() {
    let t = SiteTest::new("minimal").build();
    t.assert_exists("notes/hello/index.html")
        .assert_missing(DRAFT)
        .assert_missing(SCHEDULED)
        .assert_missing(EXPIRED)
        // Nor are they listed anywhere: section, feed, sitemap, fallback copies.
        .assert_file_not_contains("notes/index.html", "Bản nháp")
        .assert_file_not_contains("notes/index.html", "Sắp đăng")
        .assert_file_not_contains("notes/index.html", "Hết hạn")
        .assert_file_not_contains("atom.xml", "/notes/draft/")
        .assert_file_not_contains("sitemap.xml", "/notes/scheduled/")
        .assert_file_not_contains("sitemap.xml", "/notes/expired/")
        .assert_missing("en/notes/draft/index.html");
}

#[test]
fn drafts_are_built_with_the_drafts_option_only() {
    let t = SiteTest::new("minimal").drafts().build();
    t.assert_file_contains(DRAFT, "Bản nháp")
        .assert_file_contains("notes/index.html", "Bản nháp")
        .assert_missing(SCHEDULED)
        .assert_missing(EXPIRED);
}

#[test]
fn future_pages_are_built_with_the_future_option_only() {
    let t = SiteTest::new("minimal").future().build();
    t.assert_file_contains(SCHEDULED, "Sắp đăng")
        .assert_missing(DRAFT)
        .assert_missing(EXPIRED);
}

#[test]
fn expired_pages_are_never_built() {
    let t = SiteTest::new("minimal").drafts().future().build();
    t.assert_exists(DRAFT)
        .assert_exists(SCHEDULED)
        .assert_missing(EXPIRED)
        .assert_file_not_contains("notes/index.html", "Hết hạn");
}

#[test]
fn the_binary_takes_drafts_and_future_flags() {
    let t = SiteTest::new("minimal");
    let out = t.out.to_string_lossy().into_owned();
    let run = t.cmd(&["build", "--output", &out, "--drafts", "--future"]);
    assert_eq!(crate::site_test::code(&run), 0, "{run:?}");
    t.assert_exists(DRAFT)
        .assert_exists(SCHEDULED)
        .assert_missing(EXPIRED);
}
