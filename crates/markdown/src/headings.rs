//! Headings: unique ids, the anchor link inside each heading, and the nested
//! table of contents.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Heading;
use vitrine_core::slug::slugify;

/// The id given to a heading whose text has no letters or digits.
const FALLBACK_ID: &str = "heading";

/// The ids already used in one page, so every heading gets its own.
#[derive(Debug, Default)]
pub(super) struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    /// The id for a heading: the author's `{#id}` as written, otherwise the
    /// slug of its text with `-1`, `-2`, … added when already taken.
    fn assign(&mut self, explicit: Option<&str>, title: &str) -> String {
        if let Some(id) = explicit {
            // The author's choice wins even over an earlier duplicate: they
            // asked for that exact anchor.
            self.used.insert(id.to_string());
            return id.to_string();
        }
        let mut base = slugify(title);
        if base.is_empty() {
            base = FALLBACK_ID.to_string();
        }
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// A heading being read: its opening tag and everything inside it, held back
/// until its end, because the id depends on the whole text.
pub(super) struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
    title: String,
}

impl<'a> OpenHeading<'a> {
    pub(super) fn new(
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    ) -> Self {
        OpenHeading {
            level,
            id,
            classes,
            attrs,
            inner: Vec::new(),
            title: String::new(),
        }
    }

    pub(super) fn push(&mut self, event: Event<'a>) {
        if let Event::Text(t) | Event::Code(t) | Event::InlineMath(t) = &event {
            self.title.push_str(t);
        }
        self.inner.push(event);
    }

    /// The heading's events with its id set and the anchor link appended:
    /// `<h2 id="x">Title <a class="anchor" href="#x" aria-hidden="true" tabindex="-1">#</a></h2>`
    /// (hidden from assistive technology, so it must not take keyboard focus either).
    /// Also returns the table-of-contents entry.
    pub(super) fn finish(self, ids: &mut HeadingIds) -> (Vec<Event<'a>>, Heading) {
        let title = self.title.trim().to_string();
        let id = ids.assign(self.id.as_deref(), &title);
        let anchor = format!(
            " <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
            escape_attr(&id)
        );
        let mut events = Vec::with_capacity(self.inner.len() + 3);
        events.push(Event::Start(Tag::Heading {
            level: self.level,
            id: Some(CowStr::from(id.clone())),
            classes: self.classes,
            attrs: self.attrs,
        }));
        events.extend(self.inner);
        events.push(Event::InlineHtml(anchor.into()));
        events.push(Event::End(TagEnd::Heading(self.level)));
        let entry = Heading {
            level: self.level as u32,
            id,
            title,
            children: Vec::new(),
        };
        (events, entry)
    }
}

/// Escapes text for a double-quoted HTML attribute.
pub(super) fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Nests headings in document order by level: each heading holds the
/// following deeper ones until one of its level or higher comes. A skipped
/// level (h2 then h4) simply nests the h4 under the h2.
pub(super) fn nest(flat: Vec<Heading>) -> Vec<Heading> {
    let mut roots = Vec::new();
    let mut open: Vec<Heading> = Vec::new();
    for heading in flat {
        while open.last().is_some_and(|top| top.level >= heading.level) {
            close_last(&mut open, &mut roots);
        }
        open.push(heading);
    }
    while !open.is_empty() {
        close_last(&mut open, &mut roots);
    }
    roots
}

fn close_last(open: &mut Vec<Heading>, roots: &mut Vec<Heading>) {
    if let Some(done) = open.pop() {
        match open.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u32, id: &str) -> Heading {
        Heading {
            level,
            id: id.to_string(),
            title: id.to_string(),
            children: Vec::new(),
        }
    }

    #[test]
    fn nests_by_level() {
        let toc = nest(vec![h(2, "a"), h(3, "b"), h(3, "c"), h(2, "d"), h(4, "e")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "e");
    }

    #[test]
    fn ids_are_unique_and_explicit_ids_win() {
        let mut ids = HeadingIds::default();
        assert_eq!(ids.assign(None, "Intro"), "intro");
        assert_eq!(ids.assign(None, "Intro"), "intro-1");
        assert_eq!(ids.assign(Some("intro-2"), "x"), "intro-2");
        assert_eq!(ids.assign(None, "Intro"), "intro-3");
        assert_eq!(ids.assign(None, "!!!"), "heading");
    }
}
