//! One inverted index per language, built from the model: which pages hold
//! each term, and how strongly (title > headings > taxonomy terms >
//! description > body). Only text written in that language is indexed:
//! fallback copies, `search: false` pages and the home are left out (drafts
//! never reach the model unless built with `--drafts`).

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Event, Options, Parser, TagEnd};

use super::normalize::{self, Mode, Term, Token};
use crate::markdown::Heading;
use crate::model::{EntryId, Site};
use crate::render::Env;

/// How much one occurrence of a term counts, by field.
const TITLE: u32 = 10;
const HEADING: u32 = 5;
const TAXONOMY: u32 = 3;
const DESCRIPTION: u32 = 2;
const BODY: u32 = 1;
/// Weights are stored in one byte's range: past this, more occurrences
/// say nothing more about relevance.
const MAX_WEIGHT: u32 = 255;
/// The text kept per page for result excerpts, in characters.
const EXCERPT_CHARS: usize = 400;

/// A page as a search result shows it.
#[derive(Debug, Clone)]
pub struct IndexedPage {
    /// Site path, unencoded: `/en/culture/ao-dai/`.
    pub path: String,
    pub title: String,
    /// Index into [`SearchIndex::sections`].
    pub section: Option<usize>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Description and the start of the body, for excerpts.
    pub text: String,
}

/// A top-level section, for the result's label and the section filter.
#[derive(Debug, Clone)]
pub struct IndexedSection {
    pub name: String,
    pub title: String,
    pub path: String,
}

/// One language's index.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pub lang: String,
    pub pages: Vec<IndexedPage>,
    pub sections: Vec<IndexedSection>,
    /// Folded term → exact form → `(page, weight)` by ascending page.
    pub terms: BTreeMap<String, BTreeMap<String, Vec<(u32, u32)>>>,
}

/// Builds the index of language `lang`.
pub fn build(env: &Env, lang: &str) -> SearchIndex {
    let site = &env.site;
    let sections: Vec<EntryId> = site
        .language(lang)
        .map(|l| l.sections.clone())
        .unwrap_or_default();
    let mut index = SearchIndex {
        lang: lang.to_string(),
        sections: sections
            .iter()
            .map(|&id| {
                let entry = &site.entries[id];
                IndexedSection {
                    name: site.doc(entry).content_path.clone(),
                    title: site.doc(entry).front.title.clone(),
                    path: entry.path.clone(),
                }
            })
            .collect(),
        ..SearchIndex::default()
    };
    let mut vocabulary = Vocabulary::default();
    // Postings by term id, pages ascending.
    let mut postings: Vec<Vec<(u32, u32)>> = Vec::new();
    for (id, entry) in site.entries.iter().enumerate() {
        let doc = site.doc(entry);
        let home = entry.is_section() && doc.content_path.is_empty();
        if entry.lang != lang || entry.is_fallback || !doc.front.search || home {
            continue;
        }
        let page = index.pages.len() as u32;
        let body = plain_text(&doc.body);
        let mut weights: Vec<(u32, u32)> = weigh_terms(env, id, &body, &mut vocabulary).into_iter().collect();
        weights.sort_unstable();
        for (term, weight) in weights {
            let term = term as usize;
            if postings.len() <= term {
                postings.resize_with(term + 1, Vec::new);
            }
            postings[term].push((page, weight.min(MAX_WEIGHT)));
        }
        let description = doc.front.description.as_deref().or(doc.front.summary.as_deref());
        let text = match description {
            Some(d) => format!("{d} {body}"),
            None => body,
        };
        index.pages.push(IndexedPage {
            path: entry.path.clone(),
            title: doc.front.title.clone(),
            section: top_section(site, id).and_then(|s| sections.iter().position(|&t| t == s)),
            date: doc.front.date.map(|d| d.format("%Y-%m-%d").to_string()),
            text: truncate_chars(text.trim(), EXCERPT_CHARS),
        });
    }
    for (term, list) in vocabulary.terms.into_iter().zip(postings) {
        if !list.is_empty() {
            index.terms.entry(term.fold).or_default().insert(term.exact, list);
        }
    }
    index
}

/// The distinct terms of one language, each folded once.
#[derive(Default)]
struct Vocabulary {
    by_token: HashMap<String, Option<u32>>,
    by_term: HashMap<Term, u32>,
    terms: Vec<Term>,
}

impl Vocabulary {
    fn id(&mut self, token: Token<'_>) -> Option<u32> {
        let text = match token {
            Token::Word(t) | Token::Gram(t) => t,
        };
        if let Some(&id) = self.by_token.get(text) {
            return id;
        }
        let term = match token {
            Token::Word(word) => normalize::word_term(word),
            Token::Gram(gram) => Some(normalize::cjk_term(gram)),
        };
        let id = term.map(|term| match self.by_term.get(&term) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                self.by_term.insert(term.clone(), id);
                self.terms.push(term);
                id
            }
        });
        self.by_token.insert(text.to_string(), id);
        id
    }
}

/// Every term of a page (by vocabulary id) with its summed field weights.
fn weigh_terms(env: &Env, id: EntryId, body: &str, vocabulary: &mut Vocabulary) -> HashMap<u32, u32> {
    let doc = env.site.doc(&env.site.entries[id]);
    let mut weights: HashMap<u32, u32> = HashMap::new();
    let mut add = |text: &str, weight: u32| {
        normalize::for_each_token(text, Mode::Index, |token| {
            if let Some(term) = vocabulary.id(token) {
                *weights.entry(term).or_default() += weight;
            }
        });
    };
    add(&doc.front.title, TITLE);
    let mut headings = Vec::new();
    flatten(&env.bodies[id].toc, &mut headings);
    for heading in headings {
        add(&heading.title, HEADING);
    }
    for terms in doc.front.taxonomies.values() {
        for term in terms {
            add(term, TAXONOMY);
        }
    }
    if let Some(description) = doc.front.description.as_deref().or(doc.front.summary.as_deref()) {
        add(description, DESCRIPTION);
    }
    add(body, BODY);
    weights
}

fn flatten<'a>(toc: &'a [Heading], out: &mut Vec<&'a Heading>) {
    for heading in toc {
        out.push(heading);
        flatten(&heading.children, out);
    }
}

/// The top-level section a page belongs to (itself for a top-level section).
fn top_section(site: &Site, id: EntryId) -> Option<EntryId> {
    let mut current = id;
    loop {
        let parent = site.entries[current].parent?;
        if site.entries[parent].parent.is_none() {
            // `parent` is the home: `current` is a top-level section or a
            // page right under the home.
            return site.entries[current].is_section().then_some(current);
        }
        current = parent;
    }
}

/// The readable text of a Markdown body: text and code, blocks separated by
/// a space; raw HTML and link targets are left out.
pub fn plain_text(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(end) if !is_inline(end) => out.push(' '),
            _ => {}
        }
    }
    out
}

fn is_inline(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}

fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
