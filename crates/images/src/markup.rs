//! Responsive markup: a source becomes a set of widths in a modern format
//! and a fallback, written as `<picture>` with `srcset`, `sizes`, `width`
//! and `height` (so the layout does not jump) and lazy loading for all but
//! the first image of a page.

use std::sync::Arc;

use serde::Serialize;

use super::plan::{Fit, Focus, Operation, responsive_widths};
use super::{ImageError, ImageStore, Referrer, Source};
use vitrine_output::xml_escape;

/// One `<source>` of a `<picture>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PictureSource {
    #[serde(rename = "type")]
    pub mime: &'static str,
    pub srcset: String,
}

/// A responsive image, also given to templates as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Picture {
    /// The largest fallback file, and its size.
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// The fallback (JPEG or PNG) at every width.
    pub srcset: String,
    /// Modern formats first.
    pub sources: Vec<PictureSource>,
    pub sizes: String,
}

/// Requests every width and format of a responsive set for `source`.
pub fn picture(store: &ImageStore, source: &Arc<Source>, referrer: &Referrer) -> Result<Picture, ImageError> {
    let widths = responsive_widths(&store.config.widths, source.info.width);
    let (modern, fallback) = store.formats(source);
    let set = |format| -> Result<(String, u32, u32, String), ImageError> {
        let mut entries = Vec::new();
        let mut largest = (String::new(), 0, 0);
        for &width in &widths {
            let op = Operation {
                fit: Fit::Fit,
                width: Some(width),
                height: None,
                focus: Focus::CENTER,
                format,
                quality: store.config.quality,
            };
            let v = store.request(source, &op, referrer)?;
            entries.push(format!("{} {}w", v.url, v.width));
            largest = (v.url, v.width, v.height);
        }
        Ok((entries.join(", "), largest.1, largest.2, largest.0))
    };
    let (srcset, width, height, src) = set(fallback)?;
    let mut sources = Vec::new();
    if let Some(format) = modern {
        sources.push(PictureSource {
            mime: format.mime(),
            srcset: set(format)?.0,
        });
    }
    Ok(Picture {
        src,
        width,
        height,
        srcset,
        sources,
        sizes: store.config.sizes.clone(),
    })
}

impl Picture {
    /// The `<picture>` element. `eager` is for the first image of a page,
    /// which is usually in view and should not wait for layout.
    pub fn html(&self, alt: &str, title: Option<&str>, eager: bool) -> String {
        let mut html = String::from("<picture>");
        for s in &self.sources {
            html.push_str(&format!(
                "<source type=\"{}\" srcset=\"{}\" sizes=\"{}\">",
                s.mime,
                xml_escape(&s.srcset),
                xml_escape(&self.sizes)
            ));
        }
        html.push_str(&format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"",
            xml_escape(&self.src),
            xml_escape(&self.srcset),
            xml_escape(&self.sizes),
            self.width,
            self.height,
            xml_escape(alt)
        ));
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            html.push_str(&format!(" title=\"{}\"", xml_escape(title)));
        }
        if eager {
            html.push_str(" fetchpriority=\"high\">");
        } else {
            html.push_str(" loading=\"lazy\" decoding=\"async\">");
        }
        html.push_str("</picture>");
        html
    }
}
