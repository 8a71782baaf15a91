//! A feed's bytes → clean items. Pure: no files, no network, no clock, and
//! no panics on any input (this is the entry point to fuzz). Parsing is
//! `feed-rs`'s (Atom, RSS 0.9x/1.0/2.0, JSON Feed, the encoding its XML
//! prolog declares); cleaning is [`super::clean`]'s. Deciding what to write
//! is left to [`super::pages`].

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed};
use rayon::prelude::*;

use super::clean::{Cleaner, plain_text};

/// A feed, cleaned: every string in it is safe to write into a page.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<Item>,
    /// Things worth telling (duplicate guids, items without a title).
    pub warnings: Vec<String>,
}

/// One feed item, ready to become a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The item's identity: its guid or id, else its link.
    pub guid: String,
    /// Plain text (HTML in titles is reduced to its text).
    pub title: String,
    /// The original article, an absolute http(s) URL, when the item has one.
    pub link: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// Plain text.
    pub summary: Option<String>,
    /// The item's content as sanitized Markdown.
    pub body: String,
    pub categories: Vec<String>,
    pub author: Option<String>,
}

/// Why a feed could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FeedError(pub String);

/// Parses and cleans a feed. `base_url` is where it came from: relative
/// links in the feed and in its items' HTML are resolved against it.
pub fn parse_feed(bytes: &[u8], base_url: &str) -> Result<ParsedFeed, FeedError> {
    let base = url::Url::parse(base_url).ok();
    check_complete(bytes)?;
    let feed = feed_rs::parser::Builder::new()
        .base_uri(base.as_ref().map(url::Url::as_str))
        // An item without an id is known by its link; feed-rs's default
        // mixes in the title, which editors of the source may correct.
        .id_generator(|links, _title, _uri| links.first().map(|l| l.href.clone()).unwrap_or_default())
        .build()
        .parse(bytes)
        .map_err(|e| FeedError(format!("the feed cannot be read: {e}")))?;
    Ok(clean_feed(feed, base.as_ref()))
}

/// feed-rs reads a feed cut short (a dropped connection, a full disk at the
/// source) as a shorter feed; it is an error here: the rest would look
/// deleted or changed. A complete XML feed ends with its root's end tag.
fn check_complete(bytes: &[u8]) -> Result<(), FeedError> {
    let text = trim_ascii(bytes);
    let complete = match text.first() {
        Some(b'<') => text.ends_with(b">") && ends_with_close_tag(text),
        Some(b'{') => serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok(),
        _ => true,
    };
    if complete {
        Ok(())
    } else {
        Err(FeedError(
            "the feed is cut short: its end is missing (a dropped connection, or a broken feed at the source)".into(),
        ))
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes.trim_ascii()
}

/// The document ends with the end tag of its root element (`</rss>`,
/// `</feed>`, `</rdf:RDF>`), possibly followed by comments.
fn ends_with_close_tag(text: &[u8]) -> bool {
    let Some(root) = root_name(text) else {
        return false;
    };
    let mut end = text.len();
    loop {
        let tail = &text[..end];
        let Some(open) = tail.iter().rposition(|&b| b == b'<') else {
            return false;
        };
        let tag = &tail[open..];
        if tag.starts_with(b"<!--") {
            end = open;
            while end > 0 && text[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            continue;
        }
        let Some(name) = tag.strip_prefix(b"</") else {
            return false;
        };
        return name.strip_suffix(b">").is_some_and(|n| n.trim_ascii() == root);
    }
}

/// The name of the first element (after the prolog, comments and doctype).
fn root_name(text: &[u8]) -> Option<&[u8]> {
    let mut rest = text;
    loop {
        let open = rest.iter().position(|&b| b == b'<')?;
        rest = &rest[open + 1..];
        match rest.first()? {
            b'?' | b'!' => continue,
            _ => {
                let end = rest
                    .iter()
                    .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')?;
                return Some(&rest[..end]);
            }
        }
    }
}

fn clean_feed(feed: Feed, base: Option<&url::Url>) -> ParsedFeed {
    // A feed read from a file has no address: its site's link stands in.
    let site = feed.links.iter().find_map(|l| url::Url::parse(&l.href).ok());
    let base = base.or(site.as_ref());
    // Sanitizing and converting HTML is most of an import's work: items
    // are cleaned on every core, each thread with its own cleaner.
    let cleaned: Vec<Option<Item>> = feed
        .entries
        .into_par_iter()
        .map_init(|| Cleaner::new(base), |cleaner, entry| clean_item(entry, cleaner))
        .collect();
    let mut warnings = Vec::new();
    let mut items: Vec<Item> = Vec::with_capacity(cleaned.len());
    let mut seen = std::collections::HashSet::new();
    for (index, item) in cleaned.into_iter().enumerate() {
        let Some(item) = item else {
            warnings.push(format!(
                "item {} has neither a guid nor a link: skipped (nothing can tell it apart next time)",
                index + 1
            ));
            continue;
        };
        if !seen.insert(item.guid.clone()) {
            warnings.push(format!(
                "item {} repeats the guid `{}` of an earlier item: only the first is imported",
                index + 1,
                item.guid
            ));
            continue;
        }
        items.push(item);
    }
    ParsedFeed {
        title: feed
            .title
            .map(|t| plain_text(&t.content))
            .filter(|t| !t.is_empty()),
        items,
        warnings,
    }
}

fn clean_item(entry: Entry, cleaner: &Cleaner) -> Option<Item> {
    let link = entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .chain(&entry.links)
        .find_map(|l| cleaner.web_url(&l.href));
    let guid = Some(entry.id.trim().to_string())
        .filter(|id| !id.is_empty())
        .or_else(|| link.clone())?;
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .or(entry.summary.as_ref().map(|s| s.content.as_str()))
        .unwrap_or_default();
    let body = cleaner.markdown(html);
    // A summary that is also the body (RSS's lone description) is left for
    // the site to derive from the body.
    let has_content = entry.content.as_ref().is_some_and(|c| c.body.is_some());
    let summary = entry
        .summary
        .as_ref()
        .filter(|_| has_content)
        .map(|s| plain_text(&s.content))
        .filter(|s| !s.is_empty());
    let title = entry
        .title
        .as_ref()
        .map(|t| plain_text(&t.content))
        .filter(|t| !t.is_empty())
        .or_else(|| summary.as_deref().map(first_words))
        .or_else(|| Some(first_words(&plain_text(html))).filter(|t| !t.is_empty()))
        .unwrap_or_else(|| link.clone().unwrap_or_else(|| guid.clone()));
    let mut categories: Vec<String> = Vec::new();
    for c in &entry.categories {
        let name = plain_text(c.label.as_deref().unwrap_or(&c.term));
        if !name.is_empty() && !categories.contains(&name) {
            categories.push(name);
        }
    }
    let author = entry
        .authors
        .first()
        .and_then(|a| a.name.as_deref().map(plain_text))
        .filter(|a| !a.is_empty());
    Some(Item {
        guid,
        title,
        link,
        published: entry.published,
        updated: entry.updated,
        summary,
        body,
        categories,
        author,
    })
}

/// A title made from text: its first dozen words.
fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(12).collect();
    let mut title = words.join(" ");
    if text.split_whitespace().nth(12).is_some() {
        title.push('…');
    }
    title
}
