//! Google's hreflang rules, checked on every page of the built sample portal
//! (with the default language at the root and under `/vi/`) in both the
//! `<head>` and the sitemap: a page with alternates is indexable, canonical
//! to itself and lists itself; every alternate exists, is indexable and
//! returns the same cluster (so the return links and `x-default` agree); the
//! sitemap's alternates are the head's; nothing points at a noindex page.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::site_test::SiteTest;

const BASE: &str = "https://portal.example.org";

type Cluster = BTreeSet<(String, String)>;

#[derive(Debug, Default)]
struct Head {
    lang: String,
    canonical: Option<String>,
    noindex: bool,
    alternates: Cluster,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()
}

/// A URL with its path percent-decoded, as the files are named.
fn decoded(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8_lossy()
        .into_owned()
}

fn head_of(html: &str) -> Head {
    let head = html.split("</head>").next().unwrap_or_default();
    let mut out = Head::default();
    for tag in head.split('<').map(|t| t.split('>').next().unwrap_or_default()) {
        if tag.starts_with("html ") {
            out.lang = attr(tag, "lang").unwrap_or_default().to_string();
        } else if tag.starts_with("link ") && attr(tag, "rel") == Some("canonical") {
            out.canonical = attr(tag, "href").map(decoded);
        } else if tag.starts_with("meta ") && attr(tag, "name") == Some("robots") {
            out.noindex = attr(tag, "content").is_some_and(|c| c.contains("noindex"));
        } else if tag.starts_with("link ")
            && attr(tag, "rel") == Some("alternate")
            && let (Some(lang), Some(href)) = (attr(tag, "hreflang"), attr(tag, "href"))
        {
            out.alternates.insert((lang.to_string(), decoded(href)));
        }
    }
    out
}

/// Every HTML page of the output by its URL.
fn pages(out: &Path) -> BTreeMap<String, Head> {
    let mut pages = BTreeMap::new();
    for file in walkdir::WalkDir::new(out).into_iter().flatten() {
        let rel = file
            .path()
            .strip_prefix(out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") {
            continue;
        }
        let url = match rel.strip_suffix("index.html") {
            Some(dir) => format!("{BASE}/{dir}"),
            None => format!("{BASE}/{rel}"),
        };
        let html = std::fs::read_to_string(file.path()).expect("read a page");
        pages.insert(url, head_of(&html));
    }
    pages
}

/// The sitemap's URLs with their alternates.
fn sitemap(out: &Path) -> BTreeMap<String, Cluster> {
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the sitemap is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let loc = url
                .children()
                .find(|n| n.has_tag_name("loc"))
                .and_then(|n| n.text())
                .map(decoded)
                .expect("<loc>");
            let alternates = url
                .children()
                .filter(|n| n.has_tag_name("link"))
                .map(|n| {
                    (
                        n.attribute("hreflang").unwrap_or_default().to_string(),
                        decoded(n.attribute("href").unwrap_or_default()),
                    )
                })
                .collect();
            (loc, alternates)
        })
        .collect()
}

/// Every breach of the rules, one line each.
fn breaches(pages: &BTreeMap<String, Head>, sitemap: &BTreeMap<String, Cluster>) -> Vec<String> {
    let mut found = Vec::new();
    for (url, head) in pages {
        let canonical_self = head.canonical.as_deref() == Some(url.as_str());
        if head.alternates.is_empty() {
            if !head.noindex && canonical_self && !url.ends_with("404.html") {
                found.push(format!("{url}: an indexable page without an hreflang cluster"));
            }
            continue;
        }
        if head.noindex {
            found.push(format!("{url}: a noindex page carries hreflang"));
        }
        if !canonical_self {
            found.push(format!(
                "{url}: hreflang on a page canonical to {:?}",
                head.canonical
            ));
        }
        // The root language picker is in its cluster as x-default only.
        if !head.alternates.iter().any(|(_, h)| h == url) {
            found.push(format!("{url}: its hreflang set does not list itself"));
        }
        if let Some((l, _)) = head
            .alternates
            .iter()
            .find(|(l, h)| h == url && l != "x-default" && *l != head.lang)
        {
            found.push(format!(
                "{url}: lists itself as {l} but is <html lang={}>",
                head.lang
            ));
        }
        let x_defaults = head.alternates.iter().filter(|(l, _)| l == "x-default").count();
        if x_defaults != 1 {
            found.push(format!("{url}: {x_defaults} x-default alternates"));
        }
        for (lang, href) in &head.alternates {
            match pages.get(href) {
                None => found.push(format!("{url}: {lang} alternate {href} does not exist")),
                Some(other) if other.noindex => {
                    found.push(format!("{url}: {lang} alternate {href} is noindex"))
                }
                Some(other) if other.alternates != head.alternates => {
                    found.push(format!(
                        "{url}: {lang} alternate {href} does not return the same cluster"
                    ));
                }
                Some(_) => {}
            }
        }
        if sitemap.get(url).is_some_and(|listed| listed != &head.alternates) {
            found.push(format!("{url}: the sitemap's alternates differ from the head's"));
        }
    }
    for url in sitemap.keys() {
        match pages.get(url) {
            None => found.push(format!("sitemap: {url} does not exist")),
            Some(head) if head.noindex => found.push(format!("sitemap: {url} is noindex")),
            Some(head) if head.canonical.as_deref() != Some(url.as_str()) => {
                found.push(format!("sitemap: {url} is canonical to {:?}", head.canonical));
            }
            Some(_) => {}
        }
    }
    found
}

/// The sample portal copied into a temporary folder, `site.yaml` edited by
/// `edit`, built with the library API.
fn assert_hreflang_rules(out: &Path) {
    let pages = pages(out);
    let sitemap = sitemap(out);
    assert!(
        pages.len() > 250,
        "the whole portal was checked: {} pages",
        pages.len()
    );
    assert!(
        sitemap.len() > 100,
        "the sitemap lists the portal: {} URLs",
        sitemap.len()
    );
    // Page 2 of a list is a page of its own, with its own cluster.
    let second = pages
        .iter()
        .filter(|(url, _)| url.ends_with("/page/2/"))
        .collect::<Vec<_>>();
    assert!(!second.is_empty(), "the portal has paginated lists");
    let found = breaches(&pages, &sitemap);
    assert!(
        found.is_empty(),
        "{} hreflang breaches:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_sample_portal_follows_googles_hreflang_rules() {
    let t = SiteTest::portal().build();
    assert_hreflang_rules(&t.out);
}

#[test]
fn the_sample_portal_follows_googles_hreflang_rules_with_every_language_under_a_prefix() {
    let t = SiteTest::portal()
        .replace(
            "site.yaml",
            "default_language_at_root: true",
            "default_language_at_root: false",
        )
        .build();
    let pages = pages(&t.out);
    let picker = pages.get(&format!("{BASE}/")).expect("the root language picker");
    assert!(
        picker
            .alternates
            .contains(&("x-default".to_string(), format!("{BASE}/"))),
        "the picker is the homes' x-default: {picker:?}"
    );
    assert_hreflang_rules(&t.out);
}

#[test]
fn an_empty_taxonomy_list_is_noindex_and_out_of_the_sitemap() {
    let t = SiteTest::new("multilingual")
        .replace(
            "site.yaml",
            "  - name: tags\n",
            "  - name: tags\n  - name: regions\n",
        )
        .build();
    let html = t.read("en/regions/index.html");
    let head = head_of(&html);
    assert!(head.noindex, "an empty list is noindex:\n{html}");
    assert!(head.alternates.is_empty(), "and has no cluster");
    let sitemap = t.read("sitemap.xml");
    assert!(
        !sitemap.contains("/regions/"),
        "nor a place in the sitemap:\n{sitemap}"
    );
    assert!(sitemap.contains("/en/tags/"), "lists with terms stay");
}
