//! The image pipeline: cover images, Markdown images and template requests
//! become resized, re-encoded files under `/processed_images/`, with
//! `<picture>` markup for them.
//!
//! Rendering only *requests* images ([`ImageStore::request`]): that reads the
//! source's bytes for its content hash and its header (or the cached facts),
//! plans the output size and returns the URL at once, so markup never waits
//! for pixels. The pixel work ([`work`]) runs while templates render and
//! after them, once per (source, operation), in parallel, each source
//! decoded at most once, and only for outputs missing from the [`cache`]. This module must
//! not render templates or write the site; it hands back `OutputFile`s.
//!
//! SVG and GIF are published as they are; of an SVG, only its intrinsic
//! size is read ([`ImageStore::svg_size`]), for its `<img>`'s width and height.

mod cache;
mod complete;
mod markup;
mod plan;
mod process;
mod svg;
mod work;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub use cache::CACHE_DIR;
use cache::{Cache, SourceRecord};
pub use markup::{Picture, picture};
pub use plan::{Fit, Focus, Format, Operation, Plan};
pub use process::{DecodeError, SourceInfo, inspect};
use vitrine_core::diagnostics::{Diagnostic, Location};
use vitrine_load::config::images::ImageConfig;
use vitrine_output::PROCESSED_IMAGES_DIR;

/// Extensions left alone: vector and animated images are published as they are.
const PASSTHROUGH: &[&str] = &["svg", "gif"];

/// Where an image request comes from, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Referrer {
    /// Relative to the site root.
    pub file: String,
    pub location: Option<Location>,
}

impl Referrer {
    pub fn new(file: impl Into<String>, location: Option<Location>) -> Self {
        Referrer {
            file: file.into(),
            location,
        }
    }

    /// An error (or warning) at the reference.
    pub fn diagnostic(&self, d: Diagnostic) -> Diagnostic {
        let d = d.in_file(&self.file);
        match self.location {
            Some(at) => d.at(at),
            None => d,
        }
    }
}

/// Why an image cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("image not found: {0}")]
    NotFound(String),
    #[error("the image `{0}` is outside the site folder")]
    Outside(String),
    #[error("cannot read the image {0}: {1}")]
    Io(String, String),
    #[error("{0}: {1}")]
    Decode(String, process::DecodeError),
    #[error("cannot make {0}: {1}")]
    Operation(String, String),
}

impl ImageError {
    pub fn hint(&self) -> &'static str {
        match self {
            ImageError::NotFound(_) => {
                "check the file name; relative paths are in the page's bundle folder, `/…` is under static/, `@/…` under content/"
            }
            ImageError::Outside(_) => {
                "keep images inside the site folder (a page bundle, content/ or static/)"
            }
            ImageError::Decode(_, process::DecodeError::Unsupported(_)) => {
                "use JPEG, PNG or WebP (SVG and GIF are published as they are)"
            }
            ImageError::Decode(
                _,
                process::DecodeError::TooLarge { .. } | process::DecodeError::Limits(_),
            ) => "scale the photo down before adding it, or raise `images.max_megapixels` in site.yaml",
            ImageError::Decode(..) => "the file is damaged or truncated: export it again",
            ImageError::Io(..) => "check the file's permissions",
            ImageError::Operation(..) => "check the width, height and operation",
        }
    }

    pub fn diagnostic(&self, at: &Referrer) -> Diagnostic {
        at.diagnostic(
            Diagnostic::error(self.to_string())
                .with_label("this image")
                .with_hint(self.hint()),
        )
    }
}

/// A source image: where it is, its content hash and its header facts.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    /// Relative to the site root, for messages.
    pub name: String,
    pub hash: String,
    pub info: SourceInfo,
    color: OnceLock<Result<String, ImageError>>,
}

/// One file that a request will publish.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variant {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

struct Job {
    source: Arc<Source>,
    plan: Plan,
    format: Format,
    quality: u8,
    referrer: Referrer,
}

/// How much image work a build did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageStats {
    /// Files decoded, resized and encoded in this build.
    pub processed: usize,
    /// Files taken from the cache as they were.
    pub cached: usize,
    /// Sources whose pixels were decoded.
    pub decoded: usize,
}

type SourceCell = Arc<OnceLock<Result<Arc<Source>, ImageError>>>;

/// Every image request of one build, shared by all rendering threads.
pub struct ImageStore {
    root: PathBuf,
    base_url: String,
    pub config: ImageConfig,
    cache: Cache,
    /// The global lock only finds or makes a source's cell; reading and
    /// hashing happen in the cell, so threads wait only for the same source.
    sources: Mutex<HashMap<PathBuf, SourceCell>>,
    jobs: Mutex<BTreeMap<String, Job>>,
    decoded: AtomicUsize,
    /// What processing did so far; see `work`.
    done: Mutex<work::Done>,
}

impl ImageStore {
    pub fn new(root: &Path, base_url: &str, config: ImageConfig) -> ImageStore {
        ImageStore {
            root: root.to_path_buf(),
            base_url: base_url.trim_end_matches('/').to_string(),
            config,
            cache: Cache::new(root),
            sources: Mutex::new(HashMap::new()),
            jobs: Mutex::new(BTreeMap::new()),
            decoded: AtomicUsize::new(0),
            done: Mutex::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether a reference is one this pipeline processes: not a URL, not
    /// SVG or GIF.
    pub fn handles(reference: &str) -> bool {
        let lower = reference.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        !Self::external(reference) && !PASSTHROUGH.contains(&ext)
    }

    /// Whether a reference names a local SVG, published as it is but whose
    /// size is read for its `<img>`.
    pub fn is_svg(reference: &str) -> bool {
        let path = reference.split(['?', '#']).next().unwrap_or("");
        !Self::external(path) && path.to_ascii_lowercase().ends_with(".svg")
    }

    fn external(reference: &str) -> bool {
        let lower = reference.to_ascii_lowercase();
        ["http://", "https://", "//", "data:", "mailto:"]
            .iter()
            .any(|p| lower.starts_with(p))
    }

    /// The file a reference names: `@/x` under content/, `/x` under static/
    /// (then the theme's static/), anything else in `base` (a page's
    /// bundle folder, relative to the root). Never outside the site folder.
    pub fn locate(&self, reference: &str, base: &Path, theme_static: &Path) -> Result<PathBuf, ImageError> {
        let decoded = percent_encoding::percent_decode_str(reference.split(['?', '#']).next().unwrap_or(""))
            .decode_utf8_lossy()
            .into_owned();
        let candidates: Vec<PathBuf> = if let Some(rest) = decoded.strip_prefix("@/") {
            vec![Path::new("content").join(rest)]
        } else if let Some(rest) = decoded.strip_prefix('/') {
            let theme = theme_static.strip_prefix(&self.root).unwrap_or(theme_static);
            vec![Path::new("static").join(rest), theme.join(rest)]
        } else {
            vec![base.join(&decoded)]
        };
        for relative in &candidates {
            let Some(normal) = normalize(relative) else {
                return Err(ImageError::Outside(reference.to_string()));
            };
            let full = self.root.join(&normal);
            if full.is_file() {
                // Symlinks must not lead out of the site either.
                let inside = match (full.canonicalize(), self.root.canonicalize()) {
                    (Ok(f), Ok(r)) => f.starts_with(r),
                    _ => false,
                };
                return if inside {
                    Ok(normal)
                } else {
                    Err(ImageError::Outside(reference.to_string()))
                };
            }
        }
        let shown = candidates
            .first()
            .and_then(|c| normalize(c))
            .map_or_else(|| reference.to_string(), |p| slash(&p));
        Err(ImageError::NotFound(shown))
    }

    /// The source at `relative` (to the root), read and inspected once per build.
    pub fn source(&self, relative: &Path) -> Result<Arc<Source>, ImageError> {
        let cell = {
            let mut sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
            sources.entry(relative.to_path_buf()).or_default().clone()
        };
        cell.get_or_init(|| self.load_source(relative)).clone()
    }

    fn load_source(&self, relative: &Path) -> Result<Arc<Source>, ImageError> {
        let name = slash(relative);
        let path = self.root.join(relative);
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ImageError::NotFound(name.clone()),
            _ => ImageError::Io(name.clone(), e.to_string()),
        })?;
        let hash = cache::content_hash(&bytes);
        let record = match self.cache.read_record(&hash) {
            Some(record) => record,
            None => {
                let info = process::inspect(&bytes, self.config.max_pixels())
                    .map_err(|e| ImageError::Decode(name.clone(), e))?;
                let record = SourceRecord { info, color: None };
                // The cache is an optimisation: failing to write it is not an error.
                let _ = self.cache.write_record(&hash, &record);
                record
            }
        };
        let color = OnceLock::new();
        if let Some(c) = record.color {
            let _ = color.set(Ok(c));
        }
        Ok(Arc::new(Source {
            path,
            name,
            hash,
            info: record.info,
            color,
        }))
    }

    /// The intrinsic size of the SVG at `relative` (to the root): `None`
    /// when it declares none, an error when it is damaged. Read afresh each
    /// time (it is small and cheap to scan), so `serve` never shows a stale size.
    pub fn svg_size(&self, relative: &Path) -> Result<Option<(u32, u32)>, ImageError> {
        let name = slash(relative);
        let bytes = std::fs::read(self.root.join(relative)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ImageError::NotFound(name.clone()),
            _ => ImageError::Io(name.clone(), e.to_string()),
        })?;
        svg::intrinsic_size(&bytes).map_err(|e| ImageError::Decode(name, e))
    }

    /// Registers `op` on `source` and returns the file it will publish.
    pub fn request(
        &self,
        source: &Arc<Source>,
        op: &Operation,
        referrer: &Referrer,
    ) -> Result<Variant, ImageError> {
        let size = (source.info.width, source.info.height);
        let plan = plan::plan(op, size).map_err(|e| ImageError::Operation(source.name.clone(), e))?;
        let key = format!(
            "{},{},{},{}>{}x{}|{:?}|q{}",
            plan.crop_x,
            plan.crop_y,
            plan.crop_width,
            plan.crop_height,
            plan.width,
            plan.height,
            op.format,
            op.quality
        );
        let name = cache::variant_name(
            &source.hash,
            &key,
            (plan.width, plan.height),
            op.format.extension(),
        );
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        let job = jobs.entry(name.clone()).or_insert_with(|| Job {
            source: source.clone(),
            plan,
            format: op.format,
            quality: op.quality,
            referrer: referrer.clone(),
        });
        // The earliest reference is the one errors point at, whatever the
        // thread order, so messages are the same from build to build.
        if *referrer < job.referrer {
            job.referrer = referrer.clone();
        }
        Ok(Variant {
            url: format!("{}/{PROCESSED_IMAGES_DIR}/{name}", self.base_url),
            width: plan.width,
            height: plan.height,
            format: op.format,
        })
    }

    /// The dominant colour of a source, decoding it once if no earlier
    /// build recorded it.
    pub fn color(&self, source: &Source) -> Result<String, ImageError> {
        source
            .color
            .get_or_init(|| {
                let bytes = std::fs::read(&source.path)
                    .map_err(|e| ImageError::Io(source.name.clone(), e.to_string()))?;
                let image = process::decode(&bytes, self.config.max_pixels())
                    .map_err(|e| ImageError::Decode(source.name.clone(), e))?;
                self.decoded.fetch_add(1, Ordering::Relaxed);
                let color = process::dominant_color(&image);
                let record = SourceRecord {
                    info: source.info.clone(),
                    color: Some(color.clone()),
                };
                let _ = self.cache.write_record(&source.hash, &record);
                Ok(color)
            })
            .clone()
    }

    /// The formats of a responsive set for `source`: the modern one (when
    /// enabled) first, then the fallback every browser reads.
    pub fn formats(&self, source: &Source) -> (Option<Format>, Format) {
        // PNG sources are usually graphics, maps or screenshots, which JPEG
        // blurs; photos stay JPEG. Transparency needs PNG.
        let fallback = match source.info.format {
            Format::Png => Format::Png,
            _ if source.info.alpha => Format::Png,
            _ => Format::Jpeg,
        };
        (self.config.webp.then_some(Format::Webp), fallback)
    }
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

fn slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_climb_out() {
        assert_eq!(
            normalize(Path::new("content/a/./b/../c.jpg")),
            Some(PathBuf::from("content/a/c.jpg"))
        );
        assert_eq!(normalize(Path::new("content/../../x.jpg")), None);
        assert_eq!(normalize(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn only_local_raster_images_are_processed() {
        assert!(ImageStore::handles("photo.JPG"));
        assert!(ImageStore::handles("@/culture/hue/citadel.webp"));
        assert!(!ImageStore::handles("https://example.org/a.jpg"));
        assert!(!ImageStore::handles("//cdn.example.org/a.jpg"));
        assert!(!ImageStore::handles("logo.svg"));
        assert!(!ImageStore::handles("data:image/png;base64,AAAA"));
        assert!(ImageStore::is_svg("/images/covers/Bay.SVG?v=2"));
        assert!(ImageStore::is_svg("@/a/logo.svg"));
        assert!(!ImageStore::is_svg("https://example.org/logo.svg"));
        assert!(!ImageStore::is_svg("photo.jpg"));
    }

    #[test]
    fn locate_reads_bundles_static_and_content() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/a"))?;
        std::fs::create_dir_all(root.join("static/img"))?;
        std::fs::write(root.join("content/a/p%20q.jpg"), "x")?;
        std::fs::write(root.join("content/a/p q.jpg"), "x")?;
        std::fs::write(root.join("static/img/s.png"), "x")?;
        let store = ImageStore::new(root, "https://x.org", ImageConfig::default());
        let theme = root.join("themes/t/static");
        let found = |r: &str| store.locate(r, Path::new("content/a"), &theme);
        assert_eq!(found("p%20q.jpg"), Ok(PathBuf::from("content/a/p q.jpg")));
        assert_eq!(found("/img/s.png"), Ok(PathBuf::from("static/img/s.png")));
        assert_eq!(found("@/a/p q.jpg"), Ok(PathBuf::from("content/a/p q.jpg")));
        assert!(matches!(found("nope.jpg"), Err(ImageError::NotFound(_))));
        assert!(matches!(found("../../../x.jpg"), Err(ImageError::Outside(_))));
        #[cfg(unix)]
        {
            let elsewhere = tempfile::tempdir()?;
            std::fs::write(elsewhere.path().join("secret.jpg"), "x")?;
            std::os::unix::fs::symlink(
                elsewhere.path().join("secret.jpg"),
                root.join("content/a/link.jpg"),
            )?;
            assert!(matches!(found("link.jpg"), Err(ImageError::Outside(_))));
        }
        Ok(())
    }
}
