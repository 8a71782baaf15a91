//! Atom feeds per language and per section: well-formed, absolute ids,
//! newest entries first, and only pages written in the feed's language.

use crate::site_test::SiteTest;

const BASE: &str = "https://portal.example.org";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

struct Entry {
    title: String,
    id: String,
    lang: String,
    published: chrono::DateTime<chrono::FixedOffset>,
}

/// Parses a feed, checks what every feed must hold, and returns its entries.
fn feed(t: &SiteTest, path: &str, lang: &str) -> Vec<Entry> {
    let xml = t.read(path);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path} is not XML: {e}"));
    let root = doc.root_element();
    assert!(root.has_tag_name((ATOM, "feed")), "{path} is not an Atom feed");
    assert_eq!(root.attribute((XML_NS, "lang")), Some(lang), "{path} language");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| -> String {
        node.children()
            .find(|n| n.has_tag_name((ATOM, name)))
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("{path}: no <{name}>"))
            .to_string()
    };
    let id = child(root, "id");
    assert_eq!(
        id,
        format!("{BASE}/{path}"),
        "{path}: the feed id is its absolute URL"
    );
    let updated = child(root, "updated");
    chrono::DateTime::parse_from_rfc3339(&updated).expect("<updated> is RFC 3339");
    let self_link = root
        .children()
        .find(|n| n.has_tag_name((ATOM, "link")) && n.attribute("rel") == Some("self"))
        .and_then(|n| n.attribute("href"));
    assert_eq!(self_link, Some(id.as_str()));
    root.children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|e| {
            let id = child(e, "id");
            assert!(
                id.starts_with(&format!("{BASE}/")),
                "{path}: entry id {id} is not absolute"
            );
            let published = child(e, "published");
            Entry {
                title: child(e, "title"),
                lang: e.attribute((XML_NS, "lang")).unwrap_or(lang).to_string(),
                published: chrono::DateTime::parse_from_rfc3339(&published)
                    .unwrap_or_else(|err| panic!("{path}: <published>{published}: {err}")),
                id,
            }
        })
        .collect()
}

fn titles(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.title.as_str()).collect()
}

fn assert_newest_first(path: &str, entries: &[Entry]) {
    assert!(
        entries.windows(2).all(|w| w[0].published >= w[1].published),
        "{path} is not newest first: {:?}",
        titles(entries)
    );
}

#[test]
fn every_language_and_section_has_a_well_formed_feed_of_its_own_pages() {
    let t = SiteTest::new("multilingual").build();
    for (path, lang, prefix) in [
        ("atom.xml", "vi", "/"),
        ("culture/atom.xml", "vi", "/"),
        ("en/atom.xml", "en", "/en/"),
        ("en/culture/atom.xml", "en", "/en/"),
        ("fr/atom.xml", "fr", "/fr/"),
        ("ar/atom.xml", "ar", "/ar/"),
        ("zh/atom.xml", "zh", "/zh/"),
    ] {
        let entries = feed(&t, path, lang);
        assert!(!entries.is_empty(), "{path} has no entries");
        assert_newest_first(path, &entries);
        for e in &entries {
            assert_eq!(e.lang, lang, "{path} carries {} ({})", e.title, e.lang);
            let rest = e.id.strip_prefix(BASE).expect("absolute");
            assert!(rest.starts_with(prefix), "{path} links {} outside {prefix}", e.id);
            if lang == "vi" {
                let foreign = ["/en/", "/fr/", "/ar/", "/zh/"];
                assert!(
                    !foreign.iter().any(|f| rest.starts_with(f)),
                    "{path} carries {}",
                    e.id
                );
            }
        }
    }
}

#[test]
fn feeds_hold_exactly_the_expected_entries_in_date_order() {
    let t = SiteTest::new("multilingual").build();
    assert_eq!(
        titles(&feed(&t, "en/culture/atom.xml", "en")),
        ["Lunar New Year", "Ao dai", "Hue Citadel"]
    );
    assert_eq!(
        titles(&feed(&t, "en/atom.xml", "en")),
        [
            "Book fair",
            "Spring festival",
            "Lunar New Year",
            "Ao dai",
            "Hue Citadel"
        ]
    );
    // The water-puppet page exists only in Vietnamese: in the vi feeds, not in en's.
    assert_eq!(
        titles(&feed(&t, "culture/atom.xml", "vi")),
        ["Tết Nguyên Đán", "Áo dài", "Múa rối nước", "Kinh thành Huế"]
    );
    // French has two pages of its own; its fallback copies stay out.
    let fr = feed(&t, "fr/atom.xml", "fr");
    assert_eq!(titles(&fr), ["Salon du livre", "L'áo dài"]);
    assert_eq!(fr[1].id, format!("{BASE}/fr/culture/robe-ao-dai/"));
    // A section feed of a language without that section's index still lists its own pages.
    assert_eq!(titles(&feed(&t, "fr/news/atom.xml", "fr")), ["Salon du livre"]);
}
