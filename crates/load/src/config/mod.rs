//! Site configuration: `site.yaml` is read in two stages, a raw serde struct
//! ([`raw::RawConfig`]) and a validated [`Config`] with languages resolved and
//! fallback chains checked. Later stages only ever see a valid `Config`.

pub mod analytics;
pub mod images;
mod policy;
pub mod publish;
mod raw;
pub mod sources;
pub mod types;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

pub use policy::{LanguagePolicy, PolicyScope, policy_for};
use raw::{RawConfig, RawDirection, RawUntranslated};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics, Location};

/// The file name of the only configuration file.
pub const CONFIG_FILE: &str = "site.yaml";

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// The direction a language is written in when `site.yaml` does not say.
    pub fn of_language(code: &str) -> Direction {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        match primary {
            "ar" | "fa" | "he" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }
}

/// A language of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 code, as in file suffixes and URLs.
    pub code: String,
    /// The language's own name ("Tiếng Việt").
    pub name: String,
    /// The site title in this language, when `site.yaml` gives one.
    pub title: Option<String>,
    pub dir: Direction,
    /// The language itself, then where to look for missing pages and
    /// messages, in order. Always ends with the default language.
    pub chain: Vec<String>,
    /// Whether search matches word forms in this language (`stem:` in
    /// `site.yaml`, on by default; only languages with a stemmer stem).
    pub stem: bool,
}

/// What to do with a page that has no translation in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untranslated {
    /// Show the text of the first language of the fallback chain that has it.
    Fallback,
    /// Leave the page out of that language.
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyConfig {
    pub name: String,
    pub paginate_by: usize,
    pub feed: bool,
    /// `free_terms:` as written: whether pages may name terms that no
    /// `content/<taxonomy>/<key>/_index.md` declares. Unset, the model
    /// allows them until the taxonomy declares its first term, so sites
    /// written before terms were declared keep building.
    pub free_terms: Option<bool>,
}

/// The validated configuration of a site.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder: everything is read from below it.
    pub root: PathBuf,
    pub title: String,
    /// Without a trailing slash.
    pub base_url: String,
    pub default_language: String,
    pub default_language_at_root: bool,
    pub untranslated: Untranslated,
    /// In the order of `site.yaml`.
    pub languages: Vec<Language>,
    /// Section folder names in navigation order.
    pub sections: Vec<String>,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub paginate_by: usize,
    pub feed_limit: usize,
    pub sitemap: bool,
    /// Write a search index per language and render `search.html`.
    pub search: bool,
    pub theme: String,
    pub allow_html: bool,
    /// The schemes content may use in URLs (`allowed_url_schemes`).
    pub urls: vitrine_core::safe_url::UrlPolicy,
    /// `security.csp` (the strict default unless set; empty turns it off).
    pub csp: vitrine_core::security::ContentSecurityPolicy,
    pub extra: serde_json::Value,
    /// Content types declared under `types:`, by name.
    pub types: Vec<types::ContentType>,
    /// `images:` — responsive widths, quality, formats, limits.
    pub images: images::ImageConfig,
    /// `analytics:` — the audience counter's script, when the site has one.
    pub analytics: Option<analytics::Analytics>,
    /// `sources:` — feeds `vitrine import` takes news from.
    pub sources: Vec<sources::SourceConfig>,
    /// `deploy:` — where `vitrine deploy` publishes.
    pub deploy: Vec<publish::DeployTarget>,
    /// `headers:` — the site's own header rules, applied after the defaults
    /// of the output layer's `header_rules`.
    pub headers: Vec<publish::HeaderRule>,
    /// `keep_in_output:` — top-level names of the output folder that a
    /// build carries over (`.git`, `CNAME`).
    pub keep_in_output: Vec<String>,
    /// `compress:` — precompressed siblings to write beside text files.
    pub compress: Vec<publish::Compression>,
    /// `relative_urls:` — links relative to each page, for `file://`.
    pub relative_urls: bool,
    /// `language_policy:` — required, optional and withheld languages per
    /// section or content type.
    pub language_policy: Vec<LanguagePolicy>,
}

impl Config {
    /// Reads and validates `<root>/site.yaml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostics::from(vec![
                Diagnostic::error(format!("cannot read {CONFIG_FILE}: {e}"))
                    .in_file(CONFIG_FILE)
                    .with_hint("run vitrine in a site folder, or pass --root DIR"),
            ])
        })?;
        Self::parse(root, &text)
    }

    /// Validates the text of a `site.yaml`.
    pub fn parse(root: &Path, text: &str) -> Result<Config, Diagnostics> {
        let raw: RawConfig = serde_saphyr::from_str(text)
            .map_err(|e| Diagnostics::from(vec![yaml_error(&e, CONFIG_FILE, 0, text)]))?;
        validate(root, raw)
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn is_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    pub fn content_type(&self, name: &str) -> Option<&types::ContentType> {
        self.types.iter().find(|t| t.name == name)
    }

    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// The URL path prefix of a language: `/` or `/en/`.
    pub fn language_prefix(&self, code: &str) -> String {
        if code == self.default_language && self.default_language_at_root {
            "/".to_string()
        } else {
            format!("/{code}/")
        }
    }

    /// The language policy rule for a page (see [`policy_for`]).
    pub fn policy(&self, content_path: &str, content_type: Option<&str>) -> Option<&LanguagePolicy> {
        policy_for(&self.language_policy, content_path, content_type)
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }

    /// The site's working folder, `.vitrine-cache/`: the build cache, the
    /// image cache, and the unnamed files a build keeps its large
    /// intermediate data in (Markdown records, search terms).
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join(".vitrine-cache")
    }
}

/// Turns a serde-saphyr error into a diagnostic. `line_offset` is the number
/// of file lines before the YAML text (front matter starts after `---`).
/// `source` is the YAML text, used to name the key of a badly typed value.
pub fn yaml_error(error: &serde_saphyr::Error, file: &str, line_offset: usize, source: &str) -> Diagnostic {
    let mut message = readable_types(&yaml_message(error));
    let location = error.location().filter(|l| l.line() > 0);
    if let Some(loc) = location {
        let key = source
            .lines()
            .nth(loc.line() as usize - 1)
            .and_then(|line| line.split_once(':'))
            .map(|(key, _)| key.trim().trim_start_matches("- "))
            .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'));
        if let Some(key) = key
            && !message.contains(&format!("`{key}`"))
        {
            message = format!("`{key}`: {message}");
        }
    }
    let mut d = Diagnostic::error(message).in_file(file);
    if let Some(loc) = location {
        d = d.at(Location::new(loc.line() as usize, loc.column() as usize).offset_lines(line_offset));
    }
    let hint = if d.message.contains("unknown field") {
        "check the spelling; free data belongs under `extra:`"
    } else {
        "check the YAML syntax and the type of the value"
    };
    d.with_hint(hint)
}

/// Serde names Rust types ("invalid i64"); users write YAML.
fn readable_types(message: &str) -> String {
    let mut out = message.to_string();
    for (rust, yaml) in [
        ("i64", "a whole number"),
        ("u64", "a whole number"),
        ("usize", "a whole number"),
        ("u32", "a whole number"),
        ("f64", "a number"),
        ("bool", "true or false"),
    ] {
        out = out.replace(&format!("invalid {rust}"), &format!("expected {yaml}"));
    }
    out
}

/// The error text without the position serde-saphyr appends (we show our own).
fn yaml_message(error: &serde_saphyr::Error) -> String {
    // Without snippets: their title starts with the position counted from the
    // start of the YAML text, which is not the file's line in front matter.
    let text = error.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    let first = text.lines().next().unwrap_or(&text);
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

fn spanned_location(loc: &serde_saphyr::Location) -> Option<Location> {
    (loc.line() > 0).then(|| Location::new(loc.line() as usize, loc.column() as usize))
}

fn config_error(message: String, loc: &serde_saphyr::Location, hint: &str) -> Diagnostic {
    let mut d = Diagnostic::error(message).in_file(CONFIG_FILE).with_hint(hint);
    if let Some(l) = spanned_location(loc) {
        d = d.at(l);
    }
    d
}

fn validate(root: &Path, raw: RawConfig) -> Result<Config, Diagnostics> {
    let mut errors = Diagnostics::new();
    let declared: Vec<&str> = raw.languages.iter().map(|l| l.code.value.as_str()).collect();
    let mut seen = HashSet::new();
    for lang in &raw.languages {
        let code = &lang.code.value;
        if code.parse::<unic_langid::LanguageIdentifier>().is_err() || code.is_empty() {
            errors.push(config_error(
                format!("`{code}` is not a BCP 47 language code"),
                &lang.code.referenced,
                "use a code such as `vi`, `en`, `zh-Hans` or `pt-BR`",
            ));
        }
        if !seen.insert(code.as_str()) {
            errors.push(config_error(
                format!("language `{code}` is declared twice"),
                &lang.code.referenced,
                "list each language once under `languages:`",
            ));
        }
        for fb in &lang.fallback {
            if !declared.contains(&fb.value.as_str()) {
                errors.push(config_error(
                    format!(
                        "language `{code}` falls back to `{}`, which is not declared",
                        fb.value
                    ),
                    &fb.referenced,
                    "add that language under `languages:` or remove it from `fallback`",
                ));
            }
        }
    }
    let default = raw.default_language.value.clone();
    if !declared.contains(&default.as_str()) {
        errors.push(config_error(
            format!("the default language `{default}` is not in `languages`"),
            &raw.default_language.referenced,
            "add it under `languages:` or pick one of the declared codes",
        ));
    }
    let graph: BTreeMap<&str, Vec<&str>> = raw
        .languages
        .iter()
        .map(|l| {
            (
                l.code.value.as_str(),
                l.fallback.iter().map(|f| f.value.as_str()).collect(),
            )
        })
        .collect();
    for lang in &raw.languages {
        if let Some(cycle) = find_cycle(&graph, &lang.code.value) {
            errors.push(config_error(
                format!("fallback chains form a cycle: {}", cycle.join(" → ")),
                &lang.code.referenced,
                "a language must not fall back, directly or not, to itself",
            ));
            break;
        }
    }
    let base_url = raw.base_url.value.trim_end_matches('/').to_string();
    let breaks_attribute = vitrine_core::safe_url::encode_attribute_breakers(&base_url) != base_url;
    let base_checked = check_base_url(&base_url).and_then(|()| {
        if breaks_attribute {
            Err("it holds a character that would end an HTML attribute (quote, `<`, `>`, space)".to_string())
        } else {
            Ok(())
        }
    });
    if let Err(message) = base_checked {
        errors.push(config_error(
            format!("base_url: {message}"),
            &raw.base_url.referenced,
            "write it as https://example.org or https://example.org/portal/",
        ));
    }
    let urls = match &raw.allowed_url_schemes {
        None => vitrine_core::safe_url::UrlPolicy::default(),
        Some(list) => vitrine_core::safe_url::UrlPolicy::new(&list.value).unwrap_or_else(|why| {
            errors.push(config_error(
                format!("allowed_url_schemes: {why}"),
                &list.referenced,
                "list schemes such as [https, mailto, tel]; pages needing scripts in links must use raw HTML",
            ));
            vitrine_core::safe_url::UrlPolicy::default()
        }),
    };
    let csp = match &raw.security.csp {
        None => vitrine_core::security::ContentSecurityPolicy::default(),
        Some(text) => {
            if let Err(why) = vitrine_core::security::ContentSecurityPolicy::check(&text.value) {
                errors.push(config_error(
                    format!("security.csp: {why}"),
                    &text.referenced,
                    "write directives separated by `;`, e.g. \"default-src 'self'; img-src 'self' https:\"",
                ));
            }
            vitrine_core::security::ContentSecurityPolicy::new(&text.value)
        }
    };
    if raw.feed.format.value != "atom" {
        errors.push(config_error(
            format!("feed format `{}` is not supported", raw.feed.format.value),
            &raw.feed.format.referenced,
            "use `atom`",
        ));
    }
    let paginate_by = positive(raw.paginate_by.as_ref(), 10, &mut errors);
    let mut taxonomies = Vec::new();
    for t in &raw.taxonomies {
        let name = t.name.value.clone();
        if RESERVED_FIELDS.contains(&name.as_str()) || name.is_empty() {
            errors.push(config_error(
                format!("`{name}` cannot be a taxonomy name: it is a front matter field"),
                &t.name.referenced,
                "choose another name, such as `topics`",
            ));
        }
        taxonomies.push(TaxonomyConfig {
            paginate_by: positive(t.paginate_by.as_ref(), paginate_by, &mut errors),
            name,
            feed: t.feed,
            free_terms: t.free_terms,
        });
    }
    let theme = raw
        .theme
        .as_ref()
        .map_or("default".to_string(), |t| t.value.clone());
    let bad_theme = theme.contains(['/', '\\']) || theme.starts_with('.');
    if bad_theme && let Some(t) = &raw.theme {
        errors.push(config_error(
            format!("theme `{theme}` is not a folder name"),
            &t.referenced,
            "name a folder under themes/",
        ));
    }
    let taxonomy_names: Vec<String> = taxonomies.iter().map(|t| t.name.clone()).collect();
    let mut raw_types = raw.types;
    let mut raw_policy = raw.language_policy;
    raw_policy.extend(types::policy_rules(&mut raw_types));
    let content_types = types::validate(raw_types, &taxonomy_names, &mut errors);
    let type_names: Vec<&str> = content_types.iter().map(|t| t.name.as_str()).collect();
    let language_policy = policy::validate(raw_policy, &declared, &default, &type_names, &mut errors);
    errors.extend(raw.images.validate());
    let analytics = raw.analytics.and_then(|a| a.validate(&mut errors));
    // The analytics script comes from its provider: the policy lets that
    // origin run it and receive its requests.
    let csp = match &analytics {
        Some(a) => csp.allowing(&a.origin),
        None => csp,
    };
    let taxonomy_refs: Vec<&str> = taxonomy_names.iter().map(String::as_str).collect();
    let sources = sources::validate(raw.sources, &declared, &taxonomy_refs, &mut errors);
    let deploy = publish::deploy_targets(raw.deploy, &mut errors);
    let headers = publish::header_rules(raw.headers, &mut errors);
    let keep_in_output = publish::keep_in_output(raw.keep_in_output, &mut errors);
    if errors.has_errors() {
        return Err(errors);
    }
    let languages = raw
        .languages
        .iter()
        .map(|l| Language {
            code: l.code.value.clone(),
            name: l.name.clone(),
            title: l.title.clone(),
            dir: match l.dir {
                Some(RawDirection::Rtl) => Direction::Rtl,
                Some(RawDirection::Ltr) => Direction::Ltr,
                None => Direction::of_language(&l.code.value),
            },
            chain: chain(&graph, &l.code.value, &default),
            stem: l.stem,
        })
        .collect();
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title.value,
        base_url,
        default_language: default,
        default_language_at_root: raw.default_language_at_root,
        untranslated: match raw.untranslated {
            RawUntranslated::Fallback => Untranslated::Fallback,
            RawUntranslated::Skip => Untranslated::Skip,
        },
        languages,
        sections: raw.sections.into_iter().map(|s| s.value).collect(),
        taxonomies,
        paginate_by,
        feed_limit: raw.feed.limit,
        sitemap: raw.sitemap,
        search: raw.search,
        theme,
        allow_html: raw.allow_html,
        urls,
        csp,
        extra: raw.extra.unwrap_or(serde_json::Value::Object(Default::default())),
        types: content_types,
        images: raw.images,
        analytics,
        sources,
        deploy,
        headers,
        keep_in_output,
        compress: raw.compress,
        relative_urls: raw.relative_urls,
        language_policy,
    })
}

/// Checks a site's base URL (`base_url` or `--base-url`): empty (for a
/// site with no address yet), or `http(s)://host[/path]` without a query
/// or fragment, which every absolute link is made from.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    check_http_url(url)?;
    if url.contains(['?', '#']) {
        return Err(format!("`{url}` has a query or fragment"));
    }
    Ok(())
}

/// Checks that `url` is `http(s)://host…` with a plausible host and no spaces.
pub fn check_http_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an http(s) URL"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'));
    if !host_ok || url.chars().any(char::is_whitespace) {
        return Err(format!("`{url}` is not an http(s) URL with a host name"));
    }
    Ok(())
}

/// Front matter fields that a taxonomy may not shadow.
pub const RESERVED_FIELDS: &[&str] = &[
    "title",
    "description",
    "summary",
    "date",
    "updated",
    "draft",
    "expiry_date",
    "slug",
    "aliases",
    "weight",
    "template",
    "translation_key",
    "image",
    "image_alt",
    "author",
    "extra",
    "corrections",
    "changes",
    "withheld",
    "translation",
    "source_hash",
    "source_language",
    "source",
    "search",
    "type",
    "sort_by",
    "paginate_by",
    "transparent",
    "featured",
    "renamed_from",
];

fn positive(value: Option<&serde_saphyr::Spanned<usize>>, default: usize, errors: &mut Diagnostics) -> usize {
    match value {
        Some(v) if v.value == 0 => {
            errors.push(config_error(
                "`paginate_by` must be at least 1".to_string(),
                &v.referenced,
                "use a positive number of items per page",
            ));
            default
        }
        Some(v) => v.value,
        None => default,
    }
}

/// The language, its declared fallbacks depth-first, then the default.
fn chain(graph: &BTreeMap<&str, Vec<&str>>, code: &str, default: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![code];
    while let Some(c) = stack.pop() {
        if out.iter().any(|o| o == c) {
            continue;
        }
        out.push(c.to_string());
        if let Some(next) = graph.get(c) {
            stack.extend(next.iter().rev());
        }
    }
    if !out.iter().any(|o| o == default) {
        out.push(default.to_string());
    }
    out
}

fn find_cycle<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>, start: &'a str) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        node: &'a str,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(i) = path.iter().position(|n| *n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node);
            return Some(cycle);
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(graph, next, path) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    visit(graph, start, &mut Vec::new())
}

#[cfg(test)]
mod tests;
