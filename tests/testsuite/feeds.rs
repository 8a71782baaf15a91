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

/// True for an absolute IRI (RFC 3987: a scheme, a colon, no white space),
/// what the W3C feed validator wants in `<category scheme>`.
fn is_absolute_iri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !text.chars().any(char::is_whitespace)
}

/// The W3C feed validator's Atom rules on every feed of a built site: an
/// `<author>` on the feed or on every entry (RFC 4287 §4.1.1), category
/// schemes that are IRIs, and every date RFC 3339 and plausible (not before
/// 1990, not after tomorrow: the validator's `ImplausibleDate`).
fn assert_valid_atom(t: &SiteTest) -> usize {
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let oldest = chrono::DateTime::parse_from_rfc3339("1990-01-01T00:00:00Z").expect("date");
    let mut feeds = 0;
    for file in walkdir::WalkDir::new(&t.out).into_iter().flatten() {
        if file.file_name() != "atom.xml" {
            continue;
        }
        feeds += 1;
        let path = file
            .path()
            .strip_prefix(&t.out)
            .expect("inside")
            .display()
            .to_string();
        let xml = std::fs::read_to_string(file.path()).expect("read the feed");
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = doc.root_element();
        let has_author = |node: roxmltree::Node<'_, '_>| {
            node.children()
                .filter(|n| n.has_tag_name((ATOM, "author")))
                .any(|a| {
                    a.children().any(|n| {
                        n.has_tag_name((ATOM, "name")) && n.text().is_some_and(|s| !s.trim().is_empty())
                    })
                })
        };
        let entries: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name((ATOM, "entry")))
            .collect();
        assert!(
            has_author(root) || entries.iter().all(|&e| has_author(e)),
            "{path}: no <author> on the feed nor on every entry"
        );
        for node in doc.descendants() {
            if node.has_tag_name((ATOM, "category")) {
                let scheme = node.attribute("scheme");
                assert!(
                    scheme.is_none_or(is_absolute_iri),
                    "{path}: <category scheme=\"{}\"> is not an IRI",
                    scheme.unwrap_or_default()
                );
            }
            if node.has_tag_name((ATOM, "updated")) || node.has_tag_name((ATOM, "published")) {
                let text = node.text().unwrap_or_default();
                let date = chrono::DateTime::parse_from_rfc3339(text)
                    .unwrap_or_else(|e| panic!("{path}: <{}>{text}: {e}", node.tag_name().name()));
                assert!(
                    date >= oldest && date <= tomorrow,
                    "{path}: implausible date <{}>{text}",
                    node.tag_name().name()
                );
            }
        }
    }
    feeds
}

#[test]
fn every_feed_follows_the_w3c_feed_validators_atom_rules() {
    // An empty section: its feed has no entries and must still carry a true date.
    let t = SiteTest::new("multilingual")
        .write("content/events/_index.md", "---\ntitle: \"Sự kiện\"\n---\n")
        .replace(
            "site.yaml",
            "sections: [culture, news]",
            "sections: [culture, news, events]",
        )
        .build();
    let feeds = assert_valid_atom(&t);
    assert!(
        feeds > 10,
        "every language, section and term feed was checked: {feeds}"
    );
    let empty = t.read("events/atom.xml");
    assert!(!empty.contains("<entry"), "the events feed is empty:\n{empty}");
    let updated = |file: &str| {
        let xml = t.read(file);
        xml.split_once("<updated>")
            .and_then(|(_, rest)| rest.split_once("</updated>"))
            .map(|(d, _)| d.to_string())
            .unwrap_or_else(|| panic!("{file} has no <updated>"))
    };
    // An empty feed says when its language's pages last changed: the
    // newest date of the language's own pages, which its home feed shows.
    assert_eq!(
        updated("events/atom.xml"),
        updated("atom.xml"),
        "an empty Vietnamese feed says when the Vietnamese pages last changed"
    );
    assert_eq!(
        updated("en/events/atom.xml"),
        updated("en/atom.xml"),
        "an empty English feed (a fallback section's) says when the English pages last changed"
    );
    assert_ne!(
        updated("atom.xml"),
        updated("en/atom.xml"),
        "the fixture's languages have different newest pages, so the two checks above differ"
    );
    // Categories point at the taxonomy's list in the feed's language.
    t.assert_file_contains("en/atom.xml", "scheme=\"https://portal.example.org/en/tags/\"");
}

#[test]
fn a_language_without_dated_pages_says_the_sites_newest_date_in_its_feeds() {
    // The serve fixture's only French page is a translation: without it,
    // French has no dated page of its own, and its feeds have no entries.
    let t = SiteTest::new("serve-site");
    std::fs::remove_file(t.root.join("content/news/visit.fr.md")).expect("remove");
    let t = t.build();
    let updated = |file: &str| {
        let xml = t.read(file);
        let (_, rest) = xml.split_once("<updated>").expect("an <updated>");
        rest.split_once("</updated>")
            .expect("a closed <updated>")
            .0
            .to_string()
    };
    assert!(
        !t.read("fr/atom.xml").contains("<entry"),
        "French has no own page"
    );
    assert_eq!(updated("fr/atom.xml"), updated("atom.xml"));
    assert_eq!(updated("fr/news/atom.xml"), updated("atom.xml"));
}
