//! Fetching feeds politely: one blocking HTTP client (`ureq`) with
//! timeouts, gzip, a size cap and a User-Agent that says who asks, and
//! conditional requests (`If-None-Match`, `If-Modified-Since`) with the
//! validators each feed last answered, remembered in the site's cache
//! folder. The same client fetches the images of `--images`
//! ([`Fetcher::fetch_image`]); judging their bytes is [`super::images`]'
//! job, parsing feeds [`super::parse`]'s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What identifies us to the servers we poll.
pub const USER_AGENT: &str = concat!(
    "vitrine/",
    env!("CARGO_PKG_VERSION"),
    " (feed import; +https://crates.io/crates/vitrine)"
);

/// The largest feed read (after decompression): 32 MiB.
pub const MAX_FEED_BYTES: u64 = 32 << 20;

/// A feed's answer to remember for the next conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// The result of asking for a feed.
pub enum Fetched {
    /// 304: nothing changed since the validators we sent.
    NotModified,
    Fresh {
        bytes: Vec<u8>,
        validators: Validators,
    },
}

pub struct Fetcher {
    agent: ureq::Agent,
}

impl Default for Fetcher {
    fn default() -> Self {
        Self::new(Duration::from_secs(30))
    }
}

impl Fetcher {
    pub fn new(timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(10).min(timeout)))
            .timeout_global(Some(timeout))
            .user_agent(USER_AGENT)
            .accept("application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
            .http_status_as_error(false)
            .max_redirects(5)
            .build();
        Fetcher { agent: config.into() }
    }

    /// GETs `url`, conditionally when `known` holds validators.
    pub fn fetch(&self, url: &str, known: Option<&Validators>) -> Result<Fetched, String> {
        let mut request = self.agent.get(url);
        if let Some(known) = known {
            if let Some(etag) = &known.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(date) = &known.last_modified {
                request = request.header("If-Modified-Since", date);
            }
        }
        let mut response = request.call().map_err(|e| format!("cannot fetch {url}: {e}"))?;
        let status = response.status();
        if status == 304 {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(format!(
                "{url} answered {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            ));
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_FEED_BYTES)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    format!(
                        "{url} sent more than {} MiB: not a feed we read",
                        MAX_FEED_BYTES >> 20
                    )
                }
                e => format!("cannot read {url}: {e}"),
            })?;
        Ok(Fetched::Fresh { bytes, validators })
    }
}

/// An image as it came: its bytes and the type its server claims.
pub struct FetchedImage {
    pub bytes: Vec<u8>,
    /// The `Content-Type` header's type without parameters, lower case.
    pub content_type: Option<String>,
}

impl Fetcher {
    /// GETs the image at `url`, reading at most `max_bytes` (after
    /// decompression). Errors are reasons, for a warning naming the URL.
    pub fn fetch_image(&self, url: &str, max_bytes: u64) -> Result<FetchedImage, String> {
        let mut response = self
            .agent
            .get(url)
            .header("Accept", "image/webp, image/png, image/jpeg, image/*;q=0.8")
            .call()
            .map_err(|e| format!("cannot be fetched: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!(
                "the server answered {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            ));
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty());
        let bytes = response
            .body_mut()
            .with_config()
            .limit(max_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => format!("it is larger than {max_bytes} bytes"),
                e => format!("cannot be read: {e}"),
            })?;
        Ok(FetchedImage { bytes, content_type })
    }
}

/// The validators of every feed, by URL, kept in `.vitrine-cache/`. A
/// damaged file is ignored: the worst case is one full download.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ValidatorCache {
    #[serde(skip)]
    path: PathBuf,
    feeds: BTreeMap<String, Validators>,
}

impl ValidatorCache {
    pub fn load(root: &Path) -> Self {
        let path = root.join(".vitrine-cache").join("import").join("feeds.json");
        let feeds = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<ValidatorCache>(&bytes).ok())
            .map(|c| c.feeds)
            .unwrap_or_default();
        ValidatorCache { path, feeds }
    }

    pub fn get(&self, url: &str) -> Option<&Validators> {
        self.feeds.get(url)
    }

    pub fn set(&mut self, url: &str, validators: Validators) {
        if validators == Validators::default() {
            self.feeds.remove(url);
        } else {
            self.feeds.insert(url.to_string(), validators);
        }
    }

    pub fn save(&self) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        super::pages::write_atomically(&self.path, &bytes)
    }
}
