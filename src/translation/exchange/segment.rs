//! Cutting a page into translation units and putting it back together.
//!
//! The front matter gives the title, description, summary, cover image alt
//! text and slug; the body gives its block-level pieces (paragraphs,
//! headings, list items, table cells, quotes, footnotes) found with
//! pulldown-cmark's byte offsets, and the text arguments of shortcodes.
//! Code blocks, HTML blocks and non-text arguments are not offered. Inline
//! Markdown becomes placeholders ([`Piece`]) whose bytes are kept here, so
//! that [`Segmented::render_body`] writes the source's own bytes around
//! each translation: a unit left as its source comes back byte for byte.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::calls::{self, CallSpan, quote_value};
use super::pieces::{self, Piece};
use crate::content::Document;

/// A front matter field offered for translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Description,
    Summary,
    ImageAlt,
    Slug,
}

impl Field {
    /// The front matter key, which is also the unit's id.
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Summary => "summary",
            Field::ImageAlt => "image_alt",
            Field::Slug => "slug",
        }
    }
}

/// What a placeholder stands for.
#[derive(Debug, Clone)]
enum Markup {
    /// Bytes of the body.
    Raw(Range<usize>),
    /// A shortcode call, written with its translated arguments.
    Call(usize),
}

#[derive(Debug, Clone)]
struct Pair {
    open: Markup,
    close: Option<Markup>,
}

#[derive(Debug, Clone)]
enum Place {
    Front(Field),
    Block {
        range: Range<usize>,
        markup: BTreeMap<u32, Pair>,
        table: bool,
    },
    Arg {
        call: usize,
        arg: usize,
    },
}

/// One translation unit.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable for one version of the source: `title`, `b3`, `c2.caption`.
    pub id: String,
    pub source: Vec<Piece>,
    /// What it is, for the translator: `heading`, `list item`, `figure: caption`.
    pub kind: String,
    /// The source text of the heading above it.
    pub heading: Option<String>,
    place: Place,
}

impl Unit {
    pub fn field(&self) -> Option<Field> {
        match self.place {
            Place::Front(f) => Some(f),
            _ => None,
        }
    }
}

/// A page cut into units, able to write itself back with translations.
#[derive(Debug, Clone)]
pub struct Segmented {
    body: String,
    pub units: Vec<Unit>,
    calls: Vec<CallSpan>,
    /// Unit index of each call argument: `args[call][arg]`.
    arg_units: Vec<Vec<usize>>,
}

/// Cuts a document into units.
pub fn segment(doc: &Document) -> Segmented {
    let mut units = Vec::new();
    let mut front = |field: Field, text: Option<&str>| {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            units.push(Unit {
                id: field.key().to_string(),
                source: pieces::normalise(vec![Piece::Text(text.to_string())]),
                kind: field.key().replace('_', " "),
                heading: None,
                place: Place::Front(field),
            });
        }
    };
    front(Field::Title, Some(&doc.front.title));
    front(Field::Description, doc.front.description.as_deref());
    front(Field::Summary, doc.front.summary.as_deref());
    front(Field::ImageAlt, doc.front.image_alt.as_deref());
    if !doc.content_path.is_empty() {
        front(Field::Slug, Some(doc.front.slug.as_deref().unwrap_or(&doc.stem)));
    }
    segment_body(&doc.body, units)
}

/// Cuts a Markdown body into units after the given front matter units.
pub fn segment_body(body: &str, mut units: Vec<Unit>) -> Segmented {
    let calls = calls::scan(body);
    let masked = mask(body, &calls);
    let mut walker = Walker::new(body, &calls);
    for (event, range) in Parser::new_ext(&masked, options()).into_offset_iter() {
        walker.event(event, range);
    }
    walker.flush();
    let mut body_units = walker.units;
    let mut arg_units = Vec::new();
    for (ci, call) in calls.iter().enumerate() {
        let heading = walker
            .headings
            .iter()
            .rev()
            .find(|(at, _)| *at <= call.range.start)
            .map(|(_, h)| h.clone());
        let mut indexes = Vec::new();
        for (ai, arg) in call.args.iter().enumerate() {
            indexes.push(ai);
            body_units.push((
                arg.value.start,
                Unit {
                    id: format!("c{}.{}", ci + 1, arg.key),
                    source: pieces::normalise(vec![Piece::Text(arg.text.clone())]),
                    kind: format!("{}: {}", call.name, arg.key),
                    heading: heading.clone(),
                    place: Place::Arg { call: ci, arg: ai },
                },
            ));
        }
        arg_units.push(indexes);
    }
    body_units.sort_by_key(|(at, _)| *at);
    let first = units.len();
    for (i, (_, unit)) in body_units.into_iter().enumerate() {
        if let Place::Arg { call, arg } = unit.place {
            arg_units[call][arg] = first + i;
        }
        units.push(unit);
    }
    Segmented {
        body: body.to_string(),
        units,
        calls,
        arg_units,
    }
}

/// The options the renderer parses with, so units match what readers see.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The body with inline calls turned into letters (one word of text, so
/// their quotes and underscores cannot start emphasis) and block call lines
/// into spaces (blank lines, so a block's Markdown is parsed on its own).
/// Byte offsets stay those of the body.
fn mask(body: &str, calls: &[CallSpan]) -> String {
    let mut bytes = body.as_bytes().to_vec();
    for call in calls {
        let fill = if call.block { b' ' } else { b'x' };
        bytes[call.range.clone()].fill(fill);
    }
    String::from_utf8(bytes).unwrap_or_else(|_| body.to_string())
}

/// A unit being read.
struct Building {
    range: Range<usize>,
    pieces: Vec<Piece>,
    markup: BTreeMap<u32, Pair>,
    /// Open pairs: id, and how many delimiter bytes close them (0 for links).
    open: Vec<(u32, usize)>,
    prev_end: usize,
}

struct Walker<'a> {
    body: &'a str,
    calls: &'a [CallSpan],
    units: Vec<(usize, Unit)>,
    current: Option<Building>,
    next_id: u32,
    kind: &'static str,
    quotes: usize,
    footnotes: usize,
    items: usize,
    table: bool,
    in_heading: bool,
    /// Heading texts by position, for notes.
    headings: Vec<(usize, String)>,
    skip_block: bool,
    skip_link: bool,
    skip_until: usize,
    blocks: usize,
}

impl<'a> Walker<'a> {
    fn new(body: &'a str, calls: &'a [CallSpan]) -> Walker<'a> {
        Walker {
            body,
            calls,
            units: Vec::new(),
            current: None,
            next_id: 1,
            kind: "paragraph",
            quotes: 0,
            footnotes: 0,
            items: 0,
            table: false,
            in_heading: false,
            headings: Vec::new(),
            skip_block: false,
            skip_link: false,
            skip_until: 0,
            blocks: 0,
        }
    }

    fn event(&mut self, event: Event, r: Range<usize>) {
        if self.skip_block {
            if matches!(
                event,
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_))
            ) {
                self.skip_block = false;
            }
            return;
        }
        if self.skip_link {
            if matches!(event, Event::End(TagEnd::Link | TagEnd::Image)) {
                self.skip_link = false;
                self.touch(r.end);
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, r),
            Event::End(tag) => self.end(tag, r),
            Event::Text(text) => self.text(&text, r),
            Event::SoftBreak => {
                let b = self.building(r.start);
                pieces::push_text(&mut b.pieces, " ");
                self.touch(r.end);
            }
            Event::TaskListMarker(_) if self.current.is_none() => {}
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::FootnoteReference(_)
            | Event::HardBreak
            | Event::TaskListMarker(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => self.single(Markup::Raw(r)),
            Event::Rule => self.flush(),
        }
    }

    fn start(&mut self, tag: Tag, r: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                self.kind = if self.footnotes > 0 {
                    "footnote"
                } else if self.items > 0 {
                    "list item"
                } else if self.quotes > 0 {
                    "quote"
                } else {
                    "paragraph"
                };
            }
            Tag::Heading { .. } => {
                self.flush();
                self.kind = "heading";
                self.in_heading = true;
            }
            Tag::Item => {
                self.flush();
                self.items += 1;
                self.kind = "list item";
            }
            Tag::TableCell => {
                self.flush();
                self.kind = "table cell";
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quotes += 1;
            }
            Tag::FootnoteDefinition(_) => {
                self.flush();
                self.footnotes += 1;
            }
            Tag::Table(_) => {
                self.flush();
                self.table = true;
            }
            Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => {
                self.flush();
                self.skip_block = true;
            }
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {
                let wanted = match tag {
                    Tag::Emphasis | Tag::Superscript | Tag::Subscript => 1,
                    _ => 2,
                };
                let delimiter = self.body.as_bytes().get(r.start).copied().unwrap_or(b'*');
                let run = self.body.as_bytes()[r.start..r.end]
                    .iter()
                    .take_while(|b| **b == delimiter)
                    .count();
                let n = wanted.min(run).max(1);
                self.open_pair(Markup::Raw(r.start..r.start + n), n, r.start);
            }
            Tag::Link { link_type, .. } | Tag::Image { link_type, .. } => {
                let image = matches!(tag, Tag::Image { .. });
                if matches!(
                    link_type,
                    LinkType::Inline | LinkType::Reference | LinkType::ReferenceUnknown
                ) {
                    let n = if image { 2 } else { 1 };
                    self.open_pair(Markup::Raw(r.start..r.start + n), 0, r.start);
                } else {
                    // The text is the address or the reference's label:
                    // changing it would break the link.
                    self.single(Markup::Raw(r));
                    self.skip_link = true;
                }
            }
            Tag::List(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.flush(),
        }
    }

    fn end(&mut self, tag: TagEnd, r: Range<usize>) {
        match tag {
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => self.close_pair(r),
            TagEnd::Heading(_) => {
                let text = self.current.as_ref().map(|b| pieces::plain(&b.pieces));
                self.flush();
                if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
                    self.headings.push((r.start, text.trim().to_string()));
                }
                self.in_heading = false;
            }
            TagEnd::Item => {
                self.flush();
                self.items = self.items.saturating_sub(1);
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                self.footnotes = self.footnotes.saturating_sub(1);
            }
            TagEnd::Table => {
                self.flush();
                self.table = false;
            }
            _ => self.flush(),
        }
    }

    fn building(&mut self, at: usize) -> &mut Building {
        // A unit starting with an escaped character (`\*`) starts at its
        // backslash: pulldown-cmark's text range leaves it out.
        let escaped = at > 0
            && self.body.as_bytes()[at - 1] == b'\\'
            && self.body[at..].starts_with(|c: char| c.is_ascii_punctuation());
        let at = if escaped && self.current.is_none() {
            at - 1
        } else {
            at
        };
        self.current.get_or_insert_with(|| Building {
            range: at..at,
            pieces: Vec::new(),
            markup: BTreeMap::new(),
            open: Vec::new(),
            prev_end: at,
        })
    }

    fn touch(&mut self, end: usize) {
        if let Some(b) = &mut self.current {
            b.range.end = b.range.end.max(end);
            b.prev_end = end;
        }
    }

    fn id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn single(&mut self, markup: Markup) {
        let (start, end) = match &markup {
            Markup::Raw(r) => (r.start, r.end),
            Markup::Call(c) => (self.calls[*c].range.start, self.calls[*c].range.end),
        };
        let id = self.id();
        let b = self.building(start);
        b.pieces.push(Piece::Ph(id));
        b.markup.insert(
            id,
            Pair {
                open: markup,
                close: None,
            },
        );
        self.touch(end);
    }

    fn open_pair(&mut self, open: Markup, closing: usize, at: usize) {
        let id = self.id();
        let b = self.building(at);
        b.pieces.push(Piece::Open(id));
        b.markup.insert(id, Pair { open, close: None });
        b.open.push((id, closing));
        let end = at
            + match &b.markup[&id].open {
                Markup::Raw(r) => r.len(),
                Markup::Call(_) => 0,
            };
        self.touch(end);
    }

    fn close_pair(&mut self, r: Range<usize>) {
        let body = self.body;
        let Some(b) = &mut self.current else {
            return;
        };
        let Some((id, closing)) = b.open.pop() else {
            return;
        };
        if b.pieces.last() == Some(&Piece::Open(id)) {
            // Nothing inside to translate: one mark for the whole thing.
            b.pieces.pop();
            b.pieces.push(Piece::Ph(id));
            b.markup.insert(
                id,
                Pair {
                    open: Markup::Raw(r.clone()),
                    close: None,
                },
            );
        } else {
            let from = if closing > 0 {
                r.end.saturating_sub(closing).max(b.prev_end)
            } else {
                // A link's `](target)`: from its `]`, after any skipped escape.
                body[b.prev_end.min(r.end)..r.end]
                    .find(']')
                    .map_or(b.prev_end, |i| b.prev_end + i)
            };
            b.pieces.push(Piece::Close(id));
            if let Some(pair) = b.markup.get_mut(&id) {
                pair.close = Some(Markup::Raw(from.min(r.end)..r.end));
            }
        }
        self.touch(r.end);
    }

    /// Text, with the inline shortcode calls inside it as placeholders.
    fn text(&mut self, text: &str, r: Range<usize>) {
        if r.end <= self.skip_until {
            return;
        }
        let start = r.start.max(self.skip_until);
        let inside: Vec<usize> = (0..self.calls.len())
            .filter(|&c| {
                let call = &self.calls[c];
                !call.block && call.range.start < r.end && call.range.end > start
            })
            .collect();
        if inside.is_empty() {
            let b = self.building(r.start);
            pieces::push_text(&mut b.pieces, text);
            self.touch(r.end);
            return;
        }
        let mut pos = start;
        for c in inside {
            let call = self.calls[c].range.clone();
            if call.start > pos {
                let before = self.body[pos..call.start].to_string();
                let b = self.building(pos);
                pieces::push_text(&mut b.pieces, &before);
            }
            self.single(Markup::Call(c));
            pos = call.end;
            self.skip_until = call.end;
        }
        if pos < r.end {
            let after = self.body[pos..r.end].to_string();
            let b = self.building(pos);
            pieces::push_text(&mut b.pieces, &after);
            self.touch(r.end);
        }
    }

    /// Ends the unit being read; it is offered when it has words.
    fn flush(&mut self) {
        let Some(b) = self.current.take() else {
            return;
        };
        let source = pieces::normalise(b.pieces);
        if !pieces::has_words(&source) {
            return;
        }
        self.blocks += 1;
        let heading = self
            .headings
            .iter()
            .rev()
            .find(|(at, _)| *at <= b.range.start)
            .map(|(_, h)| h.clone());
        let kind = if self.in_heading { "heading" } else { self.kind };
        self.units.push((
            b.range.start,
            Unit {
                id: format!("b{}", self.blocks),
                source,
                kind: kind.to_string(),
                heading,
                place: Place::Block {
                    range: b.range,
                    markup: b.markup,
                    table: self.table,
                },
            },
        ));
    }
}

impl Segmented {
    /// The body with each unit's translation (`None`: keep the source).
    /// `targets` is parallel to [`Segmented::units`].
    pub fn render_body(&self, targets: &[Option<Vec<Piece>>]) -> String {
        let mut slots: Vec<(Range<usize>, Slot)> = Vec::new();
        for (i, unit) in self.units.iter().enumerate() {
            if let Place::Block { range, .. } = &unit.place {
                slots.push((range.clone(), Slot::Unit(i)));
            }
        }
        let in_unit = |r: &Range<usize>| slots.iter().any(|(u, _)| u.start <= r.start && r.end <= u.end);
        let loose: Vec<(Range<usize>, Slot)> = (0..self.calls.len())
            .filter(|&c| !in_unit(&self.calls[c].range))
            .map(|c| (self.calls[c].range.clone(), Slot::Call(c)))
            .collect();
        slots.extend(loose);
        slots.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(self.body.len());
        let mut pos = 0;
        for (range, slot) in slots {
            if range.start < pos {
                continue;
            }
            out.push_str(&self.body[pos..range.start]);
            match slot {
                Slot::Unit(i) => self.render_unit(i, targets, &mut out),
                Slot::Call(c) => self.render_call(c, targets, &mut out),
            }
            pos = range.end;
        }
        out.push_str(&self.body[pos..]);
        out
    }

    fn render_unit(&self, i: usize, targets: &[Option<Vec<Piece>>], out: &mut String) {
        let unit = &self.units[i];
        let Place::Block { range, markup, table } = &unit.place else {
            return;
        };
        let target = targets
            .get(i)
            .and_then(Option::as_ref)
            .filter(|t| **t != unit.source);
        let Some(target) = target else {
            self.render_range(range.clone(), targets, out);
            return;
        };
        // Each piece as Markdown, then emphasis markers that the text
        // around them would stop Markdown from reading (`*end.*next`) are
        // mended.
        let mut parts: Vec<String> = target
            .iter()
            .enumerate()
            .map(|(n, piece)| {
                let mut part = String::new();
                match piece {
                    Piece::Text(text) => part.push_str(&escape(text, *table, n == 0)),
                    Piece::Ph(id) | Piece::Open(id) => {
                        if let Some(pair) = markup.get(id) {
                            self.render_markup(&pair.open, targets, &mut part);
                        }
                    }
                    Piece::Close(id) => {
                        if let Some(close) = markup.get(id).and_then(|p| p.close.as_ref()) {
                            self.render_markup(close, targets, &mut part);
                        }
                    }
                }
                part
            })
            .collect();
        for (n, piece) in target.iter().enumerate() {
            let Piece::Open(id) = piece else {
                continue;
            };
            if !is_emphasis(&parts[n]) {
                continue;
            }
            let Some(close) = target.iter().position(|p| *p == Piece::Close(*id)) else {
                continue;
            };
            let underscore = parts[n].starts_with('_');
            let opens = flanks(before(&parts, n), after(&parts, n), true, underscore);
            let closes = flanks(before(&parts, close), after(&parts, close), false, underscore);
            if opens && closes {
                continue;
            }
            // `*` is read in more places than `_`; where the text still
            // keeps it from counting (`。**次`, usual in CJK text), a zero
            // width space beside it does, and readers do not see it.
            if underscore {
                parts[n] = parts[n].replace('_', "*");
                parts[close] = parts[close].replace('_', "*");
            }
            if !flanks(before(&parts, n), after(&parts, n), true, false) {
                parts[n].push('\u{200b}');
            }
            if !flanks(before(&parts, close), after(&parts, close), false, false) {
                parts[close].insert(0, '\u{200b}');
            }
        }
        out.extend(parts);
    }

    fn render_markup(&self, markup: &Markup, targets: &[Option<Vec<Piece>>], out: &mut String) {
        match markup {
            Markup::Raw(r) => out.push_str(&self.body[r.clone()]),
            Markup::Call(c) => self.render_call(*c, targets, out),
        }
    }

    /// The source bytes of `range`, with the calls inside it translated.
    fn render_range(&self, range: Range<usize>, targets: &[Option<Vec<Piece>>], out: &mut String) {
        let mut pos = range.start;
        for (c, call) in self.calls.iter().enumerate() {
            if call.range.start >= pos && call.range.end <= range.end {
                out.push_str(&self.body[pos..call.range.start]);
                self.render_call(c, targets, out);
                pos = call.range.end;
            }
        }
        out.push_str(&self.body[pos..range.end]);
    }

    fn render_call(&self, c: usize, targets: &[Option<Vec<Piece>>], out: &mut String) {
        let call = &self.calls[c];
        let mut pos = call.range.start;
        for (a, arg) in call.args.iter().enumerate() {
            let unit = self.arg_units[c][a];
            let source = &self.units[unit].source;
            let target = targets
                .get(unit)
                .and_then(Option::as_ref)
                .filter(|t| *t != source);
            if let Some(target) = target {
                out.push_str(&self.body[pos..arg.value.start]);
                out.push_str(&quote_value(&pieces::plain(target), arg.quote));
                pos = arg.value.end;
            }
        }
        out.push_str(&self.body[pos..call.range.end]);
    }
}

enum Slot {
    Unit(usize),
    Call(usize),
}

/// A run of emphasis, strong or strikethrough markers.
fn is_emphasis(marker: &str) -> bool {
    matches!(marker, "*" | "_" | "**" | "__" | "~" | "~~")
}

/// The character before part `n`, if any.
fn before(parts: &[String], n: usize) -> Option<char> {
    parts[..n].iter().rev().find_map(|p| p.chars().next_back())
}

fn after(parts: &[String], n: usize) -> Option<char> {
    parts[n + 1..].iter().find_map(|p| p.chars().next())
}

/// CommonMark's flanking rules: whether a marker between `prev` and `next`
/// can open (or close) emphasis.
fn flanks(prev: Option<char>, next: Option<char>, opening: bool, underscore: bool) -> bool {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| {
        c.is_some_and(|c| c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace()))
    };
    let left = !space(next) && (!punct(next) || space(prev) || punct(prev));
    let right = !space(prev) && (!punct(prev) || space(next) || punct(next));
    match (opening, underscore) {
        (true, false) => left,
        (false, false) => right,
        (true, true) => left && (!right || punct(prev)),
        (false, true) => right && (!left || punct(next)),
    }
}

/// Translated text as Markdown text: every character that could start
/// markup is escaped (`\*`), `|` too in a table, and a line-start marker
/// (`#`, `>`, `-`, `1.`) at the start of a unit.
fn escape(text: &str, table: bool, at_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '~' | '{' | '}'
        ) || (table && c == '|')
            || (at_start && i == 0 && matches!(c, '#' | '>' | '-' | '+' | '='));
        let numbered =
            at_start && matches!(c, '.' | ')') && i > 0 && text[..i].bytes().all(|b| b.is_ascii_digit());
        if special || numbered {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Segmented {
    /// What each placeholder of unit `i` stands for, as translators see it.
    pub fn placeholders(&self, i: usize) -> BTreeMap<u32, (String, Option<String>)> {
        let Some(Unit {
            place: Place::Block { markup, .. },
            ..
        }) = self.units.get(i)
        else {
            return BTreeMap::new();
        };
        let text = |m: &Markup| match m {
            Markup::Raw(r) => self.body[r.clone()].to_string(),
            Markup::Call(c) => self.body[self.calls[*c].range.clone()].to_string(),
        };
        markup
            .iter()
            .map(|(id, pair)| (*id, (text(&pair.open), pair.close.as_ref().map(text))))
            .collect()
    }
}
