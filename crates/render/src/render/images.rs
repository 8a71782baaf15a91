//! Images as rendering sees them: the per-page resolver that turns Markdown
//! images into `<picture>`, cover images and their social (Open Graph)
//! crops, the site's default social image, the template functions
//! `resize_image` and `image_metadata`, and the intrinsic size of SVGs
//! (covers and Markdown images), which are published as they are. The pixel
//! work itself is queued in the shared [`ImageStore`] and done after rendering.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Error, Kwargs, State, Tera, Value};

use std::sync::Arc;

use vitrine_core::diagnostics::{Diagnostic, Location};
use vitrine_images::{Fit, Focus, Format, ImageStore, Operation, Picture, Referrer, Variant, picture};
use vitrine_load::content::Document;
use vitrine_markdown::{ImageResolver, MarkdownImage, Resolved};
use vitrine_model::Site;

/// Open Graph's recommended size.
pub const SOCIAL_SIZE: (u32, u32) = (1200, 630);

const HINT_ALT: &str =
    "describe the picture for readers who cannot see it (screen readers, slow connections)";

/// A page's cover image, as templates see it (`page.cover`).
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    /// For template functions: `@/…` for content files, `/…` for static/.
    pub source: String,
    pub alt: String,
    /// `<picture>` for the page's own header (loaded first, not lazily).
    pub html: String,
    /// The same for lists of pages (lazy).
    pub html_lazy: String,
    #[serde(flatten)]
    pub picture: Picture,
    /// The 1200×630 crop for Open Graph and Twitter cards.
    pub social: Variant,
}

/// The folder a page's relative image paths start from: its bundle, or the
/// folder of its Markdown file.
fn base_dir(doc: &Document) -> PathBuf {
    doc.bundle.clone().unwrap_or_else(|| {
        Path::new(&doc.file)
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf)
    })
}

/// How templates name a located source.
fn source_name(relative: &Path) -> String {
    let text = relative.to_string_lossy().replace('\\', "/");
    if let Some(rest) = text.strip_prefix("content/") {
        format!("@/{rest}")
    } else if let Some(rest) = text.strip_prefix("static/") {
        format!("/{rest}")
    } else {
        text
    }
}

fn social_op(store: &ImageStore) -> Operation {
    Operation {
        fit: Fit::Fill,
        width: Some(SOCIAL_SIZE.0),
        height: Some(SOCIAL_SIZE.1),
        focus: Focus::CENTER,
        format: Format::Jpeg,
        quality: store.config.quality.max(85),
    }
}

/// Resolves a page's Markdown images; collects its warnings.
pub struct EntryImages<'a> {
    store: &'a ImageStore,
    theme_static: &'a Path,
    doc: &'a Document,
    /// Fallback copies render the same text again: warn only once.
    warn: bool,
    /// Whether the next image is the first one shown on the page.
    first: Cell<bool>,
    warnings: RefCell<Vec<Diagnostic>>,
}

impl<'a> EntryImages<'a> {
    /// The resolver of `doc`'s images; `first_is_eager` when no cover is
    /// shown above its first image (which then loads first, not lazily).
    pub fn new(
        store: &'a ImageStore,
        theme_static: &'a Path,
        doc: &'a Document,
        warn: bool,
        first_is_eager: bool,
    ) -> Self {
        EntryImages {
            store,
            theme_static,
            doc,
            warn,
            first: Cell::new(first_is_eager),
            warnings: RefCell::default(),
        }
    }

    /// The warnings about the images resolved.
    pub fn into_warnings(self) -> Vec<Diagnostic> {
        self.warnings.into_inner()
    }
}

impl ImageResolver for EntryImages<'_> {
    fn resolve_image(&self, image: &MarkdownImage<'_>) -> Result<Resolved, Diagnostic> {
        let referrer = Referrer::new(&self.doc.file, Some(image.location));
        if ImageStore::is_svg(image.src) {
            let size = svg_size(self.store, image.src, self.doc, self.theme_static, &referrer)?;
            return Ok(Resolved::Plain(size));
        }
        if !ImageStore::handles(image.src) {
            return Ok(Resolved::Plain(None));
        }
        let fail = |e: vitrine_images::ImageError| e.diagnostic(&referrer);
        let relative = self
            .store
            .locate(image.src, &base_dir(self.doc), self.theme_static)
            .map_err(fail)?;
        let source = self.store.source(&relative).map_err(fail)?;
        let set = picture(self.store, &source, &referrer).map_err(fail)?;
        if image.alt.is_empty() && self.warn {
            self.warnings.borrow_mut().push(
                referrer.diagnostic(
                    Diagnostic::warning(format!("the image `{}` has no alt text", image.src))
                        .with_label("write it between the brackets: ![a harbour at dawn](…)")
                        .with_hint(HINT_ALT),
                ),
            );
        }
        let eager = self.first.replace(false);
        Ok(Resolved::Markup(set.html(image.alt, Some(image.title), eager)))
    }
}

/// The intrinsic size of the local SVG `reference` of `doc`: `None` when
/// it declares none; an error at `referrer` when it is missing or damaged,
/// as for a photo, since a reader would see a broken image.
fn svg_size(
    store: &ImageStore,
    reference: &str,
    doc: &Document,
    theme_static: &Path,
    referrer: &Referrer,
) -> Result<Option<(u32, u32)>, Diagnostic> {
    let fail = |e: vitrine_images::ImageError| e.diagnostic(referrer);
    let relative = store
        .locate(reference, &base_dir(doc), theme_static)
        .map_err(fail)?;
    store.svg_size(&relative).map_err(fail)
}

/// The intrinsic size of a document's SVG cover (`image: x.svg`), which is
/// published as it is; `None` for any other cover.
pub fn svg_cover_size(
    store: &ImageStore,
    root: &Path,
    theme_static: &Path,
    doc: &Document,
) -> Result<Option<(u32, u32)>, Diagnostic> {
    let Some(reference) = doc.front.image.as_deref().filter(|r| ImageStore::is_svg(r)) else {
        return Ok(None);
    };
    let referrer = Referrer::new(&doc.file, front_matter_location(root, &doc.file, "image"));
    svg_size(store, reference, doc, theme_static, &referrer)
}

/// The cover of a document (`image:` in front matter), or `None` for none
/// or an external URL. Warnings (missing `image_alt`) go to `warnings`.
pub fn cover(
    store: &ImageStore,
    root: &Path,
    theme_static: &Path,
    doc: &Document,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Cover>, Diagnostic> {
    let Some(reference) = doc.front.image.as_deref() else {
        return Ok(None);
    };
    let referrer = Referrer::new(&doc.file, front_matter_location(root, &doc.file, "image"));
    if !ImageStore::handles(reference) {
        return Ok(None);
    }
    let fail = |e: vitrine_images::ImageError| e.diagnostic(&referrer);
    let relative = store
        .locate(reference, &base_dir(doc), theme_static)
        .map_err(fail)?;
    let source = store.source(&relative).map_err(fail)?;
    let set = picture(store, &source, &referrer).map_err(fail)?;
    let social = store
        .request(&source, &social_op(store), &referrer)
        .map_err(fail)?;
    let alt = doc.front.image_alt.clone().unwrap_or_default();
    if alt.trim().is_empty() {
        warnings.push(
            referrer.diagnostic(
                Diagnostic::warning("the cover image has no alt text")
                    .with_label("this cover")
                    .with_hint(format!("add `image_alt:` to the front matter: {HINT_ALT}")),
            ),
        );
    }
    Ok(Some(Cover {
        source: source_name(&relative),
        html: set.html(&alt, None, true),
        html_lazy: set.html(&alt, None, false),
        alt,
        picture: set,
        social,
    }))
}

/// The site's default social image (`images.social_default`).
pub fn social_default(store: &ImageStore, theme_static: &Path) -> Result<Option<Variant>, Diagnostic> {
    let Some(reference) = store.config.social_default.clone() else {
        return Ok(None);
    };
    let root = store.root().to_path_buf();
    let referrer = Referrer::new(
        "site.yaml",
        front_matter_location(&root, "site.yaml", "social_default"),
    );
    let fail = |e: vitrine_images::ImageError| e.diagnostic(&referrer);
    let reference = if reference.starts_with(['/', '@']) {
        reference
    } else {
        format!("/{reference}")
    };
    let relative = store
        .locate(&reference, Path::new(""), theme_static)
        .map_err(fail)?;
    let source = store.source(&relative).map_err(fail)?;
    store
        .request(&source, &social_op(store), &referrer)
        .map(Some)
        .map_err(fail)
}

/// Where `key:` is written in a file's YAML (front matter or site.yaml),
/// pointing at its value; the parsed front matter keeps no positions.
fn front_matter_location(root: &Path, file: &str, key: &str) -> Option<Location> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let prefix = format!("{key}:");
    text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_start();
        let rest = trimmed.strip_prefix(&prefix)?;
        let indent = line.len() - trimmed.len();
        let value_at = indent + prefix.len() + (rest.len() - rest.trim_start().len());
        Some(Location::new(i + 1, line[..value_at].chars().count() + 1))
    })
}

/// What `resize_image` returns.
#[derive(Serialize)]
struct Resized {
    url: String,
    width: u32,
    height: u32,
    orig_width: u32,
    orig_height: u32,
}

/// What `image_metadata` returns.
#[derive(Serialize)]
struct Metadata {
    width: u32,
    height: u32,
    format: Format,
    /// The dominant colour, `#rrggbb`, for placeholders.
    color: String,
}

fn template_source(
    theme_static: &Path,
    images: &ImageStore,
    kwargs: &Kwargs,
) -> Result<std::sync::Arc<vitrine_images::Source>, Error> {
    let path: String = kwargs.must_get("path")?;
    // Bare paths are tried in static/ first, then content/.
    let attempt = |reference: &str| images.locate(reference, Path::new("static"), theme_static);
    let relative = if path.starts_with(['/', '@']) {
        attempt(&path)
    } else {
        attempt(&path).or_else(|_| attempt(&format!("@/{path}")))
    }
    .map_err(|e| Error::message(format!("{e} ({})", e.hint())))?;
    images
        .source(&relative)
        .map_err(|e| Error::message(format!("{e} ({})", e.hint())))
}

/// Registers `resize_image(path, width, height, op, focus, format,
/// quality)` and `image_metadata(path)`.
pub fn register(tera: &mut Tera, site: &Site, images: &Arc<ImageStore>) {
    let theme_static = site.config.theme_dir().join("static");
    let referrer = format!("themes/{}/templates", site.config.theme);
    let (e, dir) = (images.clone(), theme_static.clone());
    tera.register_function(
        "resize_image",
        move |kwargs: Kwargs, _: &State| -> Result<Value, Error> {
            let source = template_source(&dir, &e, &kwargs)?;
            let op_name: String = kwargs.get("op")?.unwrap_or_else(|| "fit".to_string());
            let fit = Fit::parse(&op_name)
                .ok_or_else(|| Error::message(format!("op `{op_name}` is not fit, fill or crop")))?;
            let focus_name: String = kwargs.get("focus")?.unwrap_or_else(|| "center".to_string());
            let focus = Focus::parse(&focus_name).ok_or_else(|| {
                Error::message(format!(
                    "focus `{focus_name}` is not a position such as `top` or \"0.3,0.6\""
                ))
            })?;
            let default_format = e.formats(&source).1;
            let format = match kwargs.get::<String>("format")? {
                None => default_format,
                Some(name) if name == "auto" => default_format,
                Some(name) => Format::parse(&name).ok_or_else(|| {
                    Error::message(format!("format `{name}` is not jpeg, png, webp or auto"))
                })?,
            };
            let quality: u8 = kwargs.get("quality")?.unwrap_or(e.config.quality);
            if !(1..=100).contains(&quality) {
                return Err(Error::message(format!(
                    "quality {quality} is not between 1 and 100"
                )));
            }
            let op = Operation {
                fit,
                width: kwargs.get("width")?,
                height: kwargs.get("height")?,
                focus,
                format,
                quality,
            };
            let v = e
                .request(&source, &op, &Referrer::new(referrer.clone(), None))
                .map_err(|err| Error::message(err.to_string()))?;
            Ok(Value::from_serializable(&Resized {
                url: v.url,
                width: v.width,
                height: v.height,
                orig_width: source.info.width,
                orig_height: source.info.height,
            }))
        },
    );
    let e = images.clone();
    tera.register_function(
        "image_metadata",
        move |kwargs: Kwargs, _: &State| -> Result<Value, Error> {
            let source = template_source(&theme_static, &e, &kwargs)?;
            let color = e
                .color(&source)
                .map_err(|err| Error::message(format!("{err} ({})", err.hint())))?;
            Ok(Value::from_serializable(&Metadata {
                width: source.info.width,
                height: source.info.height,
                format: source.info.format,
                color,
            }))
        },
    );
}
