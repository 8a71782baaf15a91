//! Markdown: turns the body of one content file into HTML, its summary, its
//! table of contents and its word count, in a single pass over the
//! pulldown-cmark event stream.
//!
//! This module owns the Markdown dialect (CommonMark plus tables, footnotes,
//! strikethrough, task lists and `{#id}` heading attributes), heading ids and
//! anchors, `@/` internal links (through a [`LinkResolver`]) and the rule that
//! raw HTML is shown as text unless the site allows it. It must not read
//! files, know about languages or URLs, or write HTML by hand beyond the
//! heading anchor, links to another language and sized images (which
//! pulldown-cmark's writer cannot give attributes): its writer does the
//! escaping.

mod headings;
mod images;
mod text;

use std::ops::Range;
pub use text::is_cjk;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::{Deserialize, Serialize};

use headings::{HeadingIds, OpenHeading};
pub use images::{ImageResolver, MarkdownImage, Resolved};
use text::WordCounter;
use vitrine_core::diagnostics::{Diagnostic, Location};
use vitrine_core::safe_url::{SafeUrl, UrlError, UrlPolicy};

/// What the site allows in Markdown bodies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkdownOptions<'p> {
    /// Pass raw HTML through as is; when false it is escaped and shown as text.
    pub allow_html: bool,
    /// The schemes link and image destinations may use; `None` for the
    /// default (http, https, mailto and site paths).
    pub urls: Option<&'p UrlPolicy>,
    /// Also collect the body's plain text ([`Rendered::plain_text`]) for the
    /// search index, in the same pass rather than parsing the body again.
    pub plain_text: bool,
}

/// Resolves internal links written as `@/section/page.md`,
/// `@/section/page.en.md` or `@/section/_index.md`, optionally with a
/// `#fragment`.
pub trait LinkResolver {
    /// `path` is the part after `@/`, without the fragment. Returns the URL,
    /// or why there is none (e.g. `no page at content/x.md`).
    fn resolve(&self, path: &str) -> Result<String, String>;

    /// The language of the page `resolve` finds when it is not the current
    /// one (with `untranslated: skip`, the nearest language of the fallback
    /// chain that has the page); the link then says so with `hreflang` and
    /// `lang`.
    fn language_of(&self, _path: &str) -> Option<String> {
        None
    }
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, …
    pub level: u32,
    /// The `id` attribute of the heading, also its anchor.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// The deeper headings that follow it, before the next one of its level.
    pub children: Vec<Heading>,
}

impl Heading {
    /// The text of the headings of `toc`, each before those nested under
    /// it: the order they come in the body.
    pub fn texts_in_order(toc: &[Heading]) -> Vec<String> {
        let mut text = Vec::new();
        let mut stack: Vec<&Heading> = toc.iter().rev().collect();
        while let Some(heading) = stack.pop() {
            text.push(heading.title.clone());
            stack.extend(heading.children.iter().rev());
        }
        text
    }
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    /// The full body HTML.
    pub html: String,
    /// Plain text: the text before `<!-- more -->` if present, else the first
    /// top-level paragraph; empty if there is neither.
    pub summary: String,
    /// The same part of the body as HTML (tags left open at the marker are
    /// closed).
    pub summary_html: String,
    /// The headings, nested by level.
    pub toc: Vec<Heading>,
    /// Words; each Han, Kana or Hangul character counts as one word. Left
    /// at 0 when [`Rendered::plain_text`] is collected: its reader counts
    /// them (`search::BodyTerms::words`), as it scans that text anyway.
    pub word_count: usize,
    /// The readable text of the whole body when [`MarkdownOptions::plain_text`]
    /// asked for it: the text and code a reader sees (image alt text
    /// included), blocks and lines separated by a space; raw HTML and link
    /// targets are left out. The caller takes it out right away (the search
    /// index keeps only its terms), so it is not kept per page.
    #[serde(skip)]
    pub plain_text: Option<String>,
}

const HINT_BROKEN_LINK: &str = "check the path under content/ (e.g. @/culture/ao-dai.md)";

/// Renders a Markdown body.
///
/// `first_line` is the 1-based line number of the body's first line in its
/// file (the body follows front matter), so errors report file lines. Every
/// broken `@/` link is reported, not only the first; diagnostics come back
/// without a file (the caller adds it).
pub fn render(
    body: &str,
    first_line: usize,
    options: &MarkdownOptions<'_>,
    links: &dyn LinkResolver,
) -> Result<Rendered, Vec<Diagnostic>> {
    render_with_images(body, first_line, options, links, None)
}

/// [`render`], with images handed to `images` for their markup.
pub fn render_with_images(
    body: &str,
    first_line: usize,
    options: &MarkdownOptions<'_>,
    links: &dyn LinkResolver,
    images: Option<&dyn ImageResolver>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut pass = Pass::new(body, first_line, options, links);
    pass.images = images;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        pass.event(event, range);
    }
    pass.finish()
}

/// Reading time in minutes at 200 words a minute, rounded up, at least 1.
pub fn reading_time(word_count: usize) -> usize {
    word_count.div_ceil(200).max(1)
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether raw HTML is the summary marker `<!-- more -->` (spacing free).
fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

/// Where the summary ends: at the marker (with the tags open there), or the
/// first top-level paragraph.
enum SummaryEnd {
    Marker { at: usize, open: Vec<TagEnd> },
    Paragraph(Range<usize>),
}

/// The state of one render: the transformed events and what was learnt on
/// the way.
struct Pass<'a, 'o> {
    body: &'a str,
    first_line: usize,
    allow_html: bool,
    urls: UrlPolicy,
    links: &'o dyn LinkResolver,
    images: Option<&'o dyn ImageResolver>,
    /// The image whose alt text is being collected.
    image: Option<images::OpenImage<'a>>,
    out: Vec<Event<'a>>,
    /// The ends of the tags open in `out`, innermost last.
    open: Vec<TagEnd>,
    heading: Option<OpenHeading<'a>>,
    ids: HeadingIds,
    toc: Vec<Heading>,
    /// Raw HTML of the current HTML block, held until its end to tell the
    /// `<!-- more -->` marker from real HTML.
    html_block: Option<Vec<CowStr<'a>>>,
    paragraph_start: Option<usize>,
    summary: Option<SummaryEnd>,
    words: WordCounter,
    /// The body's plain text, when asked for.
    plain_text: Option<String>,
    errors: Vec<Diagnostic>,
    /// For each open link, whether it was written as raw `<a>` (a link to
    /// a page in another language), so its end is written as `</a>`.
    raw_links: Vec<bool>,
}

impl<'a, 'o> Pass<'a, 'o> {
    fn new(
        body: &'a str,
        first_line: usize,
        options: &MarkdownOptions<'_>,
        links: &'o dyn LinkResolver,
    ) -> Self {
        Pass {
            body,
            first_line,
            allow_html: options.allow_html,
            urls: options.urls.cloned().unwrap_or_default(),
            links,
            images: None,
            image: None,
            out: Vec::with_capacity(body.len() / 16),
            open: Vec::new(),
            heading: None,
            ids: HeadingIds::default(),
            toc: Vec::new(),
            html_block: None,
            paragraph_start: None,
            summary: None,
            words: WordCounter::default(),
            plain_text: options.plain_text.then(|| String::with_capacity(body.len())),
            errors: Vec::new(),
            raw_links: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.image.is_some() {
            return self.image_event(event);
        }
        match event {
            // Refused before the image resolver looks for a file by that name.
            Event::Start(Tag::Image { ref dest_url, .. }) if self.refuses(dest_url, range.start) => {}
            Event::Start(ref tag @ Tag::Image { .. }) if self.open_image(tag, range.start) => {}
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(Vec::new()),
            Event::Html(html) if self.html_block.is_some() => {
                if let Some(block) = &mut self.html_block {
                    block.push(html);
                }
            }
            Event::End(TagEnd::HtmlBlock) => self.end_html_block(),
            Event::Html(html) | Event::InlineHtml(html) => self.inline_html(html),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let language = dest_url
                    .strip_prefix("@/")
                    .and_then(|t| self.links.language_of(t.split('#').next().unwrap_or(t)));
                let dest_url = self.resolve(dest_url, range.start);
                self.raw_links.push(language.is_some());
                match language {
                    // pulldown-cmark's links carry no attributes of their own.
                    Some(lang) => {
                        let lang = headings::escape_attr(&lang);
                        let title = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{}\"", headings::escape_attr(&title))
                        };
                        self.emit(Event::InlineHtml(CowStr::from(format!(
                            "<a href=\"{}\" hreflang=\"{lang}\" lang=\"{lang}\"{title}>",
                            headings::escape_attr(&dest_url)
                        ))));
                    }
                    None => self.emit(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })),
                }
            }
            Event::End(TagEnd::Link) => {
                if self.raw_links.pop() == Some(true) {
                    self.emit(Event::InlineHtml(CowStr::from("</a>")));
                } else {
                    self.emit(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.resolve(dest_url, range.start);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => self.emit(other),
        }
    }

    /// Replaces an `@/` URL by the page's URL (fragment kept); a broken one
    /// is recorded as an error at the link's start and left as written.
    fn resolve(&mut self, url: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let Some(target) = url.strip_prefix("@/") else {
            return self.check_url(url, offset);
        };
        let (path, fragment) = target.find('#').map_or((target, ""), |i| target.split_at(i));
        match self.links.resolve(path) {
            Ok(resolved) => CowStr::from(resolved + fragment),
            Err(why) => {
                let at =
                    Location::from_offset(self.body, offset).offset_lines(self.first_line.saturating_sub(1));
                self.errors.push(
                    Diagnostic::error(format!("broken internal link `@/{path}`: {why}"))
                        .at(at)
                        .with_label("this link")
                        .with_hint(HINT_BROKEN_LINK),
                );
                url
            }
        }
    }

    /// A destination the site's URL rules refuse (`javascript:`, `data:`…)
    /// is an error at the link: an inert link would hide a hostile or
    /// broken text until a reader clicks it.
    fn check_url(&mut self, url: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match SafeUrl::parse(&url, &self.urls) {
            Ok(safe) if safe.as_str() == &*url => url,
            Ok(safe) => CowStr::from(safe.into_string()),
            // `[text]()` links to the page itself; Markdown quotes it.
            Err(UrlError::Empty) => CowStr::from(""),
            Err(e) => {
                self.refused(&e, offset);
                CowStr::from("")
            }
        }
    }

    /// Whether `url` is refused (the error is recorded).
    fn refuses(&mut self, url: &str, offset: usize) -> bool {
        match SafeUrl::parse(url, &self.urls) {
            Ok(_) | Err(UrlError::Empty) => false,
            Err(e) => {
                self.refused(&e, offset);
                true
            }
        }
    }

    fn refused(&mut self, e: &vitrine_core::safe_url::UrlError, offset: usize) {
        let at = Location::from_offset(self.body, offset).offset_lines(self.first_line.saturating_sub(1));
        self.errors.push(
            Diagnostic::error(format!("link or image destination refused: {e}"))
                .at(at)
                .with_label("this link")
                .with_hint(e.hint()),
        );
    }

    fn inline_html(&mut self, html: CowStr<'a>) {
        if is_more_marker(&html) {
            self.mark_summary();
        } else if self.allow_html {
            self.emit(Event::InlineHtml(html));
        } else {
            // Shown as text so nothing the author wrote silently disappears.
            self.emit(Event::Text(html));
        }
    }

    fn end_html_block(&mut self) {
        let parts = self.html_block.take().unwrap_or_default();
        let html: String = parts.iter().map(|p| p.as_ref()).collect();
        if is_more_marker(&html) {
            self.mark_summary();
        } else if self.allow_html {
            self.emit(Event::Start(Tag::HtmlBlock));
            for part in parts {
                self.emit(Event::Html(part));
            }
            self.emit(Event::End(TagEnd::HtmlBlock));
        } else {
            self.emit(Event::Start(Tag::Paragraph));
            self.emit(Event::Text(html.trim_end().to_string().into()));
            self.emit(Event::End(TagEnd::Paragraph));
        }
    }

    /// The first marker ends the summary; later ones are consumed too.
    fn mark_summary(&mut self) {
        if self.heading.is_some() || matches!(self.summary, Some(SummaryEnd::Marker { .. })) {
            return;
        }
        self.summary = Some(SummaryEnd::Marker {
            at: self.out.len(),
            open: self.open.clone(),
        });
    }

    /// Reads the event's text, then sends the event to the open heading or
    /// the output.
    fn emit(&mut self, event: Event<'a>) {
        match &event {
            Event::Text(t) | Event::Code(t) => self.read_text(t),
            Event::SoftBreak | Event::HardBreak => self.read_break(),
            Event::Start(tag) if !text::is_inline(tag.to_end()) => self.read_break(),
            Event::End(end) if !text::is_inline(*end) => self.read_break(),
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading = Some(OpenHeading::new(level, id, classes, attrs)),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            event => match &mut self.heading {
                Some(heading) => heading.push(event),
                None => self.push_out(event),
            },
        }
    }

    /// Text a reader sees: counted as words, or kept as the plain text,
    /// whose reader counts its words while it scans it anyway (the search
    /// index): one scan of the text rather than two.
    fn read_text(&mut self, text: &str) {
        match &mut self.plain_text {
            Some(out) => out.push_str(text),
            None => self.words.feed(text),
        }
    }

    /// A break between blocks or lines: it ends a word (inline markup, as
    /// in `**bo**ld`, does not).
    fn read_break(&mut self) {
        match &mut self.plain_text {
            Some(out) if !out.ends_with(' ') => out.push(' '),
            Some(_) => {}
            None => self.words.break_word(),
        }
    }

    fn end_heading(&mut self) {
        if let Some(heading) = self.heading.take() {
            let (events, entry) = heading.finish(&mut self.ids);
            self.toc.push(entry);
            for event in events {
                self.push_out(event);
            }
        }
    }

    /// Appends to the output, tracking open tags and the first top-level
    /// paragraph (the default summary).
    fn push_out(&mut self, event: Event<'a>) {
        match &event {
            Event::Start(tag) => {
                if self.open.is_empty() && matches!(tag, Tag::Paragraph) {
                    self.paragraph_start.get_or_insert(self.out.len());
                }
                self.open.push(tag.to_end());
            }
            Event::End(_) => {
                self.open.pop();
            }
            _ => {}
        }
        self.out.push(event);
        if self.open.is_empty()
            && self.summary.is_none()
            && let Some(start) = self.paragraph_start
        {
            self.summary = Some(SummaryEnd::Paragraph(start..self.out.len()));
        }
    }

    fn finish(self) -> Result<Rendered, Vec<Diagnostic>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let summary_events: Vec<Event<'a>> = match &self.summary {
            Some(SummaryEnd::Marker { at, open }) => {
                let closers = open.iter().rev().map(|end| Event::End(*end));
                self.out[..*at].iter().cloned().chain(closers).collect()
            }
            Some(SummaryEnd::Paragraph(range)) => self.out[range.clone()].to_vec(),
            None => Vec::new(),
        };
        let mut summary_html = String::new();
        html::push_html(&mut summary_html, summary_events.iter().cloned());
        let mut body_html = String::with_capacity(self.body.len() * 3 / 2);
        html::push_html(&mut body_html, self.out.into_iter());
        Ok(Rendered {
            html: body_html,
            summary: text::plain_text(&summary_events),
            summary_html,
            toc: headings::nest(self.toc),
            word_count: self.words.count(),
            plain_text: self.plain_text,
        })
    }
}

#[cfg(test)]
mod tests;
