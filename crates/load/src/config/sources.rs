//! `sources:` in `site.yaml`: the feeds `vitrine import` takes news from.
//! This module only reads and checks the declarations; fetching and
//! writing pages is the import's job (`vitrine import`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::config_error;
use vitrine_core::diagnostics::Diagnostics;
use vitrine_core::safe_url::is_web_url;

/// Whose URL is a republished article's canonical: `original` (default),
/// the article it was taken from, or `self`, the page's own URL when the
/// source allows republishing as our own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SourceCanonical {
    #[default]
    Original,
    #[serde(rename = "self")]
    Own,
}

/// One source as written. Taxonomy defaults (`tags`, `regions`, …) are
/// the site's own names, so they land in `terms` and are checked here.
#[derive(Debug, Deserialize)]
pub struct RawSource {
    pub name: String,
    pub url: String,
    pub language: String,
    pub section: String,
    #[serde(default)]
    pub license: Option<String>,
    #[serde(default)]
    pub publish: bool,
    #[serde(default)]
    pub canonical: SourceCanonical,
    #[serde(default)]
    pub images: SourceImages,
    #[serde(flatten)]
    pub terms: BTreeMap<String, serde_json::Value>,
}

/// A checked source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    /// The name readers see in "Source: …", unique among the sources.
    pub name: String,
    /// An http(s) URL, or a file path relative to the site folder.
    pub url: String,
    pub language: String,
    /// The section folder under `content/` the pages go to (`news/provinces`).
    pub section: String,
    pub license: Option<String>,
    /// Imported pages are drafts unless the source says `publish: true`.
    pub publish: bool,
    pub canonical: SourceCanonical,
    /// Default terms of every imported page, by taxonomy name.
    pub terms: BTreeMap<String, Vec<String>>,
    /// Whether and within which limits its images are downloaded.
    pub images: SourceImages,
}

/// `images:` of a source: downloading the images of its items into their
/// page bundles (`vitrine import --images` does it for every source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SourceImages {
    /// Download this source's images even without `--images`.
    pub download: bool,
    /// The largest image file downloaded, in bytes (after decompression).
    pub max_bytes: u64,
    /// Images with more pixels are refused (decompression bombs); the
    /// site's `images.max_megapixels` caps it too, since the build would
    /// refuse them.
    pub max_megapixels: u64,
}

impl Default for SourceImages {
    fn default() -> Self {
        SourceImages {
            download: false,
            max_bytes: 10 << 20,
            max_megapixels: 40,
        }
    }
}

/// The largest `images.max_bytes` a source may ask for: 256 MiB, well
/// beyond any photograph, so that a typo cannot ask for unbounded reads.
pub const MAX_IMAGE_BYTES: u64 = 256 << 20;

/// A section folder must stay inside `content/`.
pub fn is_section_path(section: &str) -> bool {
    !section.is_empty()
        && !section.starts_with('/')
        && !section.contains('\\')
        && section
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

pub(super) fn validate(
    raw: Vec<Spanned<RawSource>>,
    languages: &[&str],
    taxonomies: &[&str],
    errors: &mut Diagnostics,
) -> Vec<SourceConfig> {
    let mut sources: Vec<SourceConfig> = Vec::new();
    for Spanned {
        value: s, referenced, ..
    } in raw
    {
        let mut error = |message: String, hint: &str| errors.push(config_error(message, &referenced, hint));
        if s.name.trim().is_empty() {
            error(
                "a source has an empty `name`".into(),
                "name it as readers should see it",
            );
        }
        if sources.iter().any(|o| o.name == s.name) {
            error(
                format!("two sources are named `{}`", s.name),
                "give each source its own name: pages remember it",
            );
        }
        if !languages.contains(&s.language.as_str()) {
            error(
                format!(
                    "source `{}` is in `{}`, which is not a language of the site",
                    s.name, s.language
                ),
                "use one of the codes listed under `languages:`",
            );
        }
        if !is_section_path(&s.section) {
            error(
                format!(
                    "source `{}` has section `{}`, which is not a folder under content/",
                    s.name, s.section
                ),
                "write a section folder such as `news` or `news/provinces`",
            );
        }
        if s.url.contains("://") && !is_web_url(&s.url) {
            error(
                format!(
                    "source `{}` has url `{}`, which is not an http or https URL",
                    s.name, s.url
                ),
                "write the feed's address, such as https://example.org/rss.xml, or a file path",
            );
        }
        for (message, hint) in images_problems(&s.name, &s.images) {
            error(message, hint);
        }
        let mut terms = BTreeMap::new();
        for (key, value) in s.terms {
            let list = match &value {
                serde_json::Value::String(one) => Some(vec![one.clone()]),
                serde_json::Value::Array(items) => {
                    items.iter().map(|i| i.as_str().map(String::from)).collect()
                }
                _ => None,
            };
            match list {
                Some(list) if taxonomies.contains(&key.as_str()) => {
                    terms.insert(key, list);
                }
                Some(_) => error(
                    format!("unknown field `{key}` in source `{}`", s.name),
                    "a source has name, url, language, section, license, publish, canonical, images and the site's taxonomies",
                ),
                None => error(
                    format!("`{key}` of source `{}` must be a list of terms", s.name),
                    "write it as tags: [\"first\", \"second\"]",
                ),
            }
        }
        sources.push(SourceConfig {
            name: s.name,
            url: s.url,
            language: s.language,
            section: s.section.trim_end_matches('/').to_string(),
            license: s.license,
            publish: s.publish,
            canonical: s.canonical,
            terms,
            images: s.images,
        });
    }
    sources
}

/// What is wrong with a source's `images:` limits.
fn images_problems(name: &str, images: &SourceImages) -> Vec<(String, &'static str)> {
    let mut problems = Vec::new();
    if images.max_bytes == 0 || images.max_bytes > MAX_IMAGE_BYTES {
        problems.push((
            format!(
                "source `{name}` has images.max_bytes {}, which is not between 1 and {MAX_IMAGE_BYTES}",
                images.max_bytes
            ),
            "the default is 10485760 (10 MiB)",
        ));
    }
    if images.max_megapixels == 0 {
        problems.push((
            format!("source `{name}` has images.max_megapixels 0"),
            "the default is 40; the site's images.max_megapixels caps it",
        ));
    }
    problems
}
