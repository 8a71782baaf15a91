//! Translations are linked: every page names each of its translations with
//! `<link rel="alternate" hreflang>`, and `sitemap.xml` lists reciprocal
//! `xhtml:link` alternates (itself and `x-default` included).

use std::collections::{BTreeMap, BTreeSet};

use crate::site_test::SiteTest;

const BASE: &str = "https://portal.example.org";

/// `(hreflang, href)` of every `<link rel="alternate" hreflang=…>` in a page.
fn alternates(html: &str) -> BTreeSet<(String, String)> {
    html.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
        .map(|l| (attr(l, "hreflang"), attr(l, "href")))
        .collect()
}

fn attr(tag: &str, name: &str) -> String {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + name.len()
        + 3;
    let len = tag[start..].find('"').expect("closing quote");
    tag[start..start + len].to_string()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(l, u)| (l.to_string(), format!("{BASE}{u}")))
        .collect()
}

#[test]
fn every_translation_links_every_other_with_hreflang() {
    let t = SiteTest::new("multilingual").build();
    // Tết exists in vi, en and ar; fr and zh only show fallback copies.
    let expected = set(&[
        ("vi", "/culture/tet/"),
        ("en", "/en/culture/tet/"),
        ("ar", "/ar/culture/tet/"),
        ("x-default", "/culture/tet/"),
    ]);
    for (page, own_url) in [
        ("culture/tet/index.html", "/culture/tet/"),
        ("en/culture/tet/index.html", "/en/culture/tet/"),
        ("ar/culture/tet/index.html", "/ar/culture/tet/"),
    ] {
        let html = t.read(page);
        assert_eq!(alternates(&html), expected, "hreflang links of {page}");
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{BASE}{own_url}\">")),
            "{page} is not its own canonical URL:\n{html}"
        );
    }
    // A page in all five languages links all five.
    let all = alternates(&t.read("zh/culture/ao-dai/index.html"));
    let langs: BTreeSet<&str> = all.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(langs, BTreeSet::from(["vi", "en", "fr", "ar", "zh", "x-default"]));
    assert!(all.contains(&("fr".to_string(), format!("{BASE}/fr/culture/robe-ao-dai/"))));
}

#[test]
fn a_fallback_copy_is_not_announced_as_a_translation() {
    let t = SiteTest::new("multilingual").build();
    // The French Tết page shows the English text: it must not claim hreflang="fr",
    // and its canonical URL is the original it copies.
    let html = t.read("fr/culture/tet/index.html");
    let langs: BTreeSet<String> = alternates(&html).into_iter().map(|(l, _)| l).collect();
    assert!(
        !langs.contains("fr"),
        "a fallback copy claims hreflang=fr:\n{html}"
    );
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}/en/culture/tet/\">"
    )));
}

/// `loc` → its `xhtml:link` alternates, from sitemap.xml.
fn sitemap(xml: &str) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let doc = roxmltree::Document::parse(xml).expect("sitemap.xml is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let mut urls = BTreeMap::new();
    for url in root.children().filter(|n| n.has_tag_name("url")) {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .and_then(|n| n.text())
            .expect("every <url> has a <loc>")
            .to_string();
        let links: BTreeSet<(String, String)> = url
            .children()
            .filter(|n| {
                n.tag_name().name() == "link"
                    && n.tag_name().namespace() == Some("http://www.w3.org/1999/xhtml")
            })
            .map(|n| {
                assert_eq!(n.attribute("rel"), Some("alternate"));
                (
                    n.attribute("hreflang").expect("hreflang").to_string(),
                    n.attribute("href").expect("href").to_string(),
                )
            })
            .collect();
        assert!(urls.insert(loc.clone(), links).is_none(), "{loc} is listed twice");
    }
    urls
}

#[test]
fn sitemap_alternates_are_reciprocal_and_include_self_and_x_default() {
    let t = SiteTest::new("multilingual").build();
    let urls = sitemap(&t.read("sitemap.xml"));
    assert!(urls.len() > 20, "too few URLs: {urls:?}");
    for (loc, links) in &urls {
        assert!(loc.starts_with(BASE), "{loc} is not absolute");
        assert!(
            links.iter().any(|(l, href)| href == loc && l != "x-default"),
            "{loc} does not list itself: {links:?}"
        );
        let x_default: Vec<_> = links.iter().filter(|(l, _)| l == "x-default").collect();
        assert_eq!(x_default.len(), 1, "{loc} needs one x-default: {links:?}");
        for (lang, href) in links.iter().filter(|(l, _)| l != "x-default") {
            let theirs = urls
                .get(href)
                .unwrap_or_else(|| panic!("{loc} names {lang} {href}, which is not in the sitemap"));
            assert_eq!(theirs, links, "{loc} and {href} disagree on their alternates");
        }
    }
    // Tết: three own versions, the default language as x-default.
    assert_eq!(
        urls[&format!("{BASE}/en/culture/tet/")],
        set(&[
            ("vi", "/culture/tet/"),
            ("en", "/en/culture/tet/"),
            ("ar", "/ar/culture/tet/"),
            ("x-default", "/culture/tet/"),
        ])
    );
    // A page with no Vietnamese version: one x-default (the first language
    // of site.yaml that has it) named by both versions.
    let fair = set(&[
        ("en", "/en/news/salon/"),
        ("fr", "/fr/news/salon/"),
        ("x-default", "/en/news/salon/"),
    ]);
    assert_eq!(urls[&format!("{BASE}/en/news/salon/")], fair);
    assert_eq!(urls[&format!("{BASE}/fr/news/salon/")], fair);
    // A term used in one language only still has its x-default.
    assert_eq!(
        urls[&format!("{BASE}/fr/tags/livres/")],
        set(&[("fr", "/fr/tags/livres/"), ("x-default", "/fr/tags/livres/")])
    );
    // Fallback copies are not in the sitemap: their canonical is elsewhere.
    assert!(!urls.contains_key(&format!("{BASE}/fr/culture/tet/")));
    assert!(!urls.contains_key(&format!("{BASE}/en/culture/mua-roi-nuoc/")));
    // The localised French slug is what the others point at.
    assert!(
        urls[&format!("{BASE}/culture/ao-dai/")]
            .contains(&("fr".to_string(), format!("{BASE}/fr/culture/robe-ao-dai/")))
    );
}
