//! `analytics:` in `site.yaml`: a privacy-friendly audience counter
//! (Plausible, Matomo through its Tag Manager, or Umami), checked here and
//! turned into the one external script URL the theme loads. Templates add
//! the tag (`site.analytics`); nothing is loaded when the key is absent.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::config_error;
use vitrine_core::diagnostics::Diagnostics;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Plausible,
    Matomo,
    Umami,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnalytics {
    pub provider: Provider,
    /// Where the provider serves its script: `https://plausible.io`,
    /// `https://stats.example.org`.
    pub url: Spanned<String>,
    /// Plausible: the site's domain; Matomo: the Tag Manager container id;
    /// Umami: the website id.
    pub site_id: Spanned<String>,
}

/// A checked analytics setting, as templates get it (`site.analytics`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analytics {
    pub provider: Provider,
    /// The provider's origin, without a trailing slash (for a CSP's `script-src`).
    pub origin: String,
    /// The script to load, on the provider's host.
    pub script: String,
    pub site_id: String,
}

impl RawAnalytics {
    pub fn validate(self, errors: &mut Diagnostics) -> Option<Analytics> {
        let url = self.url.value.trim().trim_end_matches('/').to_string();
        let host = url.strip_prefix("https://").unwrap_or_default();
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '/' | '_'));
        let url_ok = url.starts_with("https://") && host_ok;
        if !url_ok {
            errors.push(config_error(
                format!("analytics url `{url}` is not an https URL"),
                &self.url.referenced,
                "write the provider's address with https, such as https://plausible.io",
            ));
        }
        let site_id = self.site_id.value.trim().to_string();
        let id_ok = !site_id.is_empty()
            && site_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !id_ok {
            errors.push(config_error(
                format!("analytics site_id `{site_id}` is empty or has characters an id cannot have"),
                &self.site_id.referenced,
                "copy the id from the provider: a domain (Plausible), a container id (Matomo) or a website id (Umami)",
            ));
        }
        if !(url_ok && id_ok) {
            return None;
        }
        let script = match self.provider {
            // The props extension reads `event-*` attributes as page properties.
            Provider::Plausible => format!("{url}/js/script.pageview-props.js"),
            Provider::Matomo => format!("{url}/js/container_{site_id}.js"),
            Provider::Umami => format!("{url}/script.js"),
        };
        let origin = match host.find('/') {
            Some(i) => format!("https://{}", &host[..i]),
            None => url.clone(),
        };
        Some(Analytics {
            provider: self.provider,
            origin,
            script,
            site_id,
        })
    }
}
