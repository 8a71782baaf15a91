//! Relative links (`--relative`, `relative_urls: true`): rewrites the
//! site's own absolute URLs in each page's `href`, `src` and `srcset` into
//! paths relative to the page, folder links ending in `index.html`, so the
//! output works from `file://` (a kiosk, a USB stick). Canonical and
//! alternate `<link>`s stay absolute, as search engines need; feeds, the
//! sitemap and JSON-LD are not pages and keep absolute URLs too. Rendering
//! is untouched: this is a sink in front of the writer.

use super::sink::Sink;
use super::{FileContent, OutputFile};

pub struct Relative<'a> {
    inner: &'a dyn Sink,
    /// `base_url` with a trailing `/`.
    base: String,
}

/// The two spellings of the site's own URLs: `https://x.org/portal/…` and
/// the site-rooted `/portal/…` of theme files.
struct Bases<'a> {
    absolute: &'a str,
    rooted: String,
}

impl<'a> Relative<'a> {
    pub fn new(inner: &'a dyn Sink, base_url: &str) -> Relative<'a> {
        Relative {
            inner,
            base: format!("{}/", base_url.trim_end_matches('/')),
        }
    }
}

impl Sink for Relative<'_> {
    fn put(&self, mut file: OutputFile) {
        if file.path.ends_with(".html")
            && let FileContent::Bytes(bytes) = &file.content
            && let Ok(html) = std::str::from_utf8(bytes)
        {
            file.content = FileContent::Bytes(relativize(html, &file.path, &self.base).into_bytes());
        }
        self.inner.put(file);
    }

    fn duplicate(&self, from: &str, to: &str) {
        self.inner.duplicate(from, to);
    }
}

/// The page at `page` (a path in the output folder) with its links to
/// `base` made relative.
pub fn relativize(html: &str, page: &str, base: &str) -> String {
    let up = "../".repeat(page.matches('/').count());
    let base = &Bases {
        absolute: base,
        rooted: format!("{}/", vitrine_model::base_path(base)),
    };
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((at, attribute)) = next_attribute(rest) {
        let value_start = at + attribute.len();
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..value_start + len];
        if keeps_absolute(&html[..html.len() - rest.len() + at]) {
            out.push_str(value);
        } else if attribute == " srcset=\"" {
            let parts: Vec<String> = value
                .split(", ")
                .map(|candidate| match candidate.split_once(' ') {
                    Some((url, width)) => format!("{} {width}", relative(url, base, &up)),
                    None => relative(candidate, base, &up),
                })
                .collect();
            out.push_str(&parts.join(", "));
        } else {
            out.push_str(&relative(value, base, &up));
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

fn next_attribute(text: &str) -> Option<(usize, &'static str)> {
    [" href=\"", " src=\"", " srcset=\""]
        .into_iter()
        .filter_map(|a| text.find(a).map(|i| (i, a)))
        .min_by_key(|(i, _)| *i)
}

/// Whether the attribute belongs to a `<link rel="canonical">` or a
/// `<link rel="alternate">` (hreflang, feeds): those stay absolute.
fn keeps_absolute(before: &str) -> bool {
    let Some(open) = before.rfind('<') else {
        return false;
    };
    let tag = &before[open..];
    tag.starts_with("<link") && (tag.contains("rel=\"canonical\"") || tag.contains("rel=\"alternate\""))
}

fn relative(url: &str, base: &Bases, up: &str) -> String {
    let target = url
        .strip_prefix(base.absolute)
        .or_else(|| (format!("{url}/") == base.absolute).then_some(""))
        .or_else(|| {
            url.strip_prefix(base.rooted.as_str())
                .filter(|_| !url.starts_with("//"))
        });
    let Some(target) = target else {
        return url.to_string();
    };
    let (path, suffix) = match target.find(['#', '?']) {
        Some(i) => target.split_at(i),
        None => (target, ""),
    };
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    format!("{up}{file}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::relativize;

    #[test]
    fn site_links_become_relative_and_canonical_stays() {
        let base = "https://x.org/portal/";
        let html = concat!(
            "<link rel=\"canonical\" href=\"https://x.org/portal/en/a/\">",
            "<link rel=\"stylesheet\" href=\"/portal/style.css\">",
            "<a href=\"https://x.org/portal/en/\">home</a>",
            "<a href=\"https://x.org/portal/en/b/#part\">b</a>",
            "<a href=\"https://other.org/\">out</a>",
            "<img src=\"https://x.org/portal/processed_images/a.webp\" srcset=\"https://x.org/portal/p/a.webp 400w, https://x.org/portal/p/b.webp 800w\">",
        );
        let out = relativize(html, "en/a/index.html", base);
        assert!(
            out.contains("rel=\"canonical\" href=\"https://x.org/portal/en/a/\""),
            "{out}"
        );
        assert!(out.contains("href=\"../../style.css\""), "{out}");
        assert!(out.contains("href=\"../../en/index.html\""), "{out}");
        assert!(out.contains("href=\"../../en/b/index.html#part\""), "{out}");
        assert!(out.contains("href=\"https://other.org/\""), "{out}");
        assert!(out.contains("src=\"../../processed_images/a.webp\""), "{out}");
        assert!(
            out.contains("srcset=\"../../p/a.webp 400w, ../../p/b.webp 800w\""),
            "{out}"
        );
        assert_eq!(
            relativize("<a href=\"https://x.org/portal/\">", "index.html", base),
            "<a href=\"index.html\">"
        );
    }
}
