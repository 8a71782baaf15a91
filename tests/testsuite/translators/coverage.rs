//! Coverage counts, staleness and stamps.

use serde_json::Value;

use super::{language, page, stale_files, status_json};
use crate::site_test::SiteTest;

#[test]
fn coverage_counts_are_exact_per_language_and_section() {
    let site = SiteTest::new("translators-site");
    let status = status_json(&site);
    let fr = language(&status, "fr");
    let expect = |v: &Value, key: &str, n: f64| assert_eq!(v[key].as_f64(), Some(n), "{key} in {v}");
    for (key, n) in [
        ("pages", 6.0),
        ("translated", 4.0),
        ("fallback", 2.0),
        ("missing", 0.0),
        ("stale", 1.0),
        ("reviewed", 1.0),
        ("machine", 0.0),
        ("words", 38.0),
        ("covered_words", 30.0),
        ("coverage_pages", 66.7),
        ("coverage_words", 78.9),
    ] {
        expect(fr, key, n);
    }
    let ru = language(&status, "ru");
    for (key, n) in [
        ("translated", 3.0),
        ("fallback", 3.0),
        ("machine", 1.0),
        ("coverage_pages", 50.0),
    ] {
        expect(ru, key, n);
    }
    expect(language(&status, "en"), "source", 6.0);
    let sections = status["sections"].as_array().expect("sections");
    let guide = sections.iter().find(|s| s["section"] == "guide").expect("guide");
    expect(&guide["languages"]["ru"], "pages", 3.0);
    expect(&guide["languages"]["ru"], "coverage_pages", 66.7);
    let news = sections.iter().find(|s| s["section"] == "news").expect("news");
    expect(&news["languages"]["fr"], "coverage_pages", 0.0);
    let install = page(&status, "guide/install");
    assert_eq!(install["languages"]["ru"]["status"], "machine");
    assert_eq!(install["languages"]["ru"]["by"], "MT engine");
    assert_eq!(
        page(&status, "news/launch")["languages"]["fr"]["fallback_language"],
        "en"
    );
}

#[test]
fn a_source_edit_makes_exactly_its_translations_stale() {
    let site = SiteTest::new("translators-site");
    assert_eq!(stale_files(&status_json(&site)), ["content/guide/usage.fr.md"]);

    // A whitespace-only edit (reflowed, re-indented, blank lines) changes nothing.
    let install = site.read_source("content/guide/install.md");
    let site = site.write(
        "content/guide/install.md",
        &install
            .replace("unpack it into", "unpack   it\ninto")
            .replace("\n\nDownload", "\n\n\n  Download"),
    );
    assert_eq!(stale_files(&status_json(&site)), ["content/guide/usage.fr.md"]);

    // A real edit makes both its translations stale, and only them.
    let edited = install.replace("the archive", "the signed archive");
    let site = site.write(
        "content/guide/install.md",
        &format!("{edited}\nCheck the checksum first.\n"),
    );
    let status = status_json(&site);
    assert_eq!(
        stale_files(&status),
        [
            "content/guide/install.fr.md",
            "content/guide/install.ru.md",
            "content/guide/usage.fr.md"
        ]
    );
    // The stamped snapshot gives the paragraph-level diff, the mtime the date.
    let stale = &page(&status, "guide/install")["languages"]["fr"]["stale"];
    let changes: Vec<(&str, u64, &str)> = stale["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap_or_default(),
                c["paragraph"].as_u64().unwrap_or_default(),
                c["text"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "changed",
                2,
                "Download the signed archive and unpack it into a folder."
            ),
            ("added", 3, "Check the checksum first.")
        ]
    );
    assert!(stale["source_modified"].as_str().expect("date").contains('T'));
    // Without a snapshot (usage.fr.md's hash was never stamped here) only the date is known.
    let usage = &page(&status, "guide/usage")["languages"]["fr"]["stale"];
    assert!(usage["changes"].is_null());
    assert_eq!(usage["stamped_hash"], "0000000000000000");

    // Stamping catches the translations up again.
    let out = site.cmd(&["i18n", "stamp", "--all", "--lang", "fr"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stale_files(&status_json(&site)), ["content/guide/install.ru.md"]);
}

#[test]
fn stamp_rewrites_only_the_hash_line() {
    let site = SiteTest::new("translators-site");
    let before = site.read_source("content/guide/usage.fr.md");
    let out = site.cmd(&["i18n", "stamp", "content/guide/usage.fr.md"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = site.read_source("content/guide/usage.fr.md");
    let status = status_json(&site);
    let hash = page(&status, "guide/usage")["source_hash"]
        .as_str()
        .expect("hash")
        .to_string();
    assert_eq!(after, before.replace("0000000000000000", &hash));

    // A file without the field gets one line before the closing `---`.
    let before = site.read_source("content/news/launch.ru.md");
    assert!(
        site.cmd(&["i18n", "stamp", "content/news/launch.ru.md"])
            .status
            .success()
    );
    let after = site.read_source("content/news/launch.ru.md");
    let launch = status_json(&site);
    let hash = page(&launch, "news/launch")["source_hash"]
        .as_str()
        .expect("hash")
        .to_string();
    assert_eq!(
        after,
        before.replace(
            "  status: reviewed\n---",
            &format!("  status: reviewed\nsource_hash: \"{hash}\"\n---")
        )
    );

    // A source is not a translation; an unknown file is not content.
    let out = site.cmd(&["i18n", "stamp", "content/guide/usage.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the source of its page"));
    assert_eq!(site.cmd(&["i18n", "stamp", "nowhere.md"]).status.code(), Some(1));
}

#[test]
fn source_language_names_the_original_of_a_page() {
    let site = SiteTest::new("translators-site");
    let site = site.write(
        "content/news/salon.fr.md",
        "---\ntitle: \"Salon du livre\"\ndate: 2025-03-01\n---\n\nLe manuel sera présenté au salon du livre.\n",
    );
    let site = site.write(
        "content/news/salon.md",
        "---\ntitle: \"Book fair\"\ndate: 2025-03-01\nsource_language: fr\n---\n\nThe handbook will be shown at the book fair.\n",
    );
    let status = status_json(&site);
    let salon = page(&status, "news/salon");
    assert_eq!(salon["source_language"], "fr");
    assert_eq!(salon["source_file"], "content/news/salon.fr.md");
    assert_eq!(salon["languages"]["en"]["state"], "translated");
    assert_eq!(salon["languages"]["en"]["unstamped"], true);
    assert_eq!(salon["languages"]["fr"]["state"], "source");
    // The English translation can be stamped against its French source.
    let out = site.cmd(&["i18n", "stamp", "content/news/salon.md"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let hash = page(&status_json(&site), "news/salon")["source_hash"].clone();
    assert!(
        site.read_source("content/news/salon.md")
            .contains(&format!("source_hash: {hash}\n"))
    );

    // An unknown language is an error at its line.
    let site = site.write(
        "content/news/salon.md",
        "---\ntitle: \"Book fair\"\nsource_language: xx\n---\n",
    );
    let out = site.cmd(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`source_language` names `xx`") && stderr.contains("content/news/salon.md:3:1"),
        "{stderr}"
    );
}
