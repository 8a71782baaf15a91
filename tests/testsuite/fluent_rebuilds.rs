//! A Fluent change renders the pages that show the changed language's
//! messages and no other: the pages of the languages whose fallback chain
//! holds it, and the pages the last build saw showing its messages beyond
//! their own language (a language menu naming each language in its own).
//! Where every page shows a message (a site title from Fluent, a
//! shortcode's text in a body), every page is rendered. Each result is
//! byte for byte a clean build's.

use std::collections::BTreeMap;
use std::time::SystemTime;

use crate::build_cache::rebuilds_as_clean;
use crate::site_test::{SiteTest, error_at, read_tree};

/// The serve fixture (English, and French falling back to English), built.
fn built() -> SiteTest {
    let t = SiteTest::new("serve-site");
    t.rebuild();
    t
}

fn edit(t: &SiteTest, file: &str, from: &str, to: &str) {
    let text = t.read_source(file);
    assert!(text.contains(from), "{file}: `{from}`");
    std::fs::write(t.root.join(file), text.replacen(from, to, 1)).expect("edit");
}

/// Every output file's modification time.
fn times(t: &SiteTest) -> BTreeMap<String, SystemTime> {
    read_tree(&t.out)
        .into_keys()
        .map(|path| {
            let time = std::fs::metadata(t.out.join(&path))
                .and_then(|m| m.modified())
                .expect("a time");
            (path, time)
        })
        .collect()
}

/// The files whose bytes changed since `before`.
fn changed_since(t: &SiteTest, before: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    read_tree(&t.out)
        .into_iter()
        .filter(|(path, bytes)| before.get(path) != Some(bytes))
        .map(|(path, _)| path)
        .collect()
}

/// The French pages among an output's files.
fn french_pages(files: &BTreeMap<String, Vec<u8>>) -> usize {
    files
        .keys()
        .filter(|p| p.starts_with("fr/") && p.ends_with(".html"))
        .count()
}

/// Asserts that only French files changed.
fn only_french(changed: &[String]) {
    assert!(
        changed.iter().all(|p| p.starts_with("fr/")),
        "only French files change: {changed:?}"
    );
}

/// Rebuilds after a Fluent change: as a clean build would, patched;
/// returns (pages rendered, files written).
fn patched(t: &SiteTest, change: &str) -> (usize, usize) {
    let report = rebuilds_as_clean(t, change);
    let (rendered, written, removed) = report
        .patched
        .unwrap_or_else(|| panic!("{change}: not patched: {:?}", report.timings));
    assert_eq!(removed, 0, "{change}: nothing goes");
    (rendered, written)
}

#[test]
fn a_french_message_renders_the_french_pages_alone() {
    let t = built();
    let (bytes, stamps) = (read_tree(&t.out), times(&t));
    let pages = bytes.keys().filter(|p| p.ends_with(".html")).count();
    edit(&t, "locales/fr/main.ftl", "Lire la suite", "Lire l'article");
    let (rendered, written) = patched(&t, "a French message");
    let changed = changed_since(&t, &bytes);
    assert!(!changed.is_empty(), "the French pages show it");
    only_french(&changed);
    assert_eq!(written, changed.len(), "the files written are those that changed");
    assert_eq!(
        rendered,
        french_pages(&bytes),
        "the French pages alone of {pages} rendered"
    );
    let now = times(&t);
    for (path, time) in stamps.iter().filter(|(p, _)| !changed.contains(p)) {
        assert_eq!(&now[path], time, "{path} was written again");
    }
    // A message no page shows: the French pages are rendered, none written.
    let t = t.write("locales/fr/extra.ftl", "unused = Rien\n");
    assert_eq!(patched(&t, "a French message no page shows").1, 0);
    // The theme's Fluent files too; the site's message wins.
    let t = t.write("themes/plain/locales/fr/theme.ftl", "read-more = Plus\n");
    assert_eq!(patched(&t, "a theme's French message the site overrides").1, 0);
    let t = t.write(
        "themes/plain/locales/fr/theme.ftl",
        "read-more = Plus\nmenu = Menu\n",
    );
    assert_eq!(patched(&t, "a theme's French message no page shows").1, 0);
    assert!(t.rebuild().reused, "the record holds the patched output");
}

#[test]
fn an_english_message_reaches_the_french_pages_falling_back_on_it() {
    let t = built();
    let t = t.write("locales/en/more.ftl", "tagline = A portal\n");
    let t = t.replace(
        "themes/plain/templates/page.html",
        "<p class=\"ui\">",
        "<p class=\"tagline\">{{ t(key=\"tagline\") }}</p><p class=\"ui\">",
    );
    rebuilds_as_clean(&t, "the template shows a message French lacks");
    assert!(t.read("fr/news/visit/index.html").contains("A portal"));
    edit(&t, "locales/en/more.ftl", "A portal", "The portal");
    patched(&t, "the English message the French pages fall back on");
    assert!(t.read("fr/news/visit/index.html").contains("The portal"));
    // Once French has it, its pages show their own.
    let t = t.write("locales/fr/more.ftl", "tagline = Un portail\n");
    patched(&t, "the message added to French");
    assert!(t.read("fr/news/visit/index.html").contains("Un portail"));
}

#[test]
fn a_page_showing_another_languages_message_is_rendered_with_that_language() {
    let t = built();
    let t = t.write("locales/en/names.ftl", "language-name = English\n");
    let t = t.write("locales/fr/names.ftl", "language-name = Français\n");
    // A language menu naming each language in its own: every page shows
    // every language's message.
    let t = t.replace(
        "themes/plain/templates/page.html",
        "<p class=\"ui\">",
        "<nav>{% for l in site.languages %}<a lang=\"{{ l.code }}\">{{ t(key=\"language-name\", lang=l.code) }}</a>{% endfor %}</nav><p class=\"ui\">",
    );
    rebuilds_as_clean(&t, "a language menu from Fluent");
    let english = "news/harvest/index.html";
    assert!(t.read(english).contains(">Français</a>"), "{}", t.read(english));
    let bytes = read_tree(&t.out);
    edit(&t, "locales/fr/names.ftl", "Français", "Français (France)");
    patched(&t, "the French name of French");
    assert!(t.read(english).contains(">Français (France)</a>"));
    let changed = changed_since(&t, &bytes);
    assert!(changed.contains(&english.to_string()), "{changed:?}");
    // Another French message: the English pages show French's name alone.
    let bytes = read_tree(&t.out);
    edit(&t, "locales/fr/main.ftl", "Lire la suite", "Lire l'article");
    let (rendered, _) = patched(&t, "another French message");
    assert_eq!(
        rendered,
        french_pages(&bytes),
        "the French pages alone are rendered"
    );
    only_french(&changed_since(&t, &bytes));
    // A comment: no message reads otherwise, no page is rendered.
    let text = t.read_source("locales/fr/names.ftl");
    let t = t.write(
        "locales/fr/names.ftl",
        &format!("# The languages' names.\n{text}"),
    );
    assert_eq!(patched(&t, "a comment"), (0, 0));
    // The menu gone, a French message reaches the French pages alone.
    let t = t.replace("themes/plain/templates/page.html", "<nav>", "<nav hidden>");
    let t = t.replace("themes/plain/templates/page.html", "lang=l.code", "lang=lang");
    rebuilds_as_clean(&t, "the menu in the page's language");
    let bytes = read_tree(&t.out);
    edit(&t, "locales/fr/names.ftl", "Français (France)", "Français");
    patched(&t, "the French name again");
    only_french(&changed_since(&t, &bytes));
}

#[test]
fn what_every_page_shows_renders_every_page() {
    let t = built();
    // The French site title from Fluent: every page lists it.
    let t = t.write("locales/fr/site.ftl", "site-title = Portail\n");
    let t = t.replace(
        "themes/plain/templates/page.html",
        "<main>",
        "<p>{% for l in site.languages %}{{ l.title }} {% endfor %}</p><main>",
    );
    rebuilds_as_clean(&t, "the site titles on each page");
    assert!(t.read("news/harvest/index.html").contains("Portail"));
    edit(&t, "locales/fr/site.ftl", "Portail", "Le portail");
    let report = rebuilds_as_clean(&t, "the French site title");
    assert!(report.patched.is_none(), "every page is rendered");
    assert!(t.read("news/harvest/index.html").contains("Le portail"));
    // A shortcode formatting a message in an English body.
    let t = t.write(
        "themes/plain/templates/shortcodes/more.html",
        "<em>{{ t(key=\"read-more\", lang=\"fr\") }}</em>",
    );
    let harvest = "content/news/harvest.md";
    let text = t.read_source(harvest) + "\n{{ more() }}\n";
    let t = t.write(harvest, &text);
    rebuilds_as_clean(&t, "a shortcode in a body");
    assert!(
        t.read("news/harvest/index.html")
            .contains("<em>Lire la suite</em>")
    );
    edit(&t, "locales/fr/main.ftl", "Lire la suite", "Lire l'article");
    let report = rebuilds_as_clean(&t, "the shortcode's French message");
    assert!(report.patched.is_none(), "every page is rendered");
    let harvest_page = t.read("news/harvest/index.html");
    assert!(
        harvest_page.contains("<em>Lire l") && !harvest_page.contains("Lire la suite"),
        "{harvest_page}"
    );
}

#[test]
fn a_fluent_mistake_fails_the_build_and_leaves_the_output() {
    let t = built();
    let bytes = read_tree(&t.out);
    edit(
        &t,
        "locales/fr/main.ftl",
        "read-more = Lire la suite",
        "read-more = { $",
    );
    let failed = t.expect_error();
    error_at(&failed, "locales/fr/main.ftl", 1);
    assert_eq!(read_tree(&t.out), bytes, "the output is as it was");
    edit(
        &t,
        "locales/fr/main.ftl",
        "read-more = { $",
        "read-more = Lire la suite",
    );
    let report = t.rebuild();
    assert!(
        report.reused || report.patched.is_some(),
        "mended, the output stands"
    );
    assert_eq!(read_tree(&t.out), bytes);
}
