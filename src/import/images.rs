//! `--images`: the images an imported item shows, downloaded into its page
//! bundle so that the site's image pipeline (resized variants, `srcset`,
//! width and height) serves them from the site itself. This module owns
//! which images are taken (absolute http(s) URLs; JPEG, PNG or WebP as
//! their bytes say, whatever the server claims; within a byte and a pixel
//! cap), the names of their files, and the Markdown that shows them. Which
//! pages are bundles, and writing files, is left to [`super`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use sha2::{Digest, Sha256};

use super::fetch::{FetchedImage, Fetcher};
use crate::images::Format;
use crate::safe_url::{SafeUrl, UrlPolicy};

/// The extensions of the files written, one per format the pipeline reads.
const EXTENSIONS: [&str; 3] = ["jpg", "png", "webp"];

/// What may be downloaded for one source.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Fetch images missing from the bundle (else only files already
    /// there are used: a dry run, or a source without `--images`).
    pub download: bool,
    pub max_bytes: u64,
    pub max_pixels: u64,
}

/// An image fetched for a page, to be written into its bundle.
pub struct Download {
    pub url: String,
    /// The file name in the bundle.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An item's body with its images shown from its bundle where they could be.
pub struct Localized {
    pub body: String,
    pub downloads: Vec<Download>,
    /// Images left as links to their source: (URL, why).
    pub refused: Vec<(String, String)>,
}

/// What became of a URL earlier in this import.
enum Outcome {
    /// Saved at this path (in another page's bundle).
    Saved(PathBuf),
    Refused(String),
}

/// Localizes the images of one source's items. Outcomes are remembered by
/// URL, so that an image shown by many items (a logo, a shared photo) is
/// fetched once per import, and a refused one is not asked for again.
pub struct Localizer<'a> {
    fetcher: &'a Fetcher,
    rules: Rules,
    seen: HashMap<String, Outcome>,
}

impl<'a> Localizer<'a> {
    pub fn new(fetcher: &'a Fetcher, rules: Rules) -> Self {
        Localizer {
            fetcher,
            rules,
            seen: HashMap::new(),
        }
    }

    /// The images of `body`, each shown from `bundle` when its file is
    /// already there or could be downloaded, else kept as a link.
    /// `bundle` is the page's bundle folder, `None` while it is not made.
    pub fn localize(&mut self, body: &str, bundle: Option<&Path>) -> Localized {
        let mut local = HashMap::new();
        let mut downloads = Vec::new();
        let mut refused = Vec::new();
        for url in references(body) {
            let stem = file_stem(&url);
            if let Some(name) = bundle.and_then(|dir| present(dir, &stem)) {
                // Downloaded by an earlier import: never fetched again.
                local.insert(url, name);
                continue;
            }
            if !self.rules.download {
                continue;
            }
            match self.obtain(&url, &stem) {
                Ok(download) => {
                    local.insert(url, download.name.clone());
                    downloads.push(download);
                }
                Err(why) => refused.push((url, why)),
            }
        }
        let body = if local.is_empty() {
            body.to_string()
        } else {
            rewrite(body, &local)
        };
        Localized {
            body,
            downloads,
            refused,
        }
    }

    /// Records where a download was written, for the next item showing it.
    pub fn saved(&mut self, url: &str, path: PathBuf) {
        self.seen.insert(url.to_string(), Outcome::Saved(path));
    }

    fn obtain(&mut self, url: &str, stem: &str) -> Result<Download, String> {
        let bytes = match self.seen.get(url) {
            Some(Outcome::Refused(why)) => return Err(why.clone()),
            Some(Outcome::Saved(path)) => std::fs::read(path).ok(),
            None => None,
        };
        let image = match bytes {
            Some(bytes) => FetchedImage {
                bytes,
                content_type: None,
            },
            None => self
                .fetcher
                .fetch_image(url, self.rules.max_bytes)
                .inspect_err(|why| {
                    self.seen.insert(url.to_string(), Outcome::Refused(why.clone()));
                })?,
        };
        match check(&image, self.rules.max_pixels) {
            Ok(extension) => Ok(Download {
                url: url.to_string(),
                name: format!("{stem}.{extension}"),
                bytes: image.bytes,
            }),
            Err(why) => {
                self.seen.insert(url.to_string(), Outcome::Refused(why.clone()));
                Err(why)
            }
        }
    }
}

/// The absolute http(s) images a Markdown body shows, once each, in order.
pub fn references(markdown: &str) -> Vec<String> {
    let policy = web_policy();
    let mut urls = Vec::new();
    for event in Parser::new(markdown) {
        if let Event::Start(Tag::Image { dest_url, .. }) = event
            && let Some(url) = web_image(&dest_url, &policy)
            && !urls.contains(&url)
        {
            urls.push(url);
        }
    }
    urls
}

fn web_policy() -> UrlPolicy {
    UrlPolicy::new(&["http", "https"]).unwrap_or_default()
}

/// `dest` as an absolute http(s) URL with a host, under the site's URL
/// rules; `None` for anything else (the sanitizer left only http(s) and
/// mailto, but a page's images are judged again where they are used).
fn web_image(dest: &str, policy: &UrlPolicy) -> Option<String> {
    let safe = SafeUrl::parse(dest, policy).ok().filter(SafeUrl::is_absolute)?;
    let url = url::Url::parse(safe.as_str()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| url.to_string())
}

/// The file name of an image, without its extension: the last segment of
/// its path reduced to `[a-z0-9-]` (at most 40 characters, for readers of
/// the folder), then a hash of the whole URL, so that two `photo.jpg` of
/// different addresses never share a file and no name leaves the folder.
pub fn file_stem(url: &str) -> String {
    let segment = url::Url::parse(url)
        .ok()
        .and_then(|u| u.path_segments()?.rev().find(|s| !s.is_empty()).map(String::from))
        .unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(&segment).decode_utf8_lossy();
    let without_extension = decoded.rsplit_once('.').map_or(&*decoded, |(head, _)| head);
    let mut stem = String::new();
    for c in crate::slug::slugify(without_extension).chars() {
        if c.is_ascii_alphanumeric() || (c == '-' && !stem.is_empty() && !stem.ends_with('-')) {
            stem.push(c);
        }
        if stem.len() >= 40 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "image" } else { stem };
    let hash = Sha256::digest(url.as_bytes())
        .iter()
        .take(5)
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
    format!("{stem}-{hash}")
}

/// The file of `stem` already in `dir`, in whichever format it was saved.
fn present(dir: &Path, stem: &str) -> Option<String> {
    EXTENSIONS
        .iter()
        .map(|extension| format!("{stem}.{extension}"))
        .find(|name| dir.join(name).is_file())
}

/// The extension to save `image` under, or why it is refused: the server
/// must not call it something else than an image, and its bytes must be a
/// whole JPEG, PNG or WebP image within `max_pixels`, as the build will
/// require (the header is read; no pixel is decoded).
pub fn check(image: &FetchedImage, max_pixels: u64) -> Result<&'static str, String> {
    if let Some(kind) = &image.content_type
        && !kind.starts_with("image/")
        && kind != "application/octet-stream"
    {
        return Err(format!("the server sent `{kind}`, not an image"));
    }
    let info = crate::images::inspect(&image.bytes, max_pixels).map_err(|e| e.to_string())?;
    Ok(match info.format {
        Format::Jpeg => "jpg",
        Format::Png => "png",
        Format::Webp => "webp",
    })
}

/// `markdown` with every image whose URL `local` maps shown from that file
/// instead. Each such image is written anew (`![alt](file "title")`) from
/// what the parser read, rather than edited in place: the destination may
/// be spelled many ways in the source text.
pub fn rewrite(markdown: &str, local: &HashMap<String, String>) -> String {
    let policy = web_policy();
    let mut out = String::with_capacity(markdown.len());
    let mut copied = 0;
    let mut events = Parser::new(markdown).into_offset_iter();
    while let Some((event, range)) = events.next() {
        let Event::Start(Tag::Image { dest_url, title, .. }) = event else {
            continue;
        };
        let Some(name) = web_image(&dest_url, &policy).and_then(|url| local.get(&url)) else {
            continue;
        };
        let alt = alt_text(&mut events);
        if range.start < copied {
            continue;
        }
        out.push_str(&markdown[copied..range.start]);
        let _ = write!(out, "![{}]({name}", escape(&alt));
        if !title.is_empty() {
            let _ = write!(out, " \"{}\"", escape(&title));
        }
        out.push(')');
        copied = range.end;
    }
    out.push_str(&markdown[copied..]);
    out
}

/// The text of an image's description, up to its end.
fn alt_text<'a>(events: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>) -> String {
    let mut alt = String::new();
    let mut depth = 1;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::Text(text) | Event::Code(text) => alt.push_str(&text),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

/// Text that stays text inside `[…]` or `"…"`: every ASCII punctuation
/// mark escaped, line breaks made spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_in_the_folder_and_apart() {
        let a = file_stem("https://a.example/x/..%2F..%2Fetc%2Fpasswd.jpg");
        assert!(a.starts_with("etc-passwd-") || a.starts_with("passwd-"), "{a}");
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{a}");
        let b = file_stem("https://a.example/1/photo.jpg");
        let c = file_stem("https://a.example/2/photo.jpg");
        assert!(b.starts_with("photo-") && c.starts_with("photo-") && b != c);
        assert!(file_stem("https://a.example/").starts_with("image-"));
        assert!(file_stem("https://a.example/Ảnh%20Huế.png").starts_with("anh-hue-"));
    }

    #[test]
    fn only_mapped_web_images_are_rewritten() {
        let body = "Intro ![A [b] \"c\"](https://a.example/p.jpg \"T\") and \
                    ![x](https://a.example/q.jpg) [![in link](https://a.example/p.jpg)](https://a.example/)";
        assert_eq!(
            references(body),
            ["https://a.example/p.jpg", "https://a.example/q.jpg"]
        );
        let local = HashMap::from([("https://a.example/p.jpg".to_string(), "p-1.jpg".to_string())]);
        let out = rewrite(body, &local);
        assert_eq!(
            out,
            "Intro ![A \\[b\\] \\\"c\\\"](p-1.jpg \"T\") and \
             ![x](https://a.example/q.jpg) [![in link](p-1.jpg)](https://a.example/)"
        );
        assert!(references("![x](javascript:alert(1)) ![y](/local.jpg)").is_empty());
    }

    #[test]
    fn only_whole_supported_images_within_limits_pass() {
        let mut png = Vec::new();
        image::RgbImage::new(4, 3)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let typed = |content_type: Option<&str>, bytes: &[u8]| FetchedImage {
            bytes: bytes.to_vec(),
            content_type: content_type.map(String::from),
        };
        assert_eq!(check(&typed(Some("image/png"), &png), 100), Ok("png"));
        assert_eq!(check(&typed(None, &png), 100), Ok("png"));
        assert!(check(&typed(Some("text/html"), &png), 100).is_err());
        assert!(check(&typed(Some("image/png"), &png), 11).is_err());
        assert!(check(&typed(Some("image/png"), &png[..png.len() - 12]), 100).is_err());
        assert!(check(&typed(Some("image/svg+xml"), b"<svg onload=alert(1)/>"), 100).is_err());
    }
}
