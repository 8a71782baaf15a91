//! Tests of what the sample portal needs from the generator, on small
//! fixture sites: content types, shortcodes and related articles. The built
//! portal itself is tested in `portal_site.rs`, in browsers in
//! `portal_browser.rs`.

use std::path::Path;

use vitrine::diagnostics::Diagnostic;

use crate::site_test::SiteTest;

fn error_at<'a>(errors: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    errors
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no error mentioning `{needle}` in {errors:#?}"))
}

const DOC_HEAD: &str = "---\ntitle: \"Bad\"\ntype: document\n";

#[test]
fn typed_fields_reach_the_template_and_pick_the_type_template() {
    let site = SiteTest::new("portal-types").build();
    let html = site.read("documents/law-1/index.html");
    assert!(html.contains(r#"<p class="type">document</p>"#), "{html}");
    assert!(html.contains(r#"<p class="number">61/2020/QH14</p>"#));
    assert!(html.contains(r#"<p class="kind">law</p>"#));
    assert!(html.contains(r#"<p class="issued">June 17, 2020</p>"#), "{html}");
    assert!(html.contains(r#"<p class="pages">78</p>"#));
    assert!(html.contains(r#"<p class="public">true</p>"#));
    assert!(html.contains(r#"<p class="keywords">investment,business</p>"#));
    let list = site.read("documents/index.html");
    assert!(list.contains(r#"<li data-kind="law">Law one</li>"#), "{list}");
    assert!(list.contains(r#"<li data-kind="">Related page</li>"#), "{list}");
}

#[test]
fn a_missing_required_field_is_an_error_at_the_type_line() {
    let site = SiteTest::new("portal-types").write(
        "content/documents/bad.md",
        &format!("{DOC_HEAD}number: \"1\"\nkind: law\n---\n"),
    );
    let errors = site.expect_error().into_vec();
    let d = error_at(&errors, "needs the field `issued`");
    assert_eq!(d.file.as_deref(), Some(Path::new("content/documents/bad.md")));
    assert_eq!(d.location.map(|l| l.line), Some(3));
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("issued: …")),
        "{d:?}"
    );
}

#[test]
fn wrong_types_and_unknown_enum_values_are_errors_at_their_lines() {
    let site = SiteTest::new("portal-types").write(
        "content/documents/bad.md",
        &format!("{DOC_HEAD}number: \"1\"\nkind: treaty\nissued: yesterday\npages: many\npublic: \"yes\"\nkeywords: 3\n---\n"),
    );
    let errors = site.expect_error().into_vec();
    let kind = error_at(&errors, "`treaty` is not one of the allowed values");
    assert_eq!(kind.location.map(|l| l.line), Some(5));
    assert!(kind.hint.as_deref().is_some_and(|h| h.contains("law, decree")));
    assert_eq!(
        error_at(&errors, "field `issued`: expected a date")
            .location
            .map(|l| l.line),
        Some(6)
    );
    assert_eq!(
        error_at(&errors, "field `pages`: expected a number")
            .location
            .map(|l| l.line),
        Some(7)
    );
    assert_eq!(
        error_at(&errors, "field `public`: expected true or false")
            .location
            .map(|l| l.line),
        Some(8)
    );
    assert_eq!(
        error_at(&errors, "field `keywords`: expected a list")
            .location
            .map(|l| l.line),
        Some(9)
    );
    assert_eq!(errors.len(), 5, "every error is listed once: {errors:#?}");
}

#[test]
fn an_undeclared_type_and_a_field_of_no_type_are_errors() {
    let site = SiteTest::new("portal-types")
        .write("content/documents/a.md", "---\ntitle: \"A\"\ntype: treaty\n---\n");
    let site = site.write(
        "content/documents/b.md",
        "---\ntitle: \"B\"\nnumber: \"1\"\n---\n",
    );
    let errors = site.expect_error().into_vec();
    let d = error_at(&errors, "`treaty` is not a content type");
    assert_eq!(d.location.map(|l| l.line), Some(3));
    assert!(d.hint.as_deref().is_some_and(|h| h.contains("document")));
    assert_eq!(
        error_at(&errors, "unknown field `number`")
            .location
            .map(|l| l.line),
        Some(3)
    );
}

#[test]
fn bad_type_declarations_in_site_yaml_are_errors() {
    let site = SiteTest::new("portal-types").edit_config(|yaml| {
        yaml.replace("pages: { type: number }", "pages: { type: integer }")
            .replace(
                "public: { type: bool }",
                "date: { type: bool }\n      state: { type: enum }",
            )
    });
    let errors = site.expect_error().into_vec();
    assert!(
        error_at(&errors, "`integer` is not a field type")
            .location
            .is_some()
    );
    error_at(
        &errors,
        "field `date` of type `document` shadows a built-in field",
    );
    error_at(&errors, "enum field `state` of type `document` lists no values");
}

#[test]
fn shortcodes_render_with_theme_templates_in_the_page_language() {
    let site = SiteTest::new("portal-types").build();
    let html = site.read("documents/law-1/index.html");
    assert!(
        html.contains(r#"<figure><img src="/x.svg" alt="A &lt;map&gt;"><figcaption>Caption &amp; more <span>Photo: Studio</span></figcaption></figure>"#),
        "arguments are escaped, the block is not wrapped in <p>: {html}"
    );
    assert!(!html.contains("<p><figure>"));
    assert!(
        html.contains(r#"Figure inline: <strong class="kf">331,345.5</strong> km²."#),
        "{html}"
    );
    assert!(
        html.contains("<blockquote class=\"q\"><p>We <em>welcome</em> investors.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ figure(src=\"not-a-call\") }}"),
        "code is left alone: {html}"
    );
    // An Arabic translation gets Arabic labels; a fallback copy shows English
    // text, so its shortcodes speak English too.
    let ar = site.read("ar/documents/law-1/index.html");
    assert!(ar.contains("الصورة: استوديو"), "{ar}");
    let fallback = site.read("ar/documents/other/index.html");
    assert!(!fallback.contains("الصورة"), "{fallback}");
}

#[test]
fn shortcode_mistakes_are_errors_at_the_content_line() {
    let site = SiteTest::new("portal-types").write(
        "content/documents/other.md",
        "---\ntitle: \"Related page\"\n---\nText.\n\n{{ gallery(dir=\"x\") }}\n",
    );
    let site = site.write(
        "content/documents/third.md",
        "---\ntitle: \"Third\"\n---\n\n\n\n\n{{ figure(src=x y) }}\n",
    );
    let errors = site.expect_error().into_vec();
    let unknown = error_at(&errors, "unknown shortcode `gallery`");
    assert_eq!(
        unknown.file.as_deref(),
        Some(Path::new("content/documents/other.md"))
    );
    assert_eq!(unknown.location.map(|l| l.line), Some(6));
    assert!(
        unknown
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("figure, kf, quote"))
    );
    let syntax = error_at(&errors, "is not a value for `src`");
    assert_eq!(
        syntax.file.as_deref(),
        Some(Path::new("content/documents/third.md"))
    );
    assert_eq!(syntax.location.map(|l| l.line), Some(8));
}

#[test]
fn a_shortcode_missing_an_argument_names_the_template() {
    let site = SiteTest::new("portal-types").write(
        "content/documents/other.md",
        "---\ntitle: \"R\"\n---\n\n{{ figure(src=\"/a.svg\") }}\n",
    );
    let errors = site.expect_error().into_vec();
    let d = error_at(&errors, "the shortcode `figure` failed");
    assert_eq!(d.location.map(|l| l.line), Some(5));
    assert!(
        d.label
            .as_deref()
            .is_some_and(|l| l.contains("shortcodes/figure.html")),
        "{d:?}"
    );
}

#[test]
fn related_pages_share_terms() {
    let site = SiteTest::new("portal-types").build();
    let html = site.read("documents/other/index.html");
    assert!(
        html.contains(r#"<ul class="related"><li>Law one (1 min)</li></ul>"#),
        "{html}"
    );
}
