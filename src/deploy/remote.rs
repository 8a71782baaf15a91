//! Talking to the bucket: signed requests (rusty-s3) sent with a small
//! blocking HTTP client (ureq), each retried with exponential backoff when
//! the failure may pass (network errors, 429, 5xx). Every request is
//! counted, for the summary and the benchmark.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rusty_s3::actions::{ListObjectsV2, ObjectIdentifier};
use rusty_s3::{Credentials, S3Action};
use ureq::Agent;

use super::target::Target;

/// How long a signed URL stays valid: longer than any one request.
const SIGNED_FOR: Duration = Duration::from_secs(3600);
/// Tries per request before giving up.
const TRIES: u32 = 5;
/// The manifest's key under the target's prefix.
pub const MANIFEST: &str = ".vitrine/deploy-manifest.json";

pub struct Remote {
    pub target: Target,
    credentials: Credentials,
    agent: Agent,
    pub requests: AtomicUsize,
}

/// A request that failed for good, said in words.
#[derive(Debug)]
pub struct Failure(pub String);

type Response = ureq::http::Response<ureq::Body>;

impl Remote {
    pub fn new(target: Target, credentials: Credentials) -> Remote {
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        Remote {
            target,
            credentials,
            agent,
            requests: AtomicUsize::new(0),
        }
    }

    fn key(&self, path: &str) -> String {
        format!("{}{path}", self.target.prefix)
    }

    /// Sends a request made by `send`, again after a pause while it fails
    /// in a way that may pass; returns the first lasting answer.
    fn with_retries(
        &self,
        what: &str,
        send: impl Fn() -> Result<Response, ureq::Error>,
    ) -> Result<Response, Failure> {
        let mut pause = Duration::from_millis(200);
        for attempt in 1..=TRIES {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let failure = match send() {
                Ok(r) if r.status().is_success() || r.status().as_u16() == 404 => return Ok(r),
                Ok(mut r) => {
                    let status = r.status().as_u16();
                    let body = r.body_mut().read_to_string().unwrap_or_default();
                    let message = format!("{what}: HTTP {status} {}", s3_error(&body));
                    if !(status == 429 || status >= 500) {
                        return Err(Failure(message));
                    }
                    message
                }
                Err(e) => format!("{what}: {e}"),
            };
            if attempt == TRIES {
                return Err(Failure(format!("{failure} (after {TRIES} tries)")));
            }
            std::thread::sleep(pause);
            pause *= 2;
        }
        Err(Failure(format!("{what}: no try was made")))
    }

    /// Uploads one file with its headers.
    pub fn put(&self, path: &str, bytes: &[u8], headers: &BTreeMap<String, String>) -> Result<(), Failure> {
        let key = self.key(path);
        let mut action = self.target.bucket.put_object(Some(&self.credentials), &key);
        // Signed, so a proxy cannot change them.
        for (name, value) in headers {
            action
                .headers_mut()
                .insert(name.to_ascii_lowercase(), value.clone());
        }
        let url = action.sign(SIGNED_FOR);
        self.with_retries(&format!("upload {path}"), || {
            let mut request = self.agent.put(url.as_str());
            for (name, value) in headers {
                request = request.header(name.as_str(), value.as_str());
            }
            request.send(bytes)
        })
        .and_then(|r| expect_found(r, path))
    }

    /// Reads an object; `None` when there is none.
    pub fn get(&self, path: &str) -> Result<Option<Vec<u8>>, Failure> {
        let key = self.key(path);
        let url = self
            .target
            .bucket
            .get_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        let mut r = self.with_retries(&format!("read {path}"), || self.agent.get(url.as_str()).call())?;
        if r.status().as_u16() == 404 {
            return Ok(None);
        }
        r.body_mut()
            .with_config()
            .limit(u64::MAX)
            .read_to_vec()
            .map(Some)
            .map_err(|e| Failure(format!("read {path}: {e}")))
    }

    /// Every key under the prefix, relative to it.
    pub fn list(&self) -> Result<BTreeSet<String>, Failure> {
        let mut keys = BTreeSet::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = ListObjectsV2::new(&self.target.bucket, Some(&self.credentials));
            if !self.target.prefix.is_empty() {
                action.with_prefix(self.target.prefix.as_str());
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.as_str());
            }
            let url = action.sign(SIGNED_FOR);
            let mut r = self.with_retries("list the bucket", || self.agent.get(url.as_str()).call())?;
            if r.status().as_u16() == 404 {
                return Err(Failure(format!("bucket of {} not found", self.target.label)));
            }
            let text = r
                .body_mut()
                .with_config()
                .limit(u64::MAX)
                .read_to_string()
                .map_err(|e| Failure(format!("list the bucket: {e}")))?;
            let page = ListObjectsV2::parse_response(&text)
                .map_err(|e| Failure(format!("list the bucket: unreadable answer: {e}")))?;
            for object in page.contents {
                if let Some(k) = object.key.strip_prefix(&self.target.prefix) {
                    keys.insert(k.to_string());
                }
            }
            match page.next_continuation_token {
                Some(t) => token = Some(t),
                None => return Ok(keys),
            }
        }
    }

    /// Deletes keys (relative to the prefix), 1,000 per request as S3 allows.
    pub fn delete(&self, paths: &[String]) -> Result<(), Failure> {
        for chunk in paths.chunks(1000) {
            let objects: Vec<ObjectIdentifier> =
                chunk.iter().map(|p| ObjectIdentifier::new(self.key(p))).collect();
            let mut action = self
                .target
                .bucket
                .delete_objects(Some(&self.credentials), objects.iter());
            action.set_quiet(true);
            let url = action.sign(SIGNED_FOR);
            let (body, md5) = action.body_with_md5();
            let mut r = self.with_retries("delete", || {
                self.agent
                    .post(url.as_str())
                    .header("Content-MD5", md5.as_str())
                    .send(body.as_bytes())
            })?;
            let text = r.body_mut().read_to_string().unwrap_or_default();
            if let Ok(answer) = rusty_s3::actions::DeleteObjectsResponse::parse(&text)
                && let Some(e) = answer.errors.first()
            {
                return Err(Failure(format!("delete {}: {} {}", e.key, e.code, e.message)));
            }
        }
        Ok(())
    }
}

fn expect_found(r: Response, path: &str) -> Result<(), Failure> {
    if r.status().as_u16() == 404 {
        Err(Failure(format!(
            "upload {path}: HTTP 404 (does the bucket exist?)"
        )))
    } else {
        Ok(())
    }
}

/// The `<Code>` and `<Message>` of an S3 error answer, when there are.
fn s3_error(body: &str) -> String {
    let field = |tag: &str| {
        let open = format!("<{tag}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find('<')? + start;
        Some(body[start..end].to_string())
    };
    match (field("Code"), field("Message")) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c,
        _ => String::new(),
    }
}
