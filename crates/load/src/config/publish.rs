//! How the built site is published, as declared in `site.yaml`: deploy
//! targets (`deploy:`), response header rules (`headers:`), files of the
//! output folder that builds keep (`keep_in_output:`) and precompressed
//! siblings (`compress:`). This module validates them; using them is the
//! job of `output` (writing, `_headers`) and `deploy` (uploading).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::config_error;
use vitrine_core::diagnostics::Diagnostics;

/// A deploy target as written in `site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeployTarget {
    pub name: Spanned<String>,
    pub url: Spanned<String>,
    #[serde(default)]
    pub endpoint: Option<Spanned<String>>,
    #[serde(default)]
    pub region: Option<String>,
}

/// A header rule as written in `site.yaml`: `{for: "/*.css", values: {…}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeaderRule {
    #[serde(rename = "for")]
    pub pattern: Spanned<String>,
    pub values: BTreeMap<String, String>,
}

/// Where `vitrine deploy` publishes: an S3 bucket and a key prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployTarget {
    pub name: String,
    pub bucket: String,
    /// Without leading or trailing `/`; empty for the bucket's root.
    pub prefix: String,
    /// `https://…` of an S3-compatible service; AWS when `None`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
}

/// Response headers for the paths a pattern matches (`*` matches any
/// characters, `/` included; patterns start with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRule {
    pub pattern: String,
    pub headers: Vec<(String, String)>,
}

/// A precompressed sibling format (`compress: [br, gz]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    Br,
    Gz,
}

impl Compression {
    /// The file name suffix, as nginx's `brotli_static` / `gzip_static` expect.
    pub fn extension(self) -> &'static str {
        match self {
            Compression::Br => "br",
            Compression::Gz => "gz",
        }
    }
}

/// Parses `s3://bucket/prefix` into a bucket and a prefix.
pub fn parse_s3_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| format!("`{url}` is not an s3:// URL"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let valid_bucket = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !valid_bucket {
        return Err(format!(
            "`{bucket}` is not a bucket name (3 to 63 lowercase letters, digits, `-` or `.`)"
        ));
    }
    Ok((bucket.to_string(), prefix.trim_matches('/').to_string()))
}

pub fn deploy_targets(raw: Vec<RawDeployTarget>, errors: &mut Diagnostics) -> Vec<DeployTarget> {
    let mut targets: Vec<DeployTarget> = Vec::new();
    for t in raw {
        if targets.iter().any(|o| o.name == t.name.value) {
            errors.push(config_error(
                format!("deploy target `{}` is declared twice", t.name.value),
                &t.name.referenced,
                "give each target its own name",
            ));
        }
        let (bucket, prefix) = match parse_s3_url(&t.url.value) {
            Ok(parsed) => parsed,
            Err(message) => {
                errors.push(config_error(
                    message,
                    &t.url.referenced,
                    "write it as s3://bucket/prefix",
                ));
                continue;
            }
        };
        if let Some(e) = &t.endpoint
            && let Err(message) = crate::config::check_http_url(&e.value)
        {
            errors.push(config_error(
                format!("deploy endpoint: {message}"),
                &e.referenced,
                "write it as https://s3.example.org",
            ));
        }
        targets.push(DeployTarget {
            name: t.name.value,
            bucket,
            prefix,
            endpoint: t.endpoint.map(|e| e.value.trim_end_matches('/').to_string()),
            region: t.region,
        });
    }
    targets
}

pub fn header_rules(raw: Vec<RawHeaderRule>, errors: &mut Diagnostics) -> Vec<HeaderRule> {
    let mut rules = Vec::new();
    for r in raw {
        if !r.pattern.value.starts_with('/') {
            errors.push(config_error(
                format!("header rule `{}` does not start with `/`", r.pattern.value),
                &r.pattern.referenced,
                "write a path pattern such as `/*.css` or `/processed_images/*`",
            ));
        }
        let bad = r.values.iter().find(|(name, value)| {
            name.is_empty()
                || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                || value.contains(['\n', '\r'])
        });
        if let Some((name, _)) = bad {
            errors.push(config_error(
                format!(
                    "header `{name}` of rule `{}` is not a valid header",
                    r.pattern.value
                ),
                &r.pattern.referenced,
                "header names are letters, digits and `-`; values are one line",
            ));
        }
        rules.push(HeaderRule {
            pattern: r.pattern.value,
            headers: r.values.into_iter().collect(),
        });
    }
    rules
}

/// Names kept in the output folder must be plain entries of it.
pub fn keep_in_output(raw: Vec<Spanned<String>>, errors: &mut Diagnostics) -> Vec<String> {
    let mut kept = Vec::new();
    for k in raw {
        let name = k.value.trim_matches('/');
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
            errors.push(config_error(
                format!("`{}` is not a name in the output folder", k.value),
                &k.referenced,
                "list top-level names such as `.git`, `.nojekyll` or `CNAME`",
            ));
            continue;
        }
        kept.push(name.to_string());
    }
    kept
}
