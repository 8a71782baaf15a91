//! What templates see of an entry: a list shows each of its pages' item
//! view (title, summary, terms, cover… but not the body), a page its whole
//! own view, made as it renders; `get_page` gives the whole view too. The
//! body comes back unchanged from where the build keeps it packed.

use crate::site_test::SiteTest;

/// A section listing its pages' fields, and a page showing its own and
/// another page's through `get_page`.
fn site() -> SiteTest {
    SiteTest::new("minimal")
        .write(
            "content/notes/second.en.md",
            "---\ntitle: \"Second\"\ndate: 2024-02-01\n---\n## Part one\n\nThe second page, with *emphasis* & an ampersand.\n",
        )
        .write(
            "themes/test/templates/section.html",
            r#"{% for p in section.pages %}<li>{{ p.title }}|{{ p.summary }}|{{ p.content | default(value="no body") }}|{{ p.toc | default(value="no toc") }}|{{ p.previous | default(value="no previous") }}</li>
{% endfor %}"#,
        )
        .write(
            "themes/test/templates/page.html",
            r#"<main>{{ page.content | safe }}</main>
<toc>{% for h in page.toc %}{{ h.title }}{% endfor %}</toc>
<nav>{% if page.previous %}{{ page.previous.title }}{% endif %}/{% if page.next %}{{ page.next.title }}{% endif %}</nav>
{% set other = get_page(path="@/notes/second.md") %}<other>{{ other.content | safe }}</other>"#,
        )
        .build()
}

#[test]
fn lists_show_item_views_without_the_body() {
    let t = site();
    let list = t.read("en/notes/index.html");
    assert!(
        list.contains(
            "<li>Second|The second page, with emphasis &amp; an ampersand.|no body|no toc|no previous</li>"
        ),
        "{list}"
    );
    assert!(
        list.contains("<li>Hello|The first page.|no body|no toc|no previous</li>"),
        "{list}"
    );
}

#[test]
fn a_page_shows_its_whole_view_and_get_page_gives_one() {
    let t = site();
    let second = t.read("en/notes/second/index.html");
    let body = r#"<h2 id="part-one">"#;
    assert!(second.contains(&format!("<main>{body}")), "{second}");
    assert!(
        second.contains("<em>emphasis</em> &amp; an ampersand.</p>"),
        "{second}"
    );
    assert!(second.contains("<toc>Part one</toc>"), "{second}");
    // Its neighbours in the section: each page links to the other.
    assert!(second.contains("<nav>/Hello</nav>"), "{second}");
    // The body `get_page` gives is the page's own, byte for byte.
    let main = between(&second, "<main>", "</main>");
    assert_eq!(between(&second, "<other>", "</other>"), main);
    let hello = t.read("en/notes/hello/index.html");
    assert!(hello.contains("<main><p>The first page.</p>"), "{hello}");
    assert!(hello.contains("<nav>Second/</nav>"), "{hello}");
    assert_eq!(between(&hello, "<other>", "</other>"), main);
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).map(|i| i + open.len()).expect("opening tag");
    let end = text[start..].find(close).expect("closing tag") + start;
    &text[start..end]
}

/// A build renders one language at a time from that language's views; a
/// template asking for another language's page or section gets it whole,
/// as that language's own pages show it.
#[test]
fn a_page_shows_a_page_and_a_section_of_another_language() {
    let t = SiteTest::new("minimal")
        .write(
            "content/notes/second.en.md",
            "---\ntitle: \"Second\"\ndate: 2024-02-01\ntags: [\"Rice\"]\n---\nThe second page.\n",
        )
        .write(
            "themes/test/templates/page.html",
            r#"<main>{{ page.title }}|{{ page.summary }}|{% for t in page.taxonomies.tags %}{{ t.name }}@{{ t.permalink }}{% endfor %}|{{ page.content | safe }}</main>
{% set en = get_page(path="@/notes/second.md", lang="en") %}<other>{{ en.title }}|{{ en.summary }}|{% for t in en.taxonomies.tags %}{{ t.name }}@{{ t.permalink }}{% endfor %}|{{ en.content | safe }}</other>
{% set s = get_section(path="@/notes/_index.md", lang="en") %}<list>{% for p in s.pages %}{{ p.title }}@{{ p.permalink }};{% endfor %}</list>"#,
        )
        .build();
    let second = t.read("en/notes/second/index.html");
    let own = between(&second, "<main>", "</main>");
    assert!(own.starts_with("Second|The second page.|Rice@"), "{second}");
    let list = between(&second, "<list>", "</list>");
    assert!(list.contains("Second@") && list.contains("Hello@"), "{second}");
    // The Vietnamese page, rendered with the Vietnamese views, shows the
    // English page and section exactly as the English page does.
    let vi = t.read("notes/hello/index.html");
    assert!(vi.contains("<main>Xin chào|"), "{vi}");
    assert_eq!(between(&vi, "<other>", "</other>"), own, "{vi}");
    assert_eq!(between(&vi, "<list>", "</list>"), list, "{vi}");
}

/// A page's `summary:` is what its list item and its feed entry show, not
/// its first paragraph (which the build then does not keep); once the line
/// is removed, both show the first paragraph, in a rebuild with the build
/// cache as in a clean build.
#[test]
fn the_front_matter_summary_is_shown_over_the_first_paragraph_until_it_is_removed() {
    let page = "content/notes/third.en.md";
    let t = site()
        .write(
            page,
            "---\ntitle: \"Third\"\ndate: 2024-03-01\nsummary: \"Written by the editor.\"\n---\nThe opening paragraph.\n\nMore text.\n",
        )
        .build();
    // The list item's summary and the feed entry's both say `summary`.
    let shows = |t: &SiteTest, summary: &str| {
        let list = t.read("en/notes/index.html");
        let start = list.find("<li>Third|").expect("the page is listed");
        let item = list[start..].lines().next().unwrap_or_default();
        assert!(item.starts_with(&format!("<li>Third|{summary}|")), "{item}");
        let feed = t.read("en/atom.xml");
        let entry = format!("<summary type=\"text\">{summary}</summary>");
        assert!(feed.contains(&entry), "{feed}");
    };
    shows(&t, "Written by the editor.");

    let t = t.replace(page, "summary: \"Written by the editor.\"\n", "");
    crate::build_cache::rebuilds_as_clean(&t, "the summary line removed");
    shows(&t, "The opening paragraph.");
}

/// An item view's fields, in order: each taxonomy's terms come right after
/// `taxonomies`, as two fields holding the same terms (`page.regions` and
/// `page.taxonomies.regions`), for every taxonomy `site.yaml` declares.
#[test]
fn an_item_view_shows_each_taxonomy_after_its_taxonomies() {
    let t = SiteTest::new("minimal")
        .write(
            "site.yaml",
            "title: \"T\"\nbase_url: \"https://minimal.example.org\"\ndefault_language: vi\nlanguages:\n  - code: vi\n    name: \"Tiếng Việt\"\n  - code: en\n    name: \"English\"\n    fallback: [vi]\ntaxonomies:\n  - name: tags\n  - name: regions\ntheme: test\n",
        )
        .write(
            "content/notes/third.md",
            "---\ntitle: \"Third\"\ndate: 2024-03-01\ntags: [\"lúa\", \"sen\"]\nregions: [\"Huế\"]\n---\nThe third page.\n",
        )
        .write(
            "themes/test/templates/section.html",
            r#"{% for p in section.pages %}{% if p.title == "Third" %}<keys>{% for key, value in p %}{{ key }},{% endfor %}</keys><tags>{% for t in p.tags %}{{ t.name }};{% endfor %}={% for t in p.taxonomies.tags %}{{ t.name }};{% endfor %}</tags><regions>{% for t in p.regions %}{{ t.name }};{% endfor %}={% for t in p.taxonomies.regions %}{{ t.name }};{% endfor %}</regions>{% endif %}{% endfor %}"#,
        )
        .build();
    let list = t.read("notes/index.html");
    let keys = between(&list, "<keys>", "</keys>");
    assert!(keys.contains(",taxonomies,regions,tags,image,"), "{keys}");
    assert!(keys.starts_with("kind,title,"), "{keys}");
    assert_eq!(keys.matches("tags,").count(), 1, "{keys}");
    assert_eq!(between(&list, "<tags>", "</tags>"), "lúa;sen;=lúa;sen;");
    assert_eq!(between(&list, "<regions>", "</regions>"), "Huế;=Huế;");
}

/// A page's neighbours, breadcrumbs and related pages show the fields of a
/// link and of a card, in that order, with the values lists show of those
/// entries; a fallback copy's link gives the language of its text.
#[test]
fn links_and_related_cards_show_their_fields_and_the_language_of_their_text() {
    let t = SiteTest::new("minimal")
        .write(
            "content/notes/hello.en.md",
            "---\ntitle: \"Hello\"\ndate: 2024-01-01\ntags: [\"Rice\"]\n---\nThe first page.\n",
        )
        .write(
            "content/notes/third.md",
            "---\ntitle: \"Thứ ba\"\ndate: 2024-03-01\nsummary: \"Ba.\"\ntags: [\"Rice\"]\n---\nTrang thứ ba.\n",
        )
        .write(
            "themes/test/templates/page.html",
            r#"<links>{% for l in [page.previous, page.next] %}{% if l %}[{% for k, v in l %}{{ k }}={{ v }};{% endfor %}]{% endif %}{% endfor %}</links>
<up>{% for l in page.ancestors %}[{% for k, v in l %}{{ k }}={{ v }};{% endfor %}]{% endfor %}</up>
<related>{% for r in page.related %}[{% for k, v in r %}{{ k }}={% if v is none %}none{% else %}{{ v }}{% endif %};{% endfor %}]{% endfor %}</related>"#,
        )
        .build();
    let hello = t.read("en/notes/hello/index.html");
    let third = "https://minimal.example.org/en/notes/third/";
    assert_eq!(
        between(&hello, "<links>", "</links>"),
        format!("[title=Thứ ba;permalink={third};path=/en/notes/third/;lang=vi;]"),
        "{hello}"
    );
    // The section is Vietnamese, shown in English.
    assert_eq!(
        between(&hello, "<up>", "</up>"),
        "[title=Home;permalink=https://minimal.example.org/en/;path=/en/;lang=en;]\
         [title=Ghi chép;permalink=https://minimal.example.org/en/notes/;path=/en/notes/;lang=vi;]",
        "{hello}"
    );
    assert_eq!(
        between(&hello, "<related>", "</related>"),
        format!(
            "[title=Thứ ba;permalink={third};path=/en/notes/third/;date=2024-03-01T00:00:00+00:00;summary=Ba.;\
             reading_time=1;image=none;image_width=none;image_height=none;image_alt=none;is_fallback=true;\
             fallback_lang=vi;translation=none;source=none;]"
        ),
        "{hello}"
    );
}
