//! Tests of the built sample portal at the repository root: every language,
//! `<html lang dir>` and reciprocal hreflang on every page, fallback and
//! machine-translation notices, key figures per language, the documents
//! filter, sharing without scripts, shortcodes, corrections and covers.

use std::path::Path;

use crate::site_test::SiteTest;

static PORTAL: std::sync::OnceLock<(SiteTest, usize)> = std::sync::OnceLock::new();

/// The sample portal, built once for all the tests below.
fn portal() -> &'static SiteTest {
    let (site, _) = PORTAL.get_or_init(|| {
        let site = SiteTest::portal();
        let report = site.rebuild();
        (site, report.diagnostics.len())
    });
    site
}

const LANGS: &[&str] = &["vi", "en", "fr", "zh", "ar", "ru"];

#[test]
fn the_portal_builds_without_warnings_in_every_language() {
    portal();
    let warnings = PORTAL.get().map(|(_, w)| *w);
    assert_eq!(warnings, Some(0));
    for lang in LANGS {
        let home = if *lang == "vi" {
            "index.html".to_string()
        } else {
            format!("{lang}/index.html")
        };
        let html = portal().read(&home);
        let dir = if *lang == "ar" { "rtl" } else { "ltr" };
        assert!(
            html.contains(&format!(r#"<html lang="{lang}" dir="{dir}">"#)),
            "{home}"
        );
        assert!(
            portal()
                .out
                .join(if *lang == "vi" {
                    "404.html".to_string()
                } else {
                    format!("{lang}/404.html")
                })
                .is_file()
        );
        assert!(
            portal()
                .out
                .join(if *lang == "vi" {
                    "atom.xml".to_string()
                } else {
                    format!("{lang}/atom.xml")
                })
                .is_file()
        );
    }
}

#[test]
fn the_portal_has_the_content_the_issue_asks_for() {
    let count = |suffix: &str| {
        walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
            .into_iter()
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                !name.starts_with("_index")
                    && name.ends_with(suffix)
                    && (suffix != ".md" || name.matches('.').count() == 1)
            })
            .count()
    };
    assert!(count(".md") >= 30, "Vietnamese pages: {}", count(".md"));
    assert!(count(".en.md") >= 25, "English pages: {}", count(".en.md"));
    for lang in ["fr", "zh", "ar", "ru"] {
        assert!(count(&format!(".{lang}.md")) >= 3, "{lang} has some pages");
    }
}

#[test]
fn every_page_has_lang_dir_and_reciprocal_hreflang() {
    let pages = portal().html_pages();
    assert!(pages.len() > 250);
    let re_alt = |html: &str| -> Vec<(String, String)> {
        html.lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix(r#"<link rel="alternate" hreflang=""#)?;
                let (lang, rest) = rest.split_once('"')?;
                let href = rest.split_once(r#"href=""#)?.1.split_once('"')?.0;
                let href = percent_encoding::percent_decode_str(href)
                    .decode_utf8_lossy()
                    .into_owned();
                Some((lang.to_string(), href))
            })
            .collect()
    };
    let base = "https://portal.example.org/";
    let by_url: std::collections::HashMap<String, &String> = pages
        .iter()
        .map(|(rel, html)| (format!("{base}{}", rel.trim_end_matches("index.html")), html))
        .collect();
    let mut checked = 0;
    for (rel, html) in &pages {
        assert!(
            html.contains(r#"<html lang=""#) && html.contains(r#"" dir=""#),
            "{rel} has <html lang dir>"
        );
        // Fallback copies are `noindex` and point at the original: they
        // are not alternates themselves.
        if html.contains(r#"<meta name="robots" content="noindex"#) {
            continue;
        }
        for (lang, href) in re_alt(html) {
            if lang == "x-default" {
                continue;
            }
            let Some(target) = by_url.get(&href) else {
                panic!("{rel}: hreflang {lang} points to a missing page {href}")
            };
            let self_url = format!("{base}{}", rel.trim_end_matches("index.html"));
            assert!(
                re_alt(target).iter().any(|(_, h)| *h == self_url),
                "{href} does not link back to {self_url}"
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "hreflang links checked: {checked}");
}

#[test]
fn fallback_and_machine_translation_notices_appear_where_they_should() {
    // Not translated into Arabic: the Vietnamese/English text, marked with its language.
    let html = portal().read("ar/culture/pho/index.html");
    assert!(
        html.contains(r#"class="notice notice-fallback""#),
        "fallback notice"
    );
    assert!(
        html.contains(r#"lang="en" dir="ltr""#),
        "the fallback text carries its language"
    );
    // Every piece of fallback text carries its language, breadcrumbs included.
    assert!(html.contains(r#"<span aria-current="page" lang="en" dir="auto">Phở</span>"#));
    let zh = portal().read("zh/culture/xia-long-wan/index.html");
    assert!(
        zh.contains(r#"<span class="title" lang="vi" dir="auto">Tết Trung thu</span>"#),
        "{zh}"
    );
    // The language switcher says which languages show fallback text.
    assert!(html.contains(r#"class="is-fallback""#));
    // Translated pages carry no fallback notice.
    assert!(
        !portal()
            .read("en/culture/pho/index.html")
            .contains("notice-fallback")
    );
    // Machine translations are marked.
    let ru = portal().read("ru/country/ekonomika/index.html");
    assert!(
        ru.contains("notice-machine") && ru.contains("Эта страница переведена автоматически"),
        "{ru}"
    );
    assert!(
        portal()
            .read("en/history/doi-moi/index.html")
            .contains("notice-machine")
    );
    assert!(
        !portal()
            .read("country/kinh-te/index.html")
            .contains("notice-machine")
    );
}

#[test]
fn key_figures_are_formatted_for_each_language() {
    let expected = [
        ("country/tong-quan/index.html", "331.212"),
        ("en/country/at-a-glance/index.html", "331,212"),
        ("fr/country/en-bref/index.html", "331\u{202f}212"),
        ("ru/country/v-tsifrakh/index.html", "331\u{a0}212"),
        ("zh/country/overview/index.html", "331,212"),
    ];
    for (file, area) in expected {
        let html = portal().read(file);
        assert!(
            html.contains(&format!(r#"<span class="num">{area}</span>"#)),
            "{file}: area as {area:?}"
        );
    }
    let en = portal().read("en/country/at-a-glance/index.html");
    assert!(en.contains("July 1, 2025"), "dates are localized too");
    assert!(
        portal()
            .read("country/tong-quan/index.html")
            .contains("1 tháng 7, 2025")
            || portal().read("country/tong-quan/index.html").contains("tháng 7")
    );
    // The key-figure shortcode formats per language as well.
    assert!(
        portal()
            .read("country/kinh-te/index.html")
            .contains(r#"<span class="num">7,09</span>"#)
    );
    assert!(
        portal()
            .read("en/country/economy/index.html")
            .contains(r#"<span class="num">7.09</span>"#)
    );
}

/// The script of dismissible notices (`content/_notices/`), on every page.
const NOTICE_SCRIPT: &str = r#"<script src="/notice.js" defer></script>"#;

#[test]
fn the_documents_list_is_filterable_by_kind_and_year() {
    let html = portal().read("documents/index.html");
    for kind in ["constitution", "law", "resolution", "decree"] {
        assert!(html.contains(&format!(r#"id="kind-{kind}""#)), "a {kind} filter");
        assert!(
            html.contains(&format!(r#"data-kind="{kind}""#)),
            "a {kind} document"
        );
    }
    for year in ["2013", "2020", "2023", "2024", "2025"] {
        assert!(html.contains(&format!(r#"id="year-{year}""#)), "a {year} filter");
    }
    assert!(html.contains(r#"data-kind="law" data-year="2020""#));
    // The filter's rules are a static stylesheet (strict CSP: no inline style).
    assert!(html.contains(r#"<link rel="stylesheet" href="/documents-filter.css">"#));
    assert!(!html.contains("<style"));
    assert_eq!(html.matches(r#"class="doc-item""#).count(), 7);
    // The sample's dismissible notice brings the one script that remembers
    // a dismissal; the filter itself needs none.
    assert_eq!(
        html.replace(NOTICE_SCRIPT, "").matches("<script src").count(),
        0,
        "no JavaScript needed"
    );
    let doc = portal().read("en/documents/luat-dau-tu-2020/index.html");
    assert!(doc.contains(r#"<bdi dir="ltr">61/2020/QH14</bdi>"#));
    assert!(doc.contains("January 1, 2021"));
}

#[test]
fn articles_share_without_scripts_and_embed_video_without_third_party_requests() {
    let html = portal().read("en/culture/ha-long-bay/index.html");
    assert!(html.contains("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fportal%2Eexample%2Eorg%2Fen%2Fculture%2Fha%2Dlong%2Dbay%2F"));
    assert!(html.contains(r#"class="sc-video""#));
    assert!(
        !html.contains("<iframe"),
        "the video is a link until the reader follows it"
    );
    assert!(html.contains(r#"href="https://whc.unesco.org/en/list/672/video/""#));
    assert!(html.contains(r#"<section class="related""#));
    // Related cards carry a reading time like every other card.
    let related = html
        .split(r#"<section class="related""#)
        .nth(1)
        .expect("related section");
    assert!(related.matches(" min read").count() >= 2, "{related}");
    for (i, _) in related.match_indices(" min read") {
        assert!(
            related[..i].ends_with(|c: char| c.is_ascii_digit()),
            "a reading time without minutes"
        );
    }
    assert!(html.contains(r#"<link rel="stylesheet" href="/print.css" media="print">"#));
    // Only the search pages load a script (deferred, from the site itself),
    // besides the one remembering a dismissed notice.
    for (rel, page) in portal().html_pages() {
        let page = page.replace(NOTICE_SCRIPT, "");
        if rel.ends_with("search/index.html") {
            assert_eq!(page.matches("<script src").count(), 1, "{rel}");
            assert!(page.contains(r#"<script src="/search.js" defer>"#), "{rel}");
        } else {
            assert!(!page.contains("<script src"), "{rel} loads a script");
        }
    }
}

#[test]
fn the_quote_shortcode_shows_an_official_with_a_localized_date() {
    let en = portal().read("en/history/independence-1945/index.html");
    assert!(
        en.contains(r#"<span class="sc-quote-by">Hồ Chí Minh</span>"#),
        "{en}"
    );
    assert!(en.contains(r#"<time class="sc-quote-date" datetime="1945-09-02">September 2, 1945</time>"#));
    let vi = portal().read("history/doc-lap-1945/index.html");
    assert!(vi.contains(r#"datetime="1945-09-02">2 tháng 9 1945</time>"#));
}

#[test]
fn corrections_and_covers_with_alt_text_are_shown() {
    let html = portal().read("country/dan-so/index.html");
    assert!(html.contains(r#"id="corrections-title""#) && html.contains("Cập nhật dân số năm 2024"));
    let ar = portal().read("ar/history/independence-1945/index.html");
    assert!(ar.contains(r#"alt="رسم توضيحي: بوابة قلعة حمراء بسقف أصفر.""#));
    assert!(portal().out.join("images/covers/citadel.svg").is_file());
}
