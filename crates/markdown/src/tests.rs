use super::*;

/// Knows `culture/ao-dai.md` and `culture/_index.md`; nothing else.
struct Site;

impl LinkResolver for Site {
    fn resolve(&self, path: &str) -> Result<String, String> {
        match path {
            "culture/ao-dai.md" => Ok("/culture/ao-dai/".to_string()),
            "culture/_index.md" => Ok("/culture/".to_string()),
            other => Err(format!("no page at content/{other}")),
        }
    }
}

fn md(body: &str) -> Rendered {
    match render(body, 1, &MarkdownOptions::default(), &Site) {
        Ok(rendered) => rendered,
        Err(errors) => panic!("unexpected errors: {errors:?}"),
    }
}

fn md_with(body: &str, allow_html: bool) -> Rendered {
    match render(
        body,
        1,
        &MarkdownOptions {
            allow_html,
            ..MarkdownOptions::default()
        },
        &Site,
    ) {
        Ok(rendered) => rendered,
        Err(errors) => panic!("unexpected errors: {errors:?}"),
    }
}

fn md_html(body: &str, allow_html: bool) -> String {
    md_with(body, allow_html).html
}

#[test]
fn extensions_produce_their_tags() {
    let html = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n\
         ~~old~~ text[^1]\n\n[^1]: A note.\n\n- [x] done\n- [ ] todo\n")
    .html;
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<td>1</td>"), "{html}");
    assert!(html.contains("<del>old</del>"), "{html}");
    assert!(html.contains("footnote-reference"), "{html}");
    assert!(html.contains("footnote-definition"), "{html}");
    assert!(html.contains("type=\"checkbox\""), "{html}");
    assert!(html.contains("checked"), "{html}");
}

#[test]
fn headings_get_unique_ids_and_anchors() {
    let r = md("## Intro\n\ntext\n\n## Intro\n\n### Details {#more-info}\n");
    assert!(
        r.html.contains(
            "<h2 id=\"intro\">Intro <a class=\"anchor\" href=\"#intro\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h2 id=\"intro-1\">"), "{}", r.html);
    assert!(r.html.contains("<h3 id=\"more-info\">"), "{}", r.html);
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[1].id, "intro-1");
    assert_eq!(r.toc[1].children[0].id, "more-info");
    assert_eq!(r.toc[1].children[0].title, "Details");
}

#[test]
fn vietnamese_heading_is_folded() {
    let r = md("## Ẩm thực Huế\n");
    assert_eq!(r.toc[0].id, "am-thuc-hue");
    assert_eq!(r.toc[0].title, "Ẩm thực Huế");
}

#[test]
fn chinese_heading_keeps_han_characters() {
    let r = md("# 文化 遗产\n");
    assert_eq!(r.toc[0].id, "文化-遗产");
    assert!(r.html.contains("<h1 id=\"文化-遗产\">"), "{}", r.html);
}

#[test]
fn heading_text_with_markup_gives_a_clean_id() {
    let r = md("## The `ao dai` *today*\n");
    assert_eq!(r.toc[0].id, "the-ao-dai-today");
    assert_eq!(r.toc[0].title, "The ao dai today");
}

#[test]
fn internal_links_resolve_with_fragment() {
    let html = md("See [áo dài](@/culture/ao-dai.md#history) and ![x](@/culture/_index.md).\n").html;
    assert!(
        html.contains("<a href=\"/culture/ao-dai/#history\">áo dài</a>"),
        "{html}"
    );
    assert!(html.contains("<img src=\"/culture/\""), "{html}");
}

#[test]
fn external_links_are_kept_and_escaped() {
    let html = md("[x](https://example.org/?a=1&b=\"2\")\n").html;
    assert!(
        html.contains("href=\"https://example.org/?a=1&amp;b=%222%22\""),
        "{html}"
    );
}

#[test]
fn every_broken_link_is_reported_at_its_file_line() {
    let body = "Intro.\n\nSee [one](@/nowhere.md) here.\n\n- item [two](@/culture/gone.md#x)\n";
    let errors = match render(body, 5, &MarkdownOptions::default(), &Site) {
        Ok(r) => panic!("expected errors, got {}", r.html),
        Err(errors) => errors,
    };
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].location, Some(Location::new(7, 5)));
    assert!(errors[0].message.contains("@/nowhere.md"));
    assert!(errors[0].message.contains("no page at content/nowhere.md"));
    assert_eq!(errors[1].location, Some(Location::new(9, 8)));
    assert!(errors[1].message.contains("@/culture/gone.md"));
    assert_eq!(errors[1].hint.as_deref(), Some(HINT_BROKEN_LINK));
    assert!(errors.iter().all(|e| e.file.is_none() && e.is_error()));
}

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let body = "<div class=\"box\">hi</div>\n\nText <b>bold</b>.\n";
    let escaped = md_html(body, false);
    assert!(
        escaped.contains("<p>&lt;div class=\"box\"&gt;hi&lt;/div&gt;</p>"),
        "{escaped}"
    );
    assert!(escaped.contains("Text &lt;b&gt;bold&lt;/b&gt;."), "{escaped}");
    let kept = md_html(body, true);
    assert!(kept.contains("<div class=\"box\">hi</div>"), "{kept}");
    assert!(kept.contains("Text <b>bold</b>."), "{kept}");
}

#[test]
fn more_marker_is_consumed_and_ends_the_summary() {
    let body = "First *para*.\n\nSecond para.\n\n<!-- more -->\n\nThe rest.\n";
    for allow_html in [false, true] {
        let r = md_with(body, allow_html);
        assert!(!r.html.contains("more"), "{}", r.html);
        assert!(!r.html.contains("&lt;!--"), "{}", r.html);
        assert_eq!(r.summary, "First para. Second para.");
        assert_eq!(
            r.summary_html,
            "<p>First <em>para</em>.</p>\n<p>Second para.</p>\n"
        );
    }
}

#[test]
fn inline_more_marker_closes_open_tags() {
    let r = md("Lead sentence. <!-- more --> Rest of it.\n");
    assert_eq!(r.summary, "Lead sentence.");
    assert_eq!(r.summary_html, "<p>Lead sentence. </p>\n");
    assert!(r.html.contains("Rest of it."));
}

#[test]
fn summary_defaults_to_the_first_paragraph() {
    let r = md("# Title\n\nThe **first** paragraph\nwraps.\n\nThe second.\n");
    assert_eq!(r.summary, "The first paragraph wraps.");
    assert_eq!(
        r.summary_html,
        "<p>The <strong>first</strong> paragraph\nwraps.</p>\n"
    );
    assert_eq!(md("# Only a title\n").summary, "");
}

#[test]
fn counts_words_in_english_and_chinese() {
    let english = md("# Hue\n\nThe **imp**erial city of Huế, built in 1804.\n");
    assert_eq!(english.word_count, 9);
    let chinese = md("## 文化\n\n顺化是越南的古都。\n");
    assert_eq!(chinese.word_count, 10);
}

/// Turns `photo.jpg` into a `<picture>`, gives `*.svg` a size; leaves
/// other images plain.
struct Pictures;

impl ImageResolver for Pictures {
    fn resolve_image(&self, image: &MarkdownImage<'_>) -> Result<Resolved, Diagnostic> {
        Ok(match image.src {
            "photo.jpg" => Resolved::Markup("<picture></picture>".to_string()),
            src if src.ends_with(".svg") => Resolved::Plain(Some((640, 360))),
            _ => Resolved::Plain(None),
        })
    }
}

fn md_text(body: &str, allow_html: bool) -> Rendered {
    let options = MarkdownOptions {
        allow_html,
        plain_text: true,
        urls: None,
    };
    render_with_images(body, 1, &options, &Site, Some(&Pictures)).expect("renders")
}

#[test]
fn the_plain_text_holds_what_a_reader_sees_block_by_block() {
    let text = md_text(
        "# Title\n\n- item\n  - nested\n\nA ![the alt](photo.jpg) and ![plain](x.jpg) **bo**ld `code`\n",
        false,
    )
    .plain_text
    .expect("asked for");
    assert_eq!(text.trim(), "Title item nested A the alt and plain bold code");
}

#[test]
fn reading_time_is_at_least_one_minute() {
    assert_eq!(reading_time(0), 1);
    assert_eq!(reading_time(200), 1);
    assert_eq!(reading_time(201), 2);
}

#[test]
fn body_text_is_escaped() {
    let html = md("a < b & c\n").html;
    assert!(html.contains("a &lt; b &amp; c"), "{html}");
}

#[test]
fn a_sized_plain_image_carries_width_and_height() {
    let out = md_text("![a \"map\" & key](/maps/hue.svg \"Huế\") ![x](x.jpg)\n", false);
    assert!(
        out.html.contains(
            r#"<img src="/maps/hue.svg" alt="a &quot;map&quot; &amp; key" title="Huế" width="640" height="360">"#
        ),
        "{}",
        out.html
    );
    assert!(
        out.html.contains(r#"<img src="x.jpg" alt="x" />"#),
        "{}",
        out.html
    );
    let text = out.plain_text.expect("asked for");
    assert_eq!(text.trim(), r#"a "map" & key x"#);
}

/// `[text]()` is CommonMark's link to the page itself, not a refused URL:
/// Markdown quotes its attribute, so the empty value stays one.
#[test]
fn an_empty_link_destination_stays_a_link_to_the_page() {
    let r = md("[here]() and ![alt]()");
    assert!(r.html.contains(r#"<a href="">here</a>"#), "{}", r.html);
}
