//! Hostile values never reach a reader's browser: front-matter URLs cannot
//! break out of `src`, `og:image` or JSON-LD; Markdown links with code-running
//! schemes are refused at their line; shortcode URL arguments follow the same
//! rule; the default theme prints no inline script or style (strict CSP); and
//! property tests feed generated hostile strings through front matter and
//! count the elements and attributes of the built HTML.

use proptest::prelude::*;
use scraper::{Html, Selector};
use vitrine::safe_url::{SafeUrl, UrlPolicy};

use crate::serve_support::{browser_dir, browser_tools};
use crate::site_test::{SiteTest, error_in, show};

const HOSTILE_IMAGE: &str = "https://cdn.example.org/a.jpg\\\" onerror=\\\"alert(1)";

fn hostile_article(image: &str) -> String {
    format!(
        "---\ntitle: \"Hostile\"\ndate: 2025-01-02\nimage: \"{image}\"\nimage_alt: \"x\"\n---\nBody text.\n"
    )
}

/// Every `on…` attribute and every `<script>` that is not the theme's.
fn injected(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in el.value().attrs() {
            if name.starts_with("on") {
                found.push(format!("<{} {name}=\"{value}\">", el.value().name()));
            }
        }
    }
    found
}

#[test]
fn a_front_matter_image_url_cannot_add_attributes() {
    let portal = SiteTest::portal()
        .write("content/culture/hostile.md", &hostile_article(HOSTILE_IMAGE))
        .build();
    let page = portal.read("culture/hostile/index.html");
    assert_eq!(injected(&page), Vec::<String>::new(), "{page}");
    let doc = Html::parse_document(&page);
    let og = Selector::parse(r#"meta[property="og:image"]"#).expect("selector");
    let og_image = doc
        .select(&og)
        .next()
        .expect("og:image")
        .value()
        .attr("content")
        .expect("content");
    assert_eq!(og_image, "https://cdn.example.org/a.jpg%22%20onerror=%22alert(1)");
    // JSON-LD carries the same normalized URL, inside a closed script.
    let ld = Selector::parse(r#"script[type="application/ld+json"]"#).expect("selector");
    let json = doc.select(&ld).next().expect("JSON-LD").inner_html();
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON-LD parses");
    assert_eq!(value["image"], og_image);
    // The list of the section shows the card image, also encoded.
    let list = portal.read("culture/index.html");
    assert_eq!(injected(&list), Vec::<String>::new());
    assert!(list.contains("a.jpg%22%20onerror=%22alert(1)"));
}

#[test]
fn a_script_url_in_front_matter_is_an_error_at_its_line() {
    let portal = SiteTest::portal().write(
        "content/culture/hostile.md",
        &hostile_article("javascript:alert(1)"),
    );
    let diagnostics = portal
        .try_build()
        .expect_err("javascript: image must fail the build");
    let d = error_in(&diagnostics, "content/culture/hostile.md");
    assert!(d.message.contains("`javascript:`"), "{}", show(&diagnostics));
    assert_eq!(
        d.location.as_ref().map(|l| l.line),
        Some(4),
        "{}",
        show(&diagnostics)
    );
    // Nothing half-written: the output folder was never made.
    assert!(!portal.out.join("culture/hostile/index.html").exists());
}

fn link_page(body: &str) -> String {
    format!("---\ntitle: \"Links\"\ndate: 2025-01-02\n---\nFirst line.\n\n{body}\n")
}

#[test]
fn markdown_links_with_script_or_data_schemes_are_errors_at_file_line_column() {
    for (body, scheme) in [
        ("See [x](javascript:alert(4)).", "javascript"),
        ("See [x](JavaScript:alert(4)).", "javascript"),
        ("See <javascript:alert(4)>.", "javascript"),
        (
            "See [x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).",
            "data",
        ),
        ("![x](vbscript:msgbox)", "vbscript"),
        ("See [x][r].\n\n[r]: javascript:alert(4)", "javascript"),
    ] {
        let site = SiteTest::new("minimal").write("content/notes/links.md", &link_page(body));
        let diagnostics = site.expect_error();
        let d = error_in(&diagnostics, "content/notes/links.md");
        assert!(
            d.message.contains(&format!("`{scheme}:`")),
            "{body}: {}",
            show(&diagnostics)
        );
        let at = d.location.as_ref().expect("a position");
        assert_eq!(at.line, 7, "{body}: {}", show(&diagnostics));
        assert!(at.column >= 1);
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.contains("allowed_url_schemes"))
        );
    }
}

#[test]
fn safe_links_pass_and_come_out_encoded() {
    let body = "[a](https://example.org/a b \"t\") [m](mailto:press@example.org) [p](/x/'y') [f](#top)";
    let site = SiteTest::new("minimal")
        .write(
            "content/notes/links.md",
            &link_page(&body.replace("a b", "a%20b")),
        )
        .build();
    let page = site.read("notes/links/index.html");
    assert!(page.contains(r#"href="https://example.org/a%20b""#), "{page}");
    assert!(page.contains(r#"href="mailto:press@example.org""#), "{page}");
    assert!(page.contains(r#"href="/x/%27y%27""#), "{page}");
    assert!(page.contains(r##"href="#top""##), "{page}");
}

#[test]
fn a_site_may_allow_another_scheme_but_not_scripts() {
    let site = SiteTest::new("minimal")
        .replace(
            "site.yaml",
            "theme: test",
            "theme: test\nallowed_url_schemes: [https, tel]",
        )
        .write(
            "content/notes/links.md",
            &link_page("[call](tel:+84123) [w](https://example.org/)"),
        )
        .build();
    site.assert_file_contains("notes/links/index.html", r#"href="tel:+84123""#);
    let site = SiteTest::new("minimal")
        .replace(
            "site.yaml",
            "theme: test",
            "theme: test\nallowed_url_schemes: [https, tel]",
        )
        .write("content/notes/links.md", &link_page("[m](mailto:a@example.org)"));
    let diagnostics = site.expect_error();
    assert!(show(&diagnostics).contains("`mailto:`"), "{}", show(&diagnostics));
    let site = SiteTest::new("minimal").replace(
        "site.yaml",
        "theme: test",
        "theme: test\nallowed_url_schemes: [https, javascript]",
    );
    let diagnostics = site.expect_error();
    let d = error_in(&diagnostics, "site.yaml");
    assert!(d.message.contains("javascript"), "{}", show(&diagnostics));
}

#[test]
fn shortcode_url_arguments_follow_the_same_rules() {
    let portal = SiteTest::portal().write(
        "content/culture/hostile.md",
        "---\ntitle: \"Video\"\ndate: 2025-01-02\n---\nIntro.\n\n{{ video(url=\"javascript:alert(1)\", title=\"x\") }}\n",
    );
    let diagnostics = portal.try_build().expect_err("a javascript: video URL must fail");
    let d = error_in(&diagnostics, "content/culture/hostile.md");
    assert!(d.message.contains("`javascript:`"), "{}", show(&diagnostics));
    let portal = portal.write(
        "content/culture/hostile.md",
        "---\ntitle: \"Figure\"\ndate: 2025-01-02\n---\nIntro.\n\n{{ figure(src=\"/a.svg\\\" onload=\\\"alert(1)\", alt=\"x\") }}\n",
    );
    portal.rebuild();
    let page = portal.read("culture/hostile/index.html");
    assert_eq!(injected(&page), Vec::<String>::new(), "{page}");
}

/// Strings that try every way out of an attribute, an element or a script.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "'",
        "<",
        ">",
        "&",
        "`",
        " ",
        "=",
        "/",
        "\\",
        "\n",
        "</script>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\" onerror=\"alert(1)",
        "' onmouseover='x",
        "javascript:",
        "-->",
        "<!--",
        "]]>",
        "{{",
        "}}",
        "{%",
        "&quot;",
        "\u{2028}",
        "é",
        "x",
    ]);
    prop::collection::vec(pieces, 1..8).prop_map(|v| v.concat())
}

/// A YAML double-quoted scalar holding `s`.
fn yaml(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Elements and attributes of the article once `hostile` values are gone:
/// the shape of the page must not depend on what they contain.
fn shape(html: &str) -> (usize, usize) {
    let doc = Html::parse_document(html);
    let elements: Vec<_> = doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .collect();
    let attributes = elements.iter().map(|e| e.value().attrs().count()).sum();
    (elements.len(), attributes)
}

fn hostile_build(title: &str, description: &str, image: &str, tag: &str, extra: &str) -> Option<String> {
    let site = SiteTest::new("minimal").write(
        "content/notes/hostile.md",
        &format!(
            "---\ntitle: {}\ndescription: {}\nimage: {}\ntags: [{}]\nextra: {{ note: {} }}\ndate: 2025-01-02\n---\nBody.\n",
            yaml(title),
            yaml(description),
            yaml(image),
            yaml(tag),
            yaml(extra)
        ),
    );
    site.try_build().ok()?;
    Some(site.read("notes/hostile/index.html"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Rendered output never contains an unescaped value from front matter:
    /// the page built from hostile values has exactly the elements and
    /// attributes of the page built from plain ones.
    #[test]
    fn front_matter_values_never_change_the_page_shape(
        title in hostile(), description in hostile(), image in hostile(), tag in hostile(), extra in hostile()
    ) {
        let plain = hostile_build("Plain", "Plain", "https://example.org/a.jpg", "plain", "plain")
            .expect("the plain page builds");
        // Some hostile values are refused (a `javascript:` image): refused is safe.
        if let Some(page) = hostile_build(&title.replace('\n', " "), &description, &image, &tag, &extra) {
            prop_assert_eq!(shape(&page), shape(&plain), "{}", page);
            prop_assert_eq!(injected(&page), Vec::<String>::new());
        }
    }

    /// A checked URL printed raw inside any quoted attribute stays one value.
    #[test]
    fn a_safe_url_never_breaks_out_of_an_attribute(raw in hostile(), prefix in prop::sample::select(vec!["", "https://example.org/", "/", "mailto:", "#"])) {
        if let Ok(url) = SafeUrl::parse(&format!("{prefix}{raw}"), &UrlPolicy::default()) {
            // Printed raw (a theme's `| safe`), it stays one attribute value…
            for quote in ['"', '\'', ' '] {
                let html = format!("<a href={quote}{url}{quote} title=x>t</a>");
                let doc = Html::parse_fragment(&html);
                let a = doc.select(&Selector::parse("a").expect("selector")).next().expect("one link");
                prop_assert_eq!(a.value().attrs().count(), 2, "{}", html);
            }
            // …and escaped as templates print it, it reads back unchanged.
            let escaped = url.as_str().replace('&', "&amp;");
            let html = format!("<a href=\"{escaped}\">t</a>");
            let doc = Html::parse_fragment(&html);
            let a = doc.select(&Selector::parse("a").expect("selector")).next().expect("one link");
            prop_assert_eq!(a.value().attr("href"), Some(url.as_str()));
            let text = url.as_str();
            prop_assert!(!text.contains(['"', '\'', '<', '>', '`', ' ']));
            prop_assert!(!text.to_ascii_lowercase().starts_with("javascript:"));
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Every line of the browser script's report, which must all be clean.
fn assert_clean_report(output: &std::process::Output, expected: usize) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(
        lines.len(),
        expected,
        "one report per check:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in &lines {
        assert_eq!(line["problems"], serde_json::json!([]), "CSP violation: {line}");
        assert_eq!(line["ok"], true, "{line}");
    }
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_default_theme_runs_under_the_strict_policy() {
    if !browser_tools() {
        return;
    }
    let port = free_port();
    let portal = SiteTest::portal()
        .with_options(|o| o.base_url = Some(format!("http://127.0.0.1:{port}")))
        .build();
    let headers = portal.read("_headers");
    assert!(headers.contains(&format!(
        "Content-Security-Policy: {}",
        vitrine::security::STRICT_CSP
    )));
    let home = portal.read("index.html");
    assert!(home.contains(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39;;"#
    ) || home.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';"#));
    let pages = [
        "/",
        "/en/",
        "/culture/pho/",
        "/en/culture/ha-long-bay/",
        "/culture/",
        "/documents/",
        "/en/tags/",
        "/404.html",
        "/en/no-such-page/",
        "search:/en/search/:pho",
    ];
    let output = std::process::Command::new("timeout")
        .args(["300", "node", "csp.mjs", "static"])
        .arg(&portal.out)
        .arg(port.to_string())
        .args(pages)
        .current_dir(browser_dir())
        .output()
        .expect("node runs");
    assert_clean_report(&output, pages.len());
}

/// The live-reload script, its stylesheet and its event stream run under
/// the strict policy of a page served by `vitrine serve`: a broken save
/// shows the overlay, the fix reloads the page, and no violation is seen.
#[test]
fn live_reload_runs_under_the_strict_policy() {
    if !browser_tools() {
        return;
    }
    let portal = SiteTest::portal();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&portal.root)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(portal.root.join("../serve.out")).expect("a log file"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start vitrine serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    // Drained to the end, so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
            if let (true, Some(at)) = (line.starts_with("Serving "), line.find("http://")) {
                let _ = tx.send(
                    line[at..]
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            if let Ok(mut l) = sink.lock() {
                l.push_str(&line);
                l.push('\n');
            }
        }
    });
    let Ok(address) = rx.recv_timeout(std::time::Duration::from_secs(120)) else {
        let _ = child.kill();
        panic!("vitrine serve did not start");
    };
    let output = std::process::Command::new("timeout")
        .args(["120", "node", "csp.mjs", "serve"])
        .arg(format!(
            "{}/en/culture/ha-long-bay/",
            address.trim_end_matches('/')
        ))
        .arg(portal.root.join("content/culture/vinh-ha-long.en.md"))
        .current_dir(browser_dir())
        .output()
        .expect("node runs");
    let _ = child.kill();
    let _ = child.wait();
    if !output.status.success() {
        eprintln!(
            "--- server log ---\n{}",
            log.lock().map(|l| l.clone()).unwrap_or_default()
        );
    }
    assert_clean_report(&output, 1);
}
