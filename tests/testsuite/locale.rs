//! Language-aware output: writing direction, CLDR plurals through Fluent,
//! CLDR dates, and collation order in lists.

use crate::site_test::SiteTest;

#[test]
fn arabic_pages_are_right_to_left_and_others_left_to_right() {
    let t = SiteTest::new("multilingual").build();
    for page in [
        "ar/index.html",
        "ar/culture/index.html",
        "ar/culture/ao-dai/index.html",
        // A fallback copy is still an Arabic page.
        "ar/culture/mua-roi-nuoc/index.html",
        "ar/tags/index.html",
        "ar/404.html",
    ] {
        t.assert_file_contains(page, "<html lang=\"ar\" dir=\"rtl\">");
    }
    t.assert_file_contains("en/culture/ao-dai/index.html", "<html lang=\"en\" dir=\"ltr\">")
        .assert_file_contains("culture/ao-dai/index.html", "<html lang=\"vi\" dir=\"ltr\">")
        .assert_file_contains("zh/culture/ao-dai/index.html", "<html lang=\"zh\" dir=\"ltr\">");
}

/// `n:category` pairs printed by the plurals fixture's index.html.
fn plural_categories(html: &str) -> Vec<String> {
    let list = html
        .split("<ul class=\"plurals\">")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_else(|| panic!("no plurals list in:\n{html}"));
    list.lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("<li>")?.strip_suffix("</li>"))
        .map(str::to_string)
        .collect()
}

#[test]
fn plurals_follow_each_languages_cldr_rules() {
    let t = SiteTest::new("plurals").build();
    // Every bundle offers every category; only the language's rules choose.
    for (page, expected) in [
        (
            "index.html",
            [
                "0:other",
                "1:other",
                "2:other",
                "5:other",
                "11:other",
                "100:other",
            ],
        ),
        (
            "en/index.html",
            ["0:other", "1:one", "2:other", "5:other", "11:other", "100:other"],
        ),
        (
            "fr/index.html",
            ["0:one", "1:one", "2:other", "5:other", "11:other", "100:other"],
        ),
        (
            "ar/index.html",
            ["0:zero", "1:one", "2:two", "5:few", "11:many", "100:other"],
        ),
    ] {
        assert_eq!(plural_categories(&t.read(page)), expected, "plurals in {page}");
    }
}

/// The text of the `<time class="date">` of a page.
fn shown_date(t: &SiteTest, page: &str) -> String {
    let html = t.read(page);
    let start = html
        .find("<time class=\"date\"")
        .unwrap_or_else(|| panic!("no date in {page}:\n{html}"));
    let rest = &html[start..];
    let open = rest.find('>').expect("tag end") + 1;
    let close = rest.find("</time>").expect("</time>");
    rest[open..close].to_string()
}

#[test]
fn dates_are_formatted_for_each_language() {
    let t = SiteTest::new("multilingual").build();
    assert_eq!(shown_date(&t, "en/culture/ao-dai/index.html"), "June 15, 2023");
    assert_eq!(shown_date(&t, "zh/culture/ao-dai/index.html"), "2023年6月15日");
    assert_eq!(
        shown_date(&t, "fr/culture/robe-ao-dai/index.html"),
        "15 juin 2023"
    );
    let ar = shown_date(&t, "ar/culture/ao-dai/index.html");
    assert!(ar.contains("يونيو"), "no Arabic month name in `{ar}`");
    let vi = shown_date(&t, "culture/ao-dai/index.html");
    assert!(
        vi.contains("tháng 6") && vi.contains("2023") && vi.contains("15"),
        "vi date `{vi}`"
    );
    // A fallback copy shows its date in the reader's language, not the text's.
    assert_eq!(
        shown_date(&t, "en/culture/mua-roi-nuoc/index.html"),
        "January 10, 2023"
    );
}

/// The link texts of elements with `class="{class}"`, in document order.
fn link_texts(html: &str, class: &str) -> Vec<String> {
    let marker = format!("class=\"{class}\"");
    html.match_indices(&marker)
        .map(|(i, _)| {
            let rest = &html[i..];
            let open = rest.find('>').expect("tag end") + 1;
            let close = rest.find("</a>").expect("</a>");
            rest[open..close].to_string()
        })
        .collect()
}

#[test]
fn titles_and_terms_are_sorted_by_the_languages_collation() {
    let t = SiteTest::new("collation").build();
    // Vietnamese letters: a < ă < â < b < d < đ (files are named in another order).
    assert_eq!(
        link_texts(&t.read("words/index.html"), "card"),
        ["an", "ăn", "âm", "bò", "da", "đá"]
    );
    assert_eq!(
        link_texts(&t.read("tags/index.html"), "term"),
        ["An ninh", "Ăn uống", "Âm nhạc", "Bánh", "Dương", "Đông Hà"]
    );
    // The same titles listed in English follow English rules: â is a plain a there.
    let en = link_texts(&t.read("en/words/index.html"), "card");
    assert_eq!(
        en.first().map(String::as_str),
        Some("âm"),
        "English order: {en:?}"
    );
    assert_eq!(en.len(), 6);
}
