//! Where a deploy goes and as whom: a target of `site.yaml` or of the
//! command line, its endpoint and region, and the credentials from the
//! standard AWS variables or profile files. Credentials are never printed
//! (their `Debug` hides the secret).

use std::path::PathBuf;

use rusty_s3::{Bucket, Credentials, UrlStyle};

use crate::config::Config;
use crate::config::publish::{DeployTarget, parse_s3_url};

/// What the command line says about the target.
#[derive(Debug, Clone, Default)]
pub struct TargetArgs {
    /// A target named in `site.yaml`.
    pub name: Option<String>,
    /// `s3://bucket/prefix`, instead of a named target.
    pub url: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
}

/// A resolved target: the bucket to talk to and the key prefix.
pub struct Target {
    pub bucket: Bucket,
    /// Empty, or ending with `/`.
    pub prefix: String,
    /// `s3://bucket/prefix`, for messages.
    pub label: String,
}

/// Picks the target: `--url`, else `--target NAME`, else the only one of
/// `site.yaml`. `--endpoint` and `--region` override the target's.
pub fn resolve(config: &Config, args: &TargetArgs) -> Result<Target, String> {
    let chosen: DeployTarget = match (&args.url, &args.name) {
        (Some(url), _) => {
            let (bucket, prefix) = parse_s3_url(url)?;
            DeployTarget {
                name: url.clone(),
                bucket,
                prefix,
                endpoint: None,
                region: None,
            }
        }
        (None, Some(name)) => config
            .deploy
            .iter()
            .find(|t| &t.name == name)
            .cloned()
            .ok_or_else(|| format!("no deploy target `{name}` in site.yaml ({})", names(config)))?,
        (None, None) => match config.deploy.as_slice() {
            [only] => only.clone(),
            [] => {
                return Err(
                    "no deploy target: add `deploy:` to site.yaml or pass --url s3://bucket/prefix".into(),
                );
            }
            _ => {
                return Err(format!(
                    "several deploy targets: choose one with --target ({})",
                    names(config)
                ));
            }
        },
    };
    let region = args
        .region
        .clone()
        .or(chosen.region.clone())
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| "us-east-1".to_string());
    let endpoint = args
        .endpoint
        .clone()
        .or(chosen.endpoint.clone())
        .or_else(|| env("AWS_ENDPOINT_URL_S3"))
        .or_else(|| env("AWS_ENDPOINT_URL"));
    if let Some(e) = &endpoint {
        crate::config::check_http_url(e).map_err(|m| format!("--endpoint: {m}"))?;
    }
    // AWS serves buckets as host names; other services (MinIO, Ceph,
    // Garage, a server on an IP address) expect them in the path.
    let (endpoint, style) = match endpoint {
        Some(e) => (e, UrlStyle::Path),
        None => (
            format!("https://s3.{region}.amazonaws.com"),
            UrlStyle::VirtualHost,
        ),
    };
    let url = endpoint
        .parse()
        .map_err(|e| format!("endpoint `{endpoint}` is not a URL: {e}"))?;
    let bucket = Bucket::new(url, style, chosen.bucket.clone(), region)
        .map_err(|e| format!("cannot address bucket `{}`: {e}", chosen.bucket))?;
    let prefix = if chosen.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", chosen.prefix)
    };
    Ok(Target {
        bucket,
        label: format!("s3://{}/{}", chosen.bucket, prefix),
        prefix,
    })
}

fn names(config: &Config) -> String {
    let names: Vec<&str> = config.deploy.iter().map(|t| t.name.as_str()).collect();
    if names.is_empty() {
        "none declared".to_string()
    } else {
        format!("declared: {}", names.join(", "))
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (and
/// `AWS_SESSION_TOKEN`), else from the profile (`AWS_PROFILE`, `default`)
/// of `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
pub fn credentials() -> Result<Credentials, String> {
    if let (Some(key), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        return Ok(match env("AWS_SESSION_TOKEN") {
            Some(token) => Credentials::new_with_token(key, secret, token),
            None => Credentials::new(key, secret),
        });
    }
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".to_string());
    let file = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws").join("credentials")));
    let missing = || {
        format!(
            "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add profile `{profile}` to ~/.aws/credentials"
        )
    };
    let text = file
        .and_then(|f| std::fs::read_to_string(f).ok())
        .ok_or_else(missing)?;
    let fields = profile_fields(&text, &profile);
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(key), Some(secret)) => Ok(match get("aws_session_token") {
            Some(token) => Credentials::new_with_token(key, secret, token),
            None => Credentials::new(key, secret),
        }),
        _ => Err(missing()),
    }
}

/// The `key = value` lines of `[profile]` in an INI-style credentials file.
fn profile_fields(text: &str, profile: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut fields = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') && line.ends_with(']') {
            let name = line[1..line.len() - 1].trim();
            inside = name == profile || name.strip_prefix("profile ").map(str::trim) == Some(profile);
        } else if inside && let Some((k, v)) = line.split_once('=') {
            fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::profile_fields;

    #[test]
    fn reads_the_named_profile_only() {
        let text =
            "[default]\naws_access_key_id = A\n\n[ci]\naws_access_key_id=B\naws_secret_access_key = S\n";
        let ci = profile_fields(text, "ci");
        assert_eq!(ci[0], ("aws_access_key_id".to_string(), "B".to_string()));
        assert_eq!(ci.len(), 2);
        assert_eq!(profile_fields(text, "default").len(), 1);
    }
}
