//! SVG images are published as they are, but their `<img>` gets the width
//! and height the SVG declares (its `width`/`height` in pixels, else its
//! `viewBox`) like a photo's, so pages do not shift as they load: covers on
//! the page, in lists and in the home's featured story, and SVGs in
//! Markdown. An SVG without a usable size (percentages, absurd numbers,
//! entities) is published without them; a damaged one (not XML, cut short)
//! is an error at the page that uses it, as a truncated photo is.

use scraper::{Html, Selector};

use crate::notices::timely_site;
use crate::site_test::{SiteTest, error_in, show};

const SIZED: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 12 6" width="1200px" height="630"><rect width="12" height="6"/></svg>"#;
const VIEW_BOX_ONLY: &str =
    r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 400 300"><circle r="4"/></svg>"#;

/// The `width` and `height` of every `<img>` whose `src` ends with `file`.
fn sizes_of(html: &str, file: &str) -> Vec<(Option<String>, Option<String>)> {
    let doc = Html::parse_document(html);
    let img = Selector::parse("img").expect("selector");
    let found: Vec<_> = doc
        .select(&img)
        .filter(|e| e.value().attr("src").is_some_and(|s| s.ends_with(file)))
        .map(|e| {
            let attr = |n: &str| e.value().attr(n).map(str::to_string);
            (attr("width"), attr("height"))
        })
        .collect();
    assert!(!found.is_empty(), "no <img> of {file} in:\n{html}");
    found
}

fn sized(width: &str, height: &str) -> (Option<String>, Option<String>) {
    (Some(width.to_string()), Some(height.to_string()))
}

#[test]
fn svg_covers_and_markdown_svgs_get_their_intrinsic_size_in_the_default_theme() {
    let t = timely_site()
        .write("static/images/lantern.svg", SIZED)
        .write("static/images/map.svg", VIEW_BOX_ONLY)
        .replace(
            "content/culture/lantern.md",
            "date: 2025-02-01\n",
            "date: 2025-02-01\nimage: /images/lantern.svg\nimage_alt: \"Lanterns\"\n",
        )
        .replace(
            "content/culture/lantern.md",
            "Đèn lồng Hội An.",
            "Đèn lồng Hội An.\n\n![Bản đồ](/images/map.svg)",
        )
        .build();
    // Its own page: the cover, and the Markdown image sized from the viewBox.
    let page = t.read("culture/lantern/index.html");
    assert_eq!(sizes_of(&page, "/images/lantern.svg"), [sized("1200", "630")]);
    assert_eq!(sizes_of(&page, "map.svg"), [sized("400", "300")]);
    // Its card in the section's list, and the home's featured story.
    let list = t.read("culture/index.html");
    assert_eq!(sizes_of(&list, "/images/lantern.svg"), [sized("1200", "630")]);
    let home = t.read("index.html");
    for size in sizes_of(&home, "/images/lantern.svg") {
        assert_eq!(size, sized("1200", "630"), "{home}");
    }
}

/// A site whose page shows every SVG of `files` in its Markdown.
fn site_with_svgs(files: &[(&str, &str)]) -> SiteTest {
    let body: String = files
        .iter()
        .map(|(name, _)| format!("![{name}]({name})\n\n"))
        .collect();
    let mut t = SiteTest::new("images-site")
        .write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .write("content/trip/index.md", &format!("---\ntitle: Trip\n---\n{body}"));
    for (name, text) in files {
        t = t.write(&format!("content/trip/{name}"), text);
    }
    t
}

#[test]
fn an_svg_without_a_usable_size_is_published_unsized_and_never_expanded() {
    let mut bomb = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY a0 \"0123456789\">\n");
    for i in 1..12 {
        let previous = format!("&a{};", i - 1);
        bomb.push_str(&format!("<!ENTITY a{i} \"{}\">\n", previous.repeat(10)));
    }
    bomb.push_str("]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"&a11;\" height=\"10\"><text>&a11;</text></svg>\n");
    let t = site_with_svgs(&[
        ("percent.svg", r#"<svg width="100%" height="50%"><rect/></svg>"#),
        ("em.svg", r#"<svg width="20em" height="10em"/>"#),
        ("huge.svg", r#"<svg width="1e300" height="99999999999"/>"#),
        (
            "none.svg",
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#,
        ),
        ("bomb.svg", &bomb),
        ("good.svg", VIEW_BOX_ONLY),
    ]);
    let started = std::time::Instant::now();
    let t = t.build();
    assert!(started.elapsed().as_secs() < 60, "entities are not expanded");
    let page = t.read("trip/index.html");
    for name in ["percent.svg", "em.svg", "huge.svg", "none.svg", "bomb.svg"] {
        assert_eq!(sizes_of(&page, name), [(None, None)], "{name}: {page}");
    }
    assert_eq!(sizes_of(&page, "good.svg"), [sized("400", "300")]);
    t.assert_exists("trip/bomb.svg");
}

#[test]
fn a_damaged_svg_is_an_error_at_the_page_that_uses_it() {
    let t = site_with_svgs(&[("cut.svg", r#"<svg width="10" height="10"><g><rect/>"#)]);
    let diagnostics = t.expect_error();
    let shown = show(&diagnostics);
    let error = error_in(&diagnostics, "content/trip/index.md");
    assert_eq!(error.location.map(|l| l.line), Some(4), "{shown}");
    assert!(
        shown.contains("content/trip/cut.svg") && shown.contains("truncated"),
        "{shown}"
    );

    let t = site_with_svgs(&[("page.svg", "<html><body>Not found</body></html>")]);
    let shown = show(&t.expect_error());
    assert!(
        shown.contains("content/trip/page.svg") && shown.contains("not an SVG"),
        "{shown}"
    );

    // A cover that is not XML at all: the error points at `image:`.
    let t = SiteTest::new("images-site")
        .write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .write(
            "content/trip/index.md",
            "---\ntitle: Trip\nimage: cover.svg\nimage_alt: A bay\n---\nText.\n",
        )
        .write("content/trip/cover.svg", "\u{1f}\u{8b}binary junk < & >");
    let diagnostics = t.expect_error();
    let shown = show(&diagnostics);
    let error = error_in(&diagnostics, "content/trip/index.md");
    assert_eq!(error.location.map(|l| l.line), Some(3), "{shown}");
    assert!(shown.contains("content/trip/cover.svg"), "{shown}");
}
