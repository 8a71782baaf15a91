//! Taxonomy terms as concepts: declared once under
//! `content/<taxonomy>/<key>/`, named per language, linked across languages
//! like pages (hreflang by Google's rules, the switcher, the sitemap), and
//! landing pages (introduction, featured pages, list, feed). The fixture
//! `taxonomy-terms` has `investors` in vi, en and fr (the English one with
//! its own slug), `travellers` in vi and en (formerly `tourists`),
//! `students` in English only, and a `regions` taxonomy of free terms.

use std::collections::{BTreeMap, BTreeSet};

use crate::site_test::{SiteTest, code, error_at, error_in, show};

const BASE: &str = "https://portal.example.org";

fn site() -> SiteTest {
    SiteTest::new("taxonomy-terms").build()
}

/// The `<li>` texts of the list with class `class`.
fn items(html: &str, class: &str) -> Vec<String> {
    let start = html
        .find(&format!("<ol class=\"{class}\">"))
        .unwrap_or_else(|| panic!("no list `{class}` in\n{html}"));
    let list = &html[start..];
    let list = &list[..list.find("</ol>").unwrap_or(list.len())];
    list.split("<li>")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap_or_default().to_string())
        .collect()
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in\n{html}"))
}

#[test]
fn a_landing_page_shows_its_introduction_then_featured_pages_in_order_then_the_list() {
    let t = site();
    let page = t.read("en/audiences/invest-in-viet-nam/index.html");
    let intro = position(&page, "The introduction for investors.");
    let featured = position(&page, "<ol class=\"featured\">");
    let list = position(&page, "<ol class=\"pages\">");
    assert!(
        intro < featured && featured < list,
        "intro, featured, list:\n{page}"
    );
    // The editor's order, not the date order of the list below.
    assert_eq!(
        items(&page, "featured"),
        ["Investing in electronics", "New industrial parks"]
    );
    assert_eq!(
        items(&page, "pages"),
        ["New industrial parks", "Investing in electronics"]
    );
    // Its own feed, with its pages.
    let feed = t.read("en/audiences/invest-in-viet-nam/atom.xml");
    assert!(feed.contains("<title>Investors – Test Portal</title>"), "{feed}");
    assert!(feed.contains("New industrial parks") && feed.contains("Investing in electronics"));
    assert!(page.contains(&format!(
        "href=\"{BASE}/en/audiences/invest-in-viet-nam/atom.xml\""
    )));
    // A term without text is a plain list: no feed of its own.
    t.assert_missing("en/audiences/travellers/atom.xml");
}

#[test]
fn pages_name_a_term_by_key_former_key_or_localized_name_and_link_it_in_their_language() {
    let t = site();
    // `b.md` names "Nhà đầu tư" (its Vietnamese name) and `tourists` (the
    // former key of `travellers`); `b.en.md` names both by key.
    let vi = t.read("news/b/index.html");
    assert!(
        vi.contains(&format!(
            "<a href=\"{BASE}/audiences/nha-dau-tu/\">Nhà đầu tư</a>"
        )),
        "{vi}"
    );
    assert!(
        vi.contains(&format!("<a href=\"{BASE}/audiences/du-khach/\">Du khách</a>")),
        "{vi}"
    );
    let en = t.read("en/news/b/index.html");
    assert!(en.contains(&format!(
        "<a href=\"{BASE}/en/audiences/invest-in-viet-nam/\">Investors</a>"
    )));
    // Named "Investisseurs" in French: the same term.
    let fr = t.read("fr/audiences/investisseurs/index.html");
    assert_eq!(items(&fr, "pages"), ["Investir dans l&#39;électronique"]);
    // The language switcher goes to the same term in every language.
    for lang_page in [
        "audiences/nha-dau-tu/index.html",
        "fr/audiences/investisseurs/index.html",
    ] {
        let html = t.read(lang_page);
        for (lang, href) in [
            ("vi", "/audiences/nha-dau-tu/"),
            ("en", "/en/audiences/invest-in-viet-nam/"),
            ("fr", "/fr/audiences/investisseurs/"),
        ] {
            let link = format!("<a class=\"tr\" hreflang=\"{lang}\" href=\"{BASE}{href}\">");
            assert!(html.contains(&link), "{lang_page} lacks {link}:\n{html}");
        }
    }
}

#[test]
fn a_term_missing_in_a_language_is_a_fallback_copy_with_a_notice_and_no_cluster() {
    let t = site();
    // `students` is written in English only: Vietnamese readers get the
    // English text, marked, canonical to the original, noindex.
    let vi = t.read("audiences/students/index.html");
    assert!(vi.contains("<p class=\"fallback\" lang=\"en\">"), "{vi}");
    assert!(vi.contains("noindex"));
    assert!(vi.contains(&format!(
        "rel=\"canonical\" href=\"{BASE}/en/audiences/students/\""
    )));
    assert!(
        !vi.contains("hreflang=\"x-default\""),
        "a fallback copy has no cluster:\n{vi}"
    );
    // Its list is the language's own pages.
    assert_eq!(items(&vi, "pages"), ["Học bổng"]);
    let en = t.read("en/audiences/students/index.html");
    assert!(en.contains("index, follow"));
    // The one member left names only itself and x-default.
    assert!(en.contains(&format!("hreflang=\"en\" href=\"{BASE}/en/audiences/students/\"")));
    let (_, _, cluster) = head(&en);
    assert_eq!(cluster.len(), 2, "itself and x-default: {cluster:?}");
    let sitemap = t.read("sitemap.xml");
    assert!(!sitemap.contains(&format!("<loc>{BASE}/audiences/students/</loc>")));
    assert!(sitemap.contains(&format!("<loc>{BASE}/en/audiences/students/</loc>")));
}

/// `<head>`: robots noindex, canonical and hreflang alternates.
fn head(html: &str) -> (bool, String, BTreeSet<(String, String)>) {
    let head = html.split("</head>").next().unwrap_or_default();
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[start..].split('"').next().map(str::to_string)
    };
    let mut out = (false, String::new(), BTreeSet::new());
    for tag in head.split('<').map(|t| t.split('>').next().unwrap_or_default()) {
        if tag.starts_with("meta ") && attr(tag, "name").as_deref() == Some("robots") {
            out.0 = attr(tag, "content").is_some_and(|c| c.contains("noindex"));
        } else if tag.starts_with("link ") && attr(tag, "rel").as_deref() == Some("canonical") {
            out.1 = attr(tag, "href").unwrap_or_default();
        } else if tag.starts_with("link ")
            && attr(tag, "rel").as_deref() == Some("alternate")
            && let (Some(l), Some(h)) = (attr(tag, "hreflang"), attr(tag, "href"))
        {
            out.2.insert((l, h));
        }
    }
    out
}

/// The sitemap's `xhtml:link` alternates by `<loc>`.
fn sitemap_clusters(xml: &str) -> BTreeMap<String, BTreeSet<(String, String)>> {
    xml.split("<url>")
        .skip(1)
        .map(|url| {
            let loc = url.split("<loc>").nth(1).and_then(|l| l.split("</loc>").next());
            let links = url
                .split("<xhtml:link ")
                .skip(1)
                .filter_map(|l| {
                    let get = |n: &str| l.split(&format!("{n}=\"")).nth(1)?.split('"').next();
                    Some((get("hreflang")?.to_string(), get("href")?.to_string()))
                })
                .collect();
            (loc.unwrap_or_default().to_string(), links)
        })
        .collect()
}

#[test]
fn hreflang_of_term_pages_follows_googles_rules_and_agrees_with_the_sitemap() {
    let t = site();
    let url_file = |url: &str| {
        let path = url.strip_prefix(BASE).expect("a URL of the site");
        format!("{}index.html", path.trim_start_matches('/'))
    };
    let sitemap = sitemap_clusters(&t.read("sitemap.xml"));
    let terms: Vec<String> = t
        .listing()
        .lines()
        .map(str::to_string)
        .filter(|f| {
            // `[<lang>/]<taxonomy>/<term>/index.html`
            let path = f
                .strip_prefix("en/")
                .or_else(|| f.strip_prefix("fr/"))
                .unwrap_or(f);
            let parts: Vec<&str> = path.split('/').collect();
            parts.len() == 3 && parts[2] == "index.html" && ["audiences", "regions"].contains(&parts[0])
        })
        .collect();
    assert!(terms.len() >= 10, "term pages: {terms:?}");
    let mut clustered = 0;
    for file in &terms {
        let (noindex, canonical, cluster) = head(&t.read(file));
        if noindex {
            assert!(cluster.is_empty(), "{file} is noindex but has alternates");
            assert!(!sitemap.contains_key(&format!("{BASE}/{}", file.trim_end_matches("index.html"))));
            continue;
        }
        clustered += 1;
        let own = format!("{BASE}/{}", file.trim_end_matches("index.html"));
        assert_eq!(canonical, own, "{file} is canonical to itself");
        assert!(
            cluster.iter().any(|(_, h)| *h == own),
            "{file} lists itself: {cluster:?}"
        );
        assert!(
            cluster.iter().any(|(l, _)| l == "x-default"),
            "{file}: {cluster:?}"
        );
        for (lang, href) in &cluster {
            let other = url_file(href);
            assert!(
                t.exists(&other),
                "{file} names {href} ({lang}), which is not built"
            );
            let (other_noindex, _, other_cluster) = head(&t.read(&other));
            assert!(!other_noindex, "{file} names the noindex page {href}");
            assert_eq!(
                &other_cluster, &cluster,
                "{href} does not return {file}'s cluster"
            );
        }
        assert_eq!(
            sitemap.get(&own),
            Some(&cluster),
            "sitemap and head differ for {file}"
        );
    }
    assert!(clustered >= 6, "indexable term pages: {clustered}");
}

#[test]
fn an_unknown_term_is_an_error_at_its_place_with_a_did_you_mean_hint() {
    let t = SiteTest::new("taxonomy-terms").replace(
        "content/news/d.md",
        "audiences: [\"students\"]",
        "audiences: [\"students\", \"investers\"]",
    );
    let errors = t.expect_error();
    let d = error_at(&errors, "content/news/d.md", 4);
    assert_eq!(d.location.map(|l| l.column), Some(26), "{d}");
    assert!(
        d.message.contains("`investers` is not a term of `audiences`"),
        "{d}"
    );
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("did you mean `investors`?"), "{hint}");
    assert!(hint.contains("free_terms: true"), "{hint}");
}

#[test]
fn a_renamed_key_is_found_through_renamed_from_and_is_an_error_without_it() {
    // With `renamed_from: ["tourists"]` the old key still works (above);
    // without it, the page naming the old key fails with the terms listed.
    let t = SiteTest::new("taxonomy-terms").replace(
        "content/audiences/travellers/_index.md",
        "renamed_from: [\"tourists\"]\n",
        "",
    );
    let errors = t.expect_error();
    let d = error_at(&errors, "content/news/b.md", 4);
    assert!(
        d.message.contains("`tourists` is not a term of `audiences`"),
        "{d}"
    );
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("investors, students, travellers"), "{hint}");
}

#[test]
fn free_terms_keep_working_until_a_taxonomy_declares_terms_or_forbids_them() {
    let t = site();
    // `regions` declares nothing: each language's names are terms.
    t.assert_exists("regions/ha-noi/index.html")
        .assert_exists("en/regions/hanoi/index.html");
    let forbidden = SiteTest::new("taxonomy-terms").replace(
        "site.yaml",
        "  - name: regions\n",
        "  - name: regions\n    free_terms: false\n",
    );
    let errors = forbidden.expect_error();
    let d = error_in(&errors, "content/news/c.md");
    assert!(
        d.message.contains("`Hà Nội` is not a term of `regions`"),
        "{}",
        show(&errors)
    );
}

#[test]
fn featured_links_must_name_pages_of_the_site() {
    let t = SiteTest::new("taxonomy-terms").replace(
        "content/audiences/investors/_index.fr.md",
        "\"@/news/b.md\"",
        "\"@/news/zzz.md\"",
    );
    let errors = t.expect_error();
    let d = error_at(&errors, "content/audiences/investors/_index.fr.md", 3);
    assert!(d.message.contains("`@/news/zzz.md`"), "{d}");
    // Only terms have `featured`.
    let t = SiteTest::new("taxonomy-terms").replace(
        "content/news/d.md",
        "date:",
        "featured: [\"@/news/a.md\"]\ndate:",
    );
    let d = error_at(&t.expect_error(), "content/news/d.md", 3).clone();
    assert!(
        d.message.contains("`featured` belongs to taxonomy terms only"),
        "{d}"
    );
}

#[test]
fn i18n_status_counts_term_names_and_landing_pages_per_language() {
    let t = SiteTest::new("taxonomy-terms");
    let out = t.cmd(&["i18n", "status", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let counts = |lang: &str| -> [u64; 4] {
        let l = status["languages"]
            .as_array()
            .and_then(|ls| ls.iter().find(|l| l["code"] == lang))
            .unwrap_or_else(|| panic!("no {lang} in {status}"));
        ["terms", "named_terms", "landing_pages", "covered_landing_pages"]
            .map(|k| l[k].as_u64().unwrap_or_else(|| panic!("no {k} in {l}")))
    };
    // investors (vi, en, fr; landing), travellers (vi, en), students (en; landing).
    assert_eq!(counts("vi"), [3, 2, 2, 1]);
    assert_eq!(counts("en"), [3, 3, 2, 2]);
    assert_eq!(counts("fr"), [3, 1, 2, 1]);
    let rows = status["pages"].as_array().expect("pages");
    let students = rows
        .iter()
        .find(|r| r["content_path"] == "audiences/students")
        .expect("a row for the term");
    assert_eq!(students["kind"], "term");
    assert_eq!(students["languages"]["vi"]["state"], "fallback");
    let text = t.cmd(&["i18n", "status"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("terms (named / declared"), "{text}");
}
