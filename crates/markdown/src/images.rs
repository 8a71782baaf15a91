//! Images in Markdown: `![alt](photo.jpg "title")` is handed to an
//! [`ImageResolver`], which may replace the plain `<img>` with its own
//! markup (vitrine's responsive `<picture>`) or give its intrinsic size (an
//! SVG, published as it is). The resolver decides what an image reference
//! means; this file only collects the image's alt text and position from
//! the event stream, and writes the plain `<img>` with a size, which
//! pulldown-cmark's writer cannot.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::Pass;
use super::headings::escape_attr;
use vitrine_core::diagnostics::{Diagnostic, Location};

/// One image written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownImage<'s> {
    /// The destination as written (`photo.jpg`, `/img/x.png`, `@/…`, a URL).
    pub src: &'s str,
    /// The alt text as plain text.
    pub alt: &'s str,
    pub title: &'s str,
    /// Where the image starts, in file lines.
    pub location: Location,
}

/// What a resolver makes of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// HTML that replaces the image.
    Markup(String),
    /// The plain `<img>`, with `width` and `height` when its intrinsic size
    /// is known (so the page does not shift as it loads).
    Plain(Option<(u32, u32)>),
}

/// Turns Markdown images into markup.
pub trait ImageResolver {
    /// What the image becomes, or an error (without a file: the caller
    /// adds it).
    fn resolve_image(&self, image: &MarkdownImage<'_>) -> Result<Resolved, Diagnostic>;
}

/// An image whose events are being collected.
pub(super) struct OpenImage<'a> {
    link_type: LinkType,
    dest_url: CowStr<'a>,
    title: CowStr<'a>,
    id: CowStr<'a>,
    offset: usize,
    alt: String,
    inner: Vec<Event<'a>>,
}

impl<'a> Pass<'a, '_> {
    /// Starts collecting an image when a resolver is set; false otherwise.
    pub(super) fn open_image(&mut self, tag: &Tag<'a>, offset: usize) -> bool {
        let (
            Some(_),
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) = (self.images, tag)
        else {
            return false;
        };
        self.image = Some(OpenImage {
            link_type: *link_type,
            dest_url: dest_url.clone(),
            title: title.clone(),
            id: id.clone(),
            offset,
            alt: String::new(),
            inner: Vec::new(),
        });
        true
    }

    /// Takes one event inside an open image; at its end, emits the
    /// resolver's markup or the plain image.
    pub(super) fn image_event(&mut self, event: Event<'a>) {
        let Some(open) = &mut self.image else {
            return;
        };
        match event {
            Event::End(TagEnd::Image) => self.close_image(),
            Event::Text(ref t) | Event::Code(ref t) => {
                open.alt.push_str(t);
                open.inner.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                open.alt.push(' ');
                open.inner.push(event);
            }
            other => open.inner.push(other),
        }
    }

    fn close_image(&mut self) {
        let (Some(open), Some(resolver)) = (self.image.take(), self.images) else {
            return;
        };
        let location =
            Location::from_offset(self.body, open.offset).offset_lines(self.first_line.saturating_sub(1));
        let image = MarkdownImage {
            src: &open.dest_url,
            alt: open.alt.trim(),
            title: &open.title,
            location,
        };
        let size = match resolver.resolve_image(&image) {
            Ok(Resolved::Markup(html)) => {
                // Its alt text is read as the plain image's would be.
                self.read_text(&open.alt);
                self.emit(Event::InlineHtml(html.into()));
                return;
            }
            Ok(Resolved::Plain(size)) => size,
            Err(d) => {
                self.errors.push(d);
                None
            }
        };
        let dest_url = self.resolve(open.dest_url, open.offset);
        if let Some((width, height)) = size {
            self.read_text(&open.alt);
            let title = if open.title.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", escape_attr(&open.title))
            };
            self.emit(Event::InlineHtml(CowStr::from(format!(
                "<img src=\"{}\" alt=\"{}\"{title} width=\"{width}\" height=\"{height}\">",
                escape_attr(&dest_url),
                escape_attr(open.alt.trim())
            ))));
            return;
        }
        self.emit(Event::Start(Tag::Image {
            link_type: open.link_type,
            dest_url,
            title: open.title,
            id: open.id,
        }));
        for e in open.inner {
            self.emit(e);
        }
        self.emit(Event::End(TagEnd::Image));
    }
}
