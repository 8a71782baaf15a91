//! Major and minor changes: `changes: [{date, note}]` are public change
//! notes shown on the page and in each language's feed of changes (with
//! the corrections log); the newest one is the page's public "updated"
//! date everywhere (page, JSON-LD, sitemap, feeds). A minor edit adds no
//! note and moves no date.

use crate::notices::timely_site;

const NEWEST: &str = "2025-09-05T08:00:00+07:00";

#[test]
fn change_notes_are_shown_on_the_page_with_localized_dates() {
    let t = timely_site().build();
    t.assert_file_contains(
        "en/news/storm/index.html",
        r#"<li><time datetime="2025-09-05T08:00:00+07:00">Updated on September 5, 2025</time>: <span>Evacuation guidance updated.</span></li>"#,
    );
    t.assert_file_contains("news/storm/index.html", "Cập nhật ngày");
    t.assert_file_contains("news/storm/index.html", "Cập nhật hướng dẫn sơ tán.");
    // Newest first.
    let en = t.read("en/news/storm/index.html");
    let newest = en.find("Evacuation guidance updated.").expect("newest note");
    let older = en.find("Damage figures added.").expect("older note");
    assert!(newest < older, "newest first");
    // A fallback copy (ar shows English) marks the notes' language.
    t.assert_file_contains(
        "ar/news/storm/index.html",
        r#"<span lang="en" dir="ltr">Evacuation guidance updated.</span>"#,
    );
}

#[test]
fn the_public_updated_date_is_the_newest_change_note_everywhere() {
    let t = timely_site().build();
    let page = t.read("en/news/storm/index.html");
    assert!(
        page.contains(&format!(r#""dateModified":"{NEWEST}""#)),
        "JSON-LD: {page}"
    );
    assert!(page.contains(&format!(r#"<time datetime="{NEWEST}">"#)));
    let feed = t.read("en/atom.xml");
    assert!(feed.contains(&format!("<updated>{NEWEST}</updated>")), "{feed}");
    let sitemap = t.read("sitemap.xml");
    assert!(
        sitemap.contains(&format!("<lastmod>{NEWEST}</lastmod>")),
        "{sitemap}"
    );
}

#[test]
fn a_minor_edit_changes_no_public_date() {
    let t = timely_site().build();
    let dates = |t: &crate::site_test::SiteTest| {
        let mut out = Vec::new();
        for file in [
            "en/news/storm/index.html",
            "en/atom.xml",
            "en/changes.xml",
            "sitemap.xml",
        ] {
            let text = t.read(file);
            out.extend(
                text.match_indices("20")
                    .filter(|(i, _)| text[*i..].len() > 10 && text.as_bytes()[i + 4] == b'-')
                    .map(|(i, _)| text[i..i + 10].to_string()),
            );
        }
        out
    };
    let before = dates(&t);
    assert!(!before.is_empty());
    let t = t
        .replace(
            "content/news/storm.en.md",
            "made landfall",
            "made landfall (typo fixed)",
        )
        .build();
    t.assert_file_contains("en/news/storm/index.html", "typo fixed");
    assert_eq!(before, dates(&t), "a typo fix moved a public date");
}

#[test]
fn each_language_has_a_feed_of_changes_with_the_corrections_log() {
    let t = timely_site().build();
    let en = t.read("en/changes.xml");
    assert!(en.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">"#));
    assert!(
        en.contains(&format!("<updated>{NEWEST}</updated>")),
        "the newest note, not the build time: {en}"
    );
    assert!(
        en.contains("<title>Typhoon Yagi – Updated on September 5, 2025</title>"),
        "{en}"
    );
    assert!(en.contains("<summary type=\"text\">Evacuation guidance updated.</summary>"));
    assert!(en.contains("<summary type=\"text\">Province name corrected.</summary>"));
    assert!(en.contains(r#"<category term="correction"/>"#));
    let order: Vec<usize> = ["Evacuation guidance", "Province name corrected", "Damage figures"]
        .iter()
        .map(|s| en.find(s).expect(s))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "newest first: {en}");
    let vi = t.read("changes.xml");
    assert!(vi.contains("Sửa tên tỉnh.") && vi.contains("Bổ sung số liệu thiệt hại."));
    assert!(!vi.contains("Province name corrected."), "own text only");
    // French has no text of its own: an empty feed, dated by nothing.
    let fr = t.read("fr/changes.xml");
    assert!(!fr.contains("<entry>"), "{fr}");
    assert!(fr.contains("<updated>1970-01-01T00:00:00+00:00</updated>"));
    t.assert_file_contains(
        "en/index.html",
        r#"href="https://timely.example.org/en/changes.xml""#,
    );
}

#[test]
fn a_change_note_with_a_bad_date_is_an_error() {
    let t = timely_site().replace(
        "content/news/storm.en.md",
        "  - date: 2025-09-03",
        "  - date: soon",
    );
    let d = t.expect_error();
    let e = d
        .iter()
        .find(|d| d.message.contains("is not a date: `soon`"))
        .expect("the bad date");
    assert!(
        e.file
            .as_ref()
            .is_some_and(|f| f.ends_with("content/news/storm.en.md"))
    );
    assert!(e.location.is_some(), "{e:?}");
}
