//! What a feed says, made safe to carry into the site: item HTML sanitized
//! (`ammonia`: no scripts, event handlers, frames, forms, styles, nor
//! `javascript:` or `data:` URLs) then turned into Markdown (`htmd`);
//! titles and summaries reduced to plain text; links kept only when they
//! are absolute http(s) URLs. The Markdown is checked once more as the
//! site's renderer will read it, since text in a feed may look like
//! Markdown or HTML of its own.

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser, Tag};

/// The URL schemes an imported link or image may use.
const SAFE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

pub struct Cleaner {
    html: ammonia::Builder<'static>,
    markdown: htmd::HtmlToMarkdown,
    base: Option<url::Url>,
}

impl Cleaner {
    pub fn new(base: Option<&url::Url>) -> Self {
        let mut html = ammonia::Builder::default();
        html.url_schemes(HashSet::from(SAFE_SCHEMES))
            .rm_tags(["font", "span", "small", "big"])
            .link_rel(None)
            .url_relative(match base {
                Some(b) => ammonia::UrlRelative::RewriteWithBase(b.clone()),
                None => ammonia::UrlRelative::Deny,
            });
        let markdown = htmd::HtmlToMarkdown::builder()
            .skip_tags(vec![
                "script", "style", "iframe", "form", "object", "embed", "head",
            ])
            .build();
        Cleaner {
            html,
            markdown,
            base: base.cloned(),
        }
    }

    /// Item HTML → safe Markdown. Whatever cannot be shown safely as
    /// Markdown is shown as plain text instead.
    pub fn markdown(&self, html: &str) -> String {
        let clean = self.html.clean(html).to_string();
        let markdown = self.markdown.convert(&clean).unwrap_or_default();
        let markdown = markdown.trim().to_string();
        if is_safe_markdown(&markdown) {
            markdown
        } else {
            escape_markdown(&plain_text(&clean))
        }
    }

    /// An absolute http(s) URL, resolved against the feed's address.
    pub fn web_url(&self, href: &str) -> Option<String> {
        let href = href.trim();
        let url = match &self.base {
            Some(base) => base.join(href).ok()?,
            None => url::Url::parse(href).ok()?,
        };
        (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| url.to_string())
    }
}

/// HTML reduced to its text, whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    // ammonia escapes text as HTML; a page's title and summary are YAML
    // strings, escaped again by templates when shown.
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown the site may render as it is: no raw HTML (it would pass
/// through on sites that allow HTML) and no link or image to a scheme
/// outside [`SAFE_SCHEMES`].
fn is_safe_markdown(markdown: &str) -> bool {
    Parser::new(markdown).all(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) => false,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            is_safe_destination(&dest_url)
        }
        _ => true,
    })
}

fn is_safe_destination(dest: &str) -> bool {
    let lower: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let lower = lower.to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => SAFE_SCHEMES.contains(&scheme),
        // Relative links were resolved by the sanitizer; what is left
        // points inside the original site's pages only by accident.
        _ => !lower.is_empty(),
    }
}

/// Text shown as itself in Markdown: every punctuation mark that could
/// start markup is escaped, one paragraph per line of text.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaner() -> Cleaner {
        Cleaner::new(
            url::Url::parse("https://news.example.org/feeds/rss.xml")
                .ok()
                .as_ref(),
        )
    }

    #[test]
    fn scripts_handlers_and_bad_urls_are_gone() {
        let md = cleaner().markdown(
            r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(2)">a</a>
            <img src="data:image/png;base64,AAAA" onerror="alert(3)"><iframe src="https://evil.example"></iframe>
            <a href="/news/1.html">rel</a></p>"#,
        );
        for bad in [
            "script",
            "alert",
            "javascript",
            "data:",
            "onerror",
            "onclick",
            "iframe",
            "evil",
        ] {
            assert!(!md.contains(bad), "{bad} in {md}");
        }
        assert!(md.contains("https://news.example.org/news/1.html"), "{md}");
    }

    #[test]
    fn text_that_looks_like_markup_stays_text() {
        let md = cleaner().markdown("<p>[click](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;</p>");
        assert!(is_safe_markdown(&md), "{md}");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new(&md));
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn titles_lose_their_tags() {
        assert_eq!(
            plain_text("<b>Hà Nội</b> &amp; <i>Huế</i>  <script>x</script>"),
            "Hà Nội & Huế"
        );
    }
}
