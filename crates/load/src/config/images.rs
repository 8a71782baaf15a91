//! `images:` in site.yaml: the widths of responsive sets, the `sizes`
//! attribute, quality, WebP, the site's default social image and the
//! decoder's pixel limit.

use serde::Deserialize;

use vitrine_core::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImageConfig {
    /// Widths of a responsive set, in pixels; never above the source's.
    pub widths: Vec<u32>,
    /// The `sizes` attribute of responsive images.
    pub sizes: String,
    /// JPEG and WebP quality, 1–100.
    pub quality: u8,
    /// Offer lossy WebP beside the JPEG/PNG fallback.
    pub webp: bool,
    /// The social image of pages without a cover (`/…` is under static/).
    pub social_default: Option<String>,
    /// Larger sources are refused (decompression bombs).
    pub max_megapixels: u64,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            widths: vec![480, 960, 1600],
            sizes: "(min-width: 50rem) 50rem, 100vw".to_string(),
            quality: 80,
            webp: true,
            social_default: None,
            max_megapixels: 100,
        }
    }
}

impl ImageConfig {
    pub fn max_pixels(&self) -> u64 {
        self.max_megapixels.saturating_mul(1_000_000)
    }

    /// What serde cannot check.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let error = |m: String, hint: &str| Diagnostic::error(m).in_file("site.yaml").with_hint(hint);
        if self.widths.is_empty() || self.widths.iter().any(|&w| !(16..=8192).contains(&w)) {
            errors.push(error(
                format!(
                    "images.widths {:?} must list widths between 16 and 8192",
                    self.widths
                ),
                "for example `widths: [480, 960, 1600]`",
            ));
        }
        if !(1..=100).contains(&self.quality) {
            errors.push(error(
                format!("images.quality {} is not between 1 and 100", self.quality),
                "80 is a good balance of size and quality",
            ));
        }
        if self.max_megapixels == 0 {
            errors.push(error(
                "images.max_megapixels must be at least 1".to_string(),
                "the default is 100",
            ));
        }
        errors
    }
}
