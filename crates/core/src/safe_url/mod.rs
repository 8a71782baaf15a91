//! URLs as a type: every URL that comes from content, data or `site.yaml` is
//! checked once against the site's [`UrlPolicy`] and normalized into a
//! [`SafeUrl`], whose text can be printed inside a quoted HTML attribute —
//! or a template — without breaking out of it, escaped or not.
//!
//! This module owns the scheme rule (http, https, mailto and site paths
//! unless `allowed_url_schemes` says otherwise) and the percent-encoding of
//! every character that could end an attribute. It leaves to its callers
//! where a URL points (resolving `@/` links, page bundles, images) and how
//! a refusal is reported (the caller knows the file and position).

#[cfg(test)]
mod tests;

use std::fmt;

use serde::Serialize;

/// An absolute `http:` or `https:` URL with a host: where a feed or an
/// original article can be fetched from.
pub fn is_web_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// The schemes allowed when `site.yaml` says nothing.
pub const DEFAULT_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Which URL schemes a site accepts in its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPolicy {
    /// Lower-case scheme names, without the colon.
    schemes: Vec<String>,
}

impl Default for UrlPolicy {
    fn default() -> Self {
        UrlPolicy {
            schemes: DEFAULT_SCHEMES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl UrlPolicy {
    /// A policy allowing exactly `schemes` (case-insensitive). `javascript`,
    /// `vbscript` and `data` are never allowed in links: a site that needs
    /// them must write raw HTML (`allow_html: true`).
    pub fn new<S: AsRef<str>>(schemes: &[S]) -> Result<UrlPolicy, String> {
        let mut out = Vec::new();
        for s in schemes {
            let s = s.as_ref().trim().trim_end_matches(':').to_ascii_lowercase();
            if !is_scheme(&s) {
                return Err(format!("`{s}` is not a URL scheme"));
            }
            if NEVER.contains(&s.as_str()) {
                return Err(format!(
                    "the `{s}:` scheme runs code or embeds documents in a reader's browser"
                ));
            }
            if !out.contains(&s) {
                out.push(s);
            }
        }
        Ok(UrlPolicy { schemes: out })
    }

    pub fn schemes(&self) -> &[String] {
        &self.schemes
    }

    fn allows(&self, scheme: &str) -> bool {
        self.schemes.iter().any(|s| s == scheme)
    }
}

/// Schemes that run code or smuggle whole documents.
const NEVER: [&str; 3] = ["javascript", "vbscript", "data"];

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("the `{scheme}:` scheme is not allowed (allowed: {allowed})")]
    Scheme { scheme: String, allowed: String },
    #[error("`{url}` is not a valid URL: {why}")]
    Invalid { url: String, why: String },
    /// Nothing but spaces: printed in an unquoted attribute, an empty value
    /// would take the next attribute as the URL.
    #[error("the URL is empty")]
    Empty,
}

impl UrlError {
    /// What the writer can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            UrlError::Scheme { .. } => {
                "link to a web page (https://…), an address (mailto:…) or a page of the site (@/… or /…); \
                 a site that needs another scheme lists it under `allowed_url_schemes` in site.yaml"
            }
            UrlError::Invalid { .. } => {
                "write a full address such as https://example.org/page, or a site path such as /images/a.jpg"
            }
            UrlError::Empty => "write the address (https://…, /images/a.jpg…), or leave the setting out",
        }
    }
}

/// A checked, normalized URL: absolute with an allowed scheme, or a path
/// (site-rooted, relative, or a `#fragment`). Its text never contains a
/// quote, `<`, `>`, a backtick, whitespace or a control character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SafeUrl(String);

impl SafeUrl {
    /// Checks and normalizes `raw` under `policy`.
    pub fn parse(raw: &str, policy: &UrlPolicy) -> Result<SafeUrl, UrlError> {
        // Browsers drop tabs and newlines anywhere in a URL (`java\nscript:`)
        // and spaces around it: judge the URL they will see.
        let cleaned: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        if cleaned.is_empty() {
            return Err(UrlError::Empty);
        }
        if let Some(scheme) = scheme_of(&cleaned) {
            if !policy.allows(&scheme) || NEVER.contains(&scheme.as_str()) {
                return Err(UrlError::Scheme {
                    scheme,
                    allowed: policy.schemes.join(", "),
                });
            }
            let parsed = url::Url::parse(&cleaned).map_err(|e| UrlError::Invalid {
                url: raw.to_string(),
                why: e.to_string(),
            })?;
            return Ok(SafeUrl(encode_attribute_breakers(parsed.as_str())));
        }
        if cleaned.starts_with("//") || cleaned.starts_with("\\\\") || cleaned.starts_with("/\\") {
            // Scheme-relative: another host, reached with the page's scheme.
            if !policy.allows("https") {
                return Err(UrlError::Scheme {
                    scheme: "https".into(),
                    allowed: policy.schemes.join(", "),
                });
            }
            let parsed = url::Url::parse(&format!("https:{cleaned}")).map_err(|e| UrlError::Invalid {
                url: raw.to_string(),
                why: e.to_string(),
            })?;
            return Ok(SafeUrl(encode_attribute_breakers(parsed.as_str())));
        }
        Ok(SafeUrl(encode_attribute_breakers(&cleaned)))
    }

    /// A URL vitrine built itself from encoded parts (permalinks): only the
    /// attribute breakers are encoded, as a last line of defence.
    pub fn from_built(url: &str) -> SafeUrl {
        SafeUrl(encode_attribute_breakers(url))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// True for `https://…` and other URLs with a scheme (not site paths).
    pub fn is_absolute(&self) -> bool {
        scheme_of(&self.0).is_some()
    }
}

impl fmt::Display for SafeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for SafeUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl AsRef<str> for SafeUrl {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The scheme of `url` in lower case, if it starts with one. A Windows
/// drive letter is not taken for a scheme only because it cannot occur
/// here: content paths use `/`.
fn scheme_of(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let head = &url[..colon];
    // A `:` after `/`, `?` or `#` belongs to a path, query or fragment.
    is_scheme(head).then(|| head.to_ascii_lowercase())
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Percent-encodes every character that could end a quoted attribute, open
/// a tag or split a `srcset`: quotes, `<`, `>`, backtick, whitespace and
/// controls. `%` itself stays, so an already encoded URL is unchanged.
pub fn encode_attribute_breakers(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if matches!(c, '"' | '\'' | '<' | '>' | '`' | ' ' | '\\') || c.is_control() || c.is_whitespace() {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}
