//! Response headers of the built site, in one place: the default rules
//! (caching by kind of file, `Content-Language` by language folder, safe
//! defaults), then the site's `headers:` rules. Both `vitrine deploy` (per
//! object metadata) and the generated `_headers` file (Netlify, Cloudflare
//! Pages) read [`header_rules`], so a header added here reaches every host.
//! Types of files come from [`content_type`].

use std::collections::BTreeMap;

use vitrine_load::config::Config;
use vitrine_load::config::publish::HeaderRule;

/// Content-hashed files that never change under the same name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages, feeds, sitemaps and search shards: they change on every build.
pub const SHORT: &str = "public, max-age=300, must-revalidate";
/// Theme and site assets under stable names (`/style.css`).
pub const ASSETS: &str = "public, max-age=3600";

/// The header rules of a site, in the order they apply: for one header
/// name, a later matching rule replaces an earlier one.
pub fn header_rules(config: &Config) -> Vec<HeaderRule> {
    let rule = |pattern: &str, headers: &[(&str, &str)]| HeaderRule {
        pattern: pattern.to_string(),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    };
    let mut everywhere = vec![("Cache-Control", SHORT), ("X-Content-Type-Options", "nosniff")];
    if config.csp.is_enabled() {
        everywhere.push(("Content-Security-Policy", config.csp.header_value()));
    }
    let mut rules = vec![rule("/*", &everywhere)];
    for ext in [
        "css", "js", "svg", "woff2", "woff", "ttf", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico",
    ] {
        rules.push(rule(&format!("/*.{ext}"), &[("Cache-Control", ASSETS)]));
    }
    rules.push(rule(
        &format!("/{}/*", super::PROCESSED_IMAGES_DIR),
        &[("Cache-Control", IMMUTABLE)],
    ));
    for lang in &config.languages {
        let prefix = config.language_prefix(&lang.code);
        if prefix != "/" {
            rules.push(rule(&format!("{prefix}*"), &[("Content-Language", &lang.code)]));
        }
    }
    rules.extend(config.headers.iter().cloned());
    rules
}

/// The headers of the file at `path` (relative to the output folder):
/// its `Content-Type`, then every matching rule, later rules winning.
/// The page-language header of the default language at the root is
/// added for HTML only (the root also holds the site's assets).
pub fn headers_for(config: &Config, rules: &[HeaderRule], path: &str) -> BTreeMap<String, String> {
    let mut headers = BTreeMap::new();
    headers.insert("Content-Type".to_string(), content_type(path).to_string());
    let url = format!("/{path}");
    if config.default_language_at_root && path.ends_with(".html") {
        headers.insert("Content-Language".to_string(), config.default_language.clone());
    }
    for rule in rules.iter().filter(|r| matches(&r.pattern, &url)) {
        for (name, value) in &rule.headers {
            // Header names are case-insensitive: one entry per name.
            headers.retain(|n: &String, _| !n.eq_ignore_ascii_case(name));
            headers.insert(name.clone(), value.clone());
        }
    }
    headers
}

/// Whether `pattern` (`*` for any run of characters) matches `url`.
pub fn matches(pattern: &str, url: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = url.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The media type of a file, from its extension: what deploy and
/// `_headers` tell a CDN, and what `vitrine serve` answers.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" if name.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "xsl" => "application/xslt+xml",
        "txt" | "ftl" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wasm" => "application/wasm",
        "br" => "application/x-brotli",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// Whether a file of this type is text that compresses well.
pub fn is_text(path: &str) -> bool {
    let t = content_type(path);
    t.starts_with("text/")
        || t.ends_with("+xml")
        || t.ends_with("/xml")
        || t.ends_with("json")
        || t == "application/wasm"
}

/// The `_headers` file of Netlify and Cloudflare Pages. Those hosts join
/// the values of one header from several matching rules with commas, so
/// the catch-all `Cache-Control` is left out: their own default for files
/// without a rule is the same short, revalidated caching.
pub fn netlify_headers(rules: &[HeaderRule]) -> String {
    let mut out = String::from("# Written by vitrine from its header rules and site.yaml `headers:`.\n");
    for rule in rules {
        let headers: Vec<&(String, String)> = rule
            .headers
            .iter()
            .filter(|(n, _)| !(rule.pattern == "/*" && n.eq_ignore_ascii_case("Cache-Control")))
            .collect();
        if headers.is_empty() {
            continue;
        }
        out.push_str(&rule.pattern);
        out.push('\n');
        for (name, value) in headers {
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_netlify_splats() {
        assert!(matches("/*", "/en/index.html"));
        assert!(matches("/*.css", "/style.css"));
        assert!(matches("/*.css", "/a/b/style.css"));
        assert!(!matches("/*.css", "/style.css.map"));
        assert!(matches("/en/*", "/en/a/index.html"));
        assert!(!matches("/en/*", "/fr/en/index.html"));
        assert!(matches("/robots.txt", "/robots.txt"));
        assert!(!matches("/robots.txt", "/robots.txt.gz"));
        assert!(matches("/a/*/b*.js", "/a/x/y/bz.js"));
    }

    #[test]
    fn types_of_common_files() {
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("en/culture/atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("search/vi/s/0.json"), "application/json");
        assert_eq!(content_type("processed_images/a.webp"), "image/webp");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("f.WOFF2"), "font/woff2");
        assert!(is_text("index.html") && is_text("sitemap.xml") && !is_text("a.webp"));
    }
}
