//! The template functions that page templates and shortcode templates
//! share (`t`, `asset_url`, `format_date`, `format_number`) give the same
//! result, and fail with the same error, wherever the theme calls them:
//! each expression below is rendered once by `page.html` and once by a
//! shortcode template, on the same site.

use crate::site_test::SiteTest;

/// What an expression must give: its text, or an error naming the
/// function and the bad argument.
enum Expect {
    Text(&'static str),
    Error(&'static str),
}

const CASES: &[(&str, Expect)] = &[
    (
        r#"{{ 1234.5 | format_number(lang="en") }}"#,
        Expect::Text("1,234.5"),
    ),
    (r#"{{ "7.09" | format_number(lang="en") }}"#, Expect::Text("7.09")),
    (r#"{{ 7.09 | format_number }}"#, Expect::Text("7,09")),
    (
        r#"{{ "2025-09-02" | format_date(length="long", lang="en") }}"#,
        Expect::Text("September 2, 2025"),
    ),
    (r#"{{ t(key="footer", lang="en") }}"#, Expect::Text("Test site")),
    (r#"{{ asset_url(path="site.css") }}"#, Expect::Text("/site.css")),
    (
        r#"{{ "soon" | format_date }}"#,
        Expect::Error("`format_date`: `soon` is not a date (write 2025-09-02)"),
    ),
    (
        r#"{{ 42 | format_date }}"#,
        Expect::Error("`format_date`: `42` is not a date"),
    ),
    (
        r#"{{ "2025-09-02" | format_date(length="huge") }}"#,
        Expect::Error("`format_date`: length `huge` is not short, medium, long or full"),
    ),
    (
        r#"{{ "≈ 101 triệu" | format_number }}"#,
        Expect::Error("`format_number`: `≈ 101 triệu` is not a number"),
    ),
    (
        r#"{{ true | format_number }}"#,
        Expect::Error("`format_number`: `true` is not a number"),
    ),
    (
        r#"{{ 5 | format_number(lang="xx") }}"#,
        Expect::Error("`format_number`: `lang` is `xx`, which is not a language of the site (en, vi)"),
    ),
    (
        r#"{{ "2025-09-02" | format_date(lang="xx") }}"#,
        Expect::Error("`format_date`: `lang` is `xx`, which is not a language of the site (en, vi)"),
    ),
    (
        r#"{{ t(key="footer", lang="xx") }}"#,
        Expect::Error("`t`: `lang` is `xx`, which is not a language of the site (en, vi)"),
    ),
];

/// The page `notes/hello.md` (Vietnamese) rendered with `expr` in its
/// template: the text between the markers, or every error message.
fn rendered(site: SiteTest) -> Result<String, String> {
    match site.try_build() {
        Ok(_) => {
            let html = site.read("notes/hello/index.html");
            let inner = html
                .split_once("PROBE[")
                .and_then(|(_, rest)| rest.split_once("]PROBE"))
                .map(|(inner, _)| inner.trim().to_string());
            Ok(inner.unwrap_or_else(|| panic!("no probe in the page:\n{html}")))
        }
        Err(diagnostics) => Err(diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

fn from_page_template(expr: &str) -> Result<String, String> {
    rendered(SiteTest::new("minimal").write(
        "themes/test/templates/page.html",
        &format!("<html><body>PROBE[{expr}]PROBE</body></html>"),
    ))
}

fn from_shortcode(expr: &str) -> Result<String, String> {
    let site = SiteTest::new("minimal")
        .write("themes/test/templates/shortcodes/probe.html", expr)
        .write(
            "themes/test/templates/page.html",
            "<html><body>PROBE[{{ page.content | safe }}]PROBE</body></html>",
        );
    let page = site.read_source("content/notes/hello.md");
    let (front, _) = page.rsplit_once("---").expect("front matter");
    rendered(site.write(
        "content/notes/hello.md",
        &format!("{front}---\n{{{{ probe() }}}}\n"),
    ))
}

#[test]
fn shared_functions_give_the_same_result_and_errors_in_pages_and_shortcodes() {
    let mut wrong = Vec::new();
    for (expr, expect) in CASES {
        for (place, result) in [
            ("page.html", from_page_template(expr)),
            ("a shortcode", from_shortcode(expr)),
        ] {
            let right = match (expect, &result) {
                (Expect::Text(text), Ok(got)) => got == text,
                (Expect::Error(message), Err(errors)) => errors.contains(message),
                _ => false,
            };
            if !right {
                wrong.push(format!("{expr} in {place}: {result:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
