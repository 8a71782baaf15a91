//! The first stage of configuration: `site.yaml` exactly as written, with the
//! positions of the values that later validation may need to point at.

use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Spanned<String>,
    pub base_url: Spanned<String>,
    pub default_language: Spanned<String>,
    #[serde(default = "yes")]
    pub default_language_at_root: bool,
    #[serde(default)]
    pub untranslated: RawUntranslated,
    pub languages: Vec<RawLanguage>,
    #[serde(default)]
    pub sections: Vec<Spanned<String>>,
    #[serde(default)]
    pub taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    pub paginate_by: Option<Spanned<usize>>,
    #[serde(default)]
    pub feed: RawFeed,
    #[serde(default = "yes")]
    pub sitemap: bool,
    #[serde(default = "yes")]
    pub search: bool,
    #[serde(default)]
    pub theme: Option<Spanned<String>>,
    #[serde(default)]
    pub allow_html: bool,
    /// URL schemes content may link to (default: http, https, mailto).
    #[serde(default)]
    pub allowed_url_schemes: Option<Spanned<Vec<String>>>,
    /// `security: { csp: "…" }`: the Content-Security-Policy.
    #[serde(default)]
    pub security: RawSecurity,
    #[serde(default)]
    pub extra: Option<serde_json::Value>,
    /// Content types (`types:`), by name.
    #[serde(default)]
    pub types: std::collections::BTreeMap<String, super::types::RawContentType>,
    #[serde(default)]
    pub images: super::images::ImageConfig,
    #[serde(default)]
    pub analytics: Option<super::analytics::RawAnalytics>,
    /// Feeds to import (`vitrine import`).
    #[serde(default)]
    pub sources: Vec<Spanned<super::sources::RawSource>>,
    #[serde(default)]
    pub deploy: Vec<super::publish::RawDeployTarget>,
    #[serde(default)]
    pub headers: Vec<super::publish::RawHeaderRule>,
    #[serde(default)]
    pub keep_in_output: Vec<Spanned<String>>,
    #[serde(default)]
    pub compress: Vec<super::publish::Compression>,
    #[serde(default)]
    pub relative_urls: bool,
    #[serde(default)]
    pub language_policy: Vec<super::policy::RawPolicy>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSecurity {
    #[serde(default)]
    pub csp: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawUntranslated {
    #[default]
    Fallback,
    Skip,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    pub code: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub dir: Option<RawDirection>,
    #[serde(default)]
    pub fallback: Vec<Spanned<String>>,
    /// `stem: false` turns off search's word-form matching for this language.
    #[serde(default = "yes")]
    pub stem: bool,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawDirection {
    Ltr,
    Rtl,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaxonomy {
    pub name: Spanned<String>,
    #[serde(default)]
    pub paginate_by: Option<Spanned<usize>>,
    /// A feed per term is opt-in, as in Zola: most sites do not want hundreds.
    #[serde(default)]
    pub feed: bool,
    /// Whether pages may name terms no term file declares.
    #[serde(default)]
    pub free_terms: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeed {
    #[serde(default = "atom")]
    pub format: Spanned<String>,
    #[serde(default = "twenty")]
    pub limit: usize,
}

impl Default for RawFeed {
    fn default() -> Self {
        RawFeed {
            format: atom(),
            limit: twenty(),
        }
    }
}

fn atom() -> Spanned<String> {
    Spanned::new(
        "atom".to_string(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

fn twenty() -> usize {
    20
}
