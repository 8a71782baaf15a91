//! Where the served site lives. `serve` renders the site as it will be
//! published, under its own `base_url`: its folder is then what a build of
//! the same options writes, and a build's output and cache can start it
//! ([`super::folder`]). What it sends is rebased on the way out: a link to
//! the site's origin leads to the local server instead, in every form a
//! template writes an address (as it is, HTML-escaped, JSON-escaped,
//! percent-encoded), and a site published under a path of its origin
//! (`https://example.org/portal/`) is served under that same path, so
//! links written from the root (`/portal/style.css`) hold too.
//!
//! An address the editor wrote in a page (`https://portal.example.org/about/`)
//! leads to the local server as well: a preview should not send its reader
//! to the published site.

use aho_corasick::{AhoCorasick, MatchKind};

/// How the site's addresses are rewritten to the local server's.
pub struct Rebase {
    /// The `base_url` it was made from.
    base_url: String,
    /// The site's path under its origin, without its last slash
    /// (`/portal`), or empty for a site at the root of its origin.
    prefix: String,
    /// Finds the site's origin in each form written; `None` when nothing
    /// is rewritten (the site has no origin, or it is the local one).
    finder: Option<AhoCorasick>,
    /// The local origin in the same form, by pattern.
    local: Vec<String>,
}

impl Rebase {
    /// Rebases the site published at `base_url` onto the local server at
    /// `local` (`http://127.0.0.1:1111`).
    pub fn new(base_url: &str, local: &str) -> Rebase {
        let (origin, path) = match base_url.split_once("://") {
            Some((scheme, rest)) => {
                let end = rest.find('/').unwrap_or(rest.len());
                (format!("{scheme}://{}", &rest[..end]), &rest[end..])
            }
            None => (String::new(), base_url),
        };
        let prefix = path.trim_end_matches('/');
        let prefix = if prefix.is_empty() || prefix.starts_with('/') {
            prefix.to_string()
        } else {
            format!("/{prefix}")
        };
        let (mut site, mut here) = (Vec::new(), Vec::new());
        if !origin.is_empty() && origin != local {
            for form in FORMS {
                site.push(form(&origin));
                here.push(form(local));
            }
        }
        let finder = (!site.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&site)
                .expect("a handful of literal patterns")
        });
        Rebase {
            base_url: base_url.to_string(),
            prefix,
            finder,
            local: here,
        }
    }

    /// The `base_url` it was made from.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The site's path under its origin (`/portal`), or empty.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The path of a requested URL within the site (`/portal/news/` gives
    /// `/news/`), or `None` for a path outside it.
    pub fn within<'a>(&self, url_path: &'a str) -> Option<&'a str> {
        if self.prefix.is_empty() {
            return Some(url_path);
        }
        let rest = url_path.strip_prefix(&self.prefix)?;
        if rest.is_empty() {
            Some("/")
        } else {
            rest.starts_with('/').then_some(rest)
        }
    }

    /// The body of the file at output path `file` as the local server
    /// sends it: text with the site's origin replaced, other files as they
    /// are.
    pub fn body(&self, file: &str, body: Vec<u8>) -> Vec<u8> {
        let Some(finder) = &self.finder else {
            return body;
        };
        let textual = vitrine_output::content_type(file);
        let textual = textual.starts_with("text/") || textual.ends_with("xml") || textual.ends_with("json");
        if !textual || !finder.is_match(&body) {
            return body;
        }
        finder.replace_all_bytes(&body, &self.local)
    }
}

/// The forms in which templates write an address: as it is, HTML-escaped
/// (Tera escapes `/`), JSON-escaped, percent-encoded all through (a share
/// link's `?url=`) or but for the slashes.
const FORMS: [fn(&str) -> String; 6] = [
    |a| a.to_string(),
    |a| a.replace('/', "&#x2F;"),
    |a| a.replace('/', "&#47;"),
    |a| a.replace('/', "\\/"),
    |a| a.replace(':', "%3A").replace('/', "%2F"),
    |a| a.replace(':', "%3A"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: &str = "http://127.0.0.1:1111";

    fn sent(rebase: &Rebase, file: &str, body: &str) -> String {
        String::from_utf8(rebase.body(file, body.as_bytes().to_vec())).expect("utf-8")
    }

    #[test]
    fn every_written_form_of_the_origin_leads_to_the_local_server() {
        let rebase = Rebase::new("https://portal.example.org/", LOCAL);
        let page = concat!(
            r#"<a href="https://portal.example.org/news/">"#,
            r#"<a href="https:&#x2F;&#x2F;portal.example.org&#x2F;x&#x2F;">"#,
            r#"<script>{"url":"https:\/\/portal.example.org\/y"}</script>"#,
            r#"<a href="https://share.example/?u=https%3A%2F%2Fportal.example.org%2Fz">"#,
            r#"<a href="https://share.example/?u=https%3A//portal.example.org/w">"#,
            r#"<a href="https://other.example.org/">"#,
        );
        assert_eq!(
            sent(&rebase, "news/index.html", page),
            concat!(
                r#"<a href="http://127.0.0.1:1111/news/">"#,
                r#"<a href="http:&#x2F;&#x2F;127.0.0.1:1111&#x2F;x&#x2F;">"#,
                r#"<script>{"url":"http:\/\/127.0.0.1:1111\/y"}</script>"#,
                r#"<a href="https://share.example/?u=http%3A%2F%2F127.0.0.1%3A1111%2Fz">"#,
                r#"<a href="https://share.example/?u=http%3A//127.0.0.1%3A1111/w">"#,
                r#"<a href="https://other.example.org/">"#,
            )
        );
        assert!(sent(&rebase, "atom.xml", "<id>https://portal.example.org/</id>").contains(LOCAL));
        assert!(sent(&rebase, "search/en.json", r#"["https://portal.example.org/"]"#).contains(LOCAL));
        // An image's bytes are never touched.
        let png = b"\x89PNG https://portal.example.org/".to_vec();
        assert_eq!(rebase.body("a.png", png.clone()), png);
    }

    #[test]
    fn a_site_under_a_path_is_served_under_it() {
        let rebase = Rebase::new("https://example.org/portal/", LOCAL);
        assert_eq!(rebase.prefix(), "/portal");
        assert_eq!(rebase.within("/portal/news/"), Some("/news/"));
        assert_eq!(rebase.within("/portal"), Some("/"));
        assert_eq!(rebase.within("/portalx/"), None);
        assert_eq!(rebase.within("/news/"), None);
        assert_eq!(
            sent(
                &rebase,
                "index.html",
                r#"<a href="https://example.org/portal/news/">"#
            ),
            r#"<a href="http://127.0.0.1:1111/portal/news/">"#
        );
        let root = Rebase::new("https://example.org", LOCAL);
        assert_eq!(root.prefix(), "");
        assert_eq!(root.within("/news/"), Some("/news/"));
    }

    #[test]
    fn a_local_or_relative_base_url_is_left_alone() {
        for base_url in [LOCAL, "/", ""] {
            let rebase = Rebase::new(base_url, LOCAL);
            let page = r#"<a href="http://127.0.0.1:1111/news/">"#;
            assert_eq!(sent(&rebase, "index.html", page), page, "{base_url}");
        }
    }
}
