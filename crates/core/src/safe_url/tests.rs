use super::*;

fn parse(raw: &str) -> Result<String, UrlError> {
    SafeUrl::parse(raw, &UrlPolicy::default()).map(SafeUrl::into_string)
}

#[test]
fn a_quote_in_an_image_url_cannot_end_the_attribute() {
    let url = parse("https://cdn.example.org/a.jpg\" onerror=\"alert(1)").expect("accepted");
    assert_eq!(url, "https://cdn.example.org/a.jpg%22%20onerror=%22alert(1)");
    let url = parse("https://cdn.example.org/a.jpg?x='><script>#'`").expect("accepted");
    assert!(!url.contains(['"', '\'', '<', '>', '`', ' ']), "{url}");
}

#[test]
fn code_running_schemes_are_refused_however_written() {
    for raw in [
        "javascript:alert(4)",
        "JavaScript:alert(4)",
        " javascript:alert(4)",
        "java\nscript:alert(4)",
        "java\tscript:alert(4)",
        "vbscript:msgbox",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ] {
        assert!(
            matches!(parse(raw), Err(UrlError::Scheme { .. })),
            "{raw:?} passed"
        );
    }
}

#[test]
fn web_addresses_mail_and_site_paths_pass() {
    assert_eq!(
        parse("https://example.org/a b").expect("accepted"),
        "https://example.org/a%20b"
    );
    assert_eq!(
        parse("HTTP://Example.org").expect("accepted"),
        "http://example.org/"
    );
    assert_eq!(
        parse("mailto:press@example.org").expect("accepted"),
        "mailto:press@example.org"
    );
    assert_eq!(parse("/images/a.jpg").expect("accepted"), "/images/a.jpg");
    assert_eq!(parse("cover.jpg").expect("accepted"), "cover.jpg");
    assert_eq!(parse("#top").expect("accepted"), "#top");
    assert_eq!(parse("a/b.jpg?w=1&h=2").expect("accepted"), "a/b.jpg?w=1&h=2");
    assert_eq!(
        parse("//cdn.example.org/x.js").expect("accepted"),
        "https://cdn.example.org/x.js"
    );
}

#[test]
fn a_site_can_allow_more_schemes_but_never_script() {
    let policy = UrlPolicy::new(&["https", "tel"]).expect("accepted");
    assert_eq!(
        SafeUrl::parse("tel:+84123", &policy).expect("accepted").as_str(),
        "tel:+84123"
    );
    assert!(SafeUrl::parse("mailto:a@b.c", &policy).is_err());
    assert!(UrlPolicy::new(&["javascript"]).is_err());
    assert!(UrlPolicy::new(&["DATA:"]).is_err());
    assert!(UrlPolicy::new(&["no way"]).is_err());
}

#[test]
fn mailto_with_quotes_is_encoded() {
    let url = parse("mailto:a@b.c\" onmouseover=\"x").expect("accepted");
    assert!(!url.contains(['"', ' ']), "{url}");
}

/// Unquoted (`href={{ url | safe }}`), an empty value would make the next
/// attribute the URL: a URL of nothing but spaces is refused.
#[test]
fn an_empty_or_blank_url_is_refused() {
    for raw in ["", " ", "\n", "\u{2028}", "\t \r\n"] {
        assert!(matches!(parse(raw), Err(UrlError::Empty)), "{raw:?} passed");
    }
}
