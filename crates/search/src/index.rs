//! One inverted index per language, built from the model: which pages hold
//! each term, and how strongly (title > headings > taxonomy terms >
//! description > body). Only text written in that language is indexed:
//! fallback copies, `search: false` pages and the home are left out (drafts
//! never reach the model unless built with `--drafts`).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::RwLockReadGuard;

use rayon::prelude::*;

use super::BodyTerms;
use super::lexicon::{Counted, Kept, Part, Tokens};
use super::normalize::{self, Mode, Term};
use super::postings::{Postings, Stream};
use super::stem::WordForms;
use super::vocabulary::{NONE, Vocabulary, gram_key};
use vitrine_markdown::Heading;
use vitrine_model::{EntryId, Site};

/// How much one occurrence of a term counts, by field.
const TITLE: u32 = 10;
const HEADING: u32 = 5;
const TAXONOMY: u32 = 3;
const DESCRIPTION: u32 = 2;
const BODY: u32 = 1;
/// A token of the lexicon not yet given a term in this index.
const UNSEEN: u32 = NONE - 1;
/// Room made per page for terms of its fields (title, headings, taxonomy
/// terms, description) that its body does not hold.
const FIELD_TERMS: usize = 16;

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
    /// The page's translation group, as a number that stays when other
    /// pages come and go ([`group_number`]): a reader's fallback results
    /// show a page once.
    pub group: u64,
    /// The other languages with their own text of this page: a fallback
    /// result is left out where the reader's language has one.
    pub translations: Vec<String>,
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
    /// The terms, sorted by folded form in UTF-16 order (as the script
    /// compares strings).
    pub terms: Vec<IndexedTerm>,
    /// Every term's postings, packed ([`super::postings::pack`]); a term's
    /// variants hold ranges of it.
    pub postings: Vec<u32>,
    /// The language's stemmer, when it has one and `site.yaml` leaves it on.
    pub word_forms: Option<WordForms>,
    /// Each stem shared by several terms (or by a term that is not the stem
    /// itself), in the script's order, with those terms (indexes into
    /// [`SearchIndex::terms`]): a query word finds its other forms here.
    pub stems: Vec<(String, Vec<u32>)>,
}

/// One folded term and what it stands for.
#[derive(Debug, Default)]
pub struct IndexedTerm {
    pub fold: String,
    /// Each exact form (in byte order) with where its postings are in
    /// [`SearchIndex::postings`] (pages ascending).
    pub variants: Vec<(String, Range<usize>)>,
}

/// Builds the index of language `lang`.
pub fn build(input: &super::Input<'_>, lang: &str) -> SearchIndex {
    let site = &input.site;
    let (sections, ids) = sections_and_pages(site, lang);
    // Each page's terms and their weights, in a stream the postings are
    // sorted from: its fields' terms looked up here, its body's read by
    // number from what the Markdown pass counted. Room is reserved from
    // those counts (and some for the fields) rather than grown as pages are
    // read.
    let parts = input.lexicon.read();
    let mut bodies = Bodies::new(&parts, lang);
    // Lexicon tokens (counted once per part that met them) bound the
    // bodies' terms.
    let mut vocabulary = Vocabulary::with_capacity(bodies.tokens() + ids.len() * FIELD_TERMS);
    let mut stream = Stream::with_capacity(super::body_tokens(input, lang) + ids.len() * FIELD_TERMS);
    // Each page's terms are read once, here: their excerpt is taken now.
    let mut excerpts = Vec::with_capacity(ids.len());
    read_ahead(input, &ids, |read| {
        for (&id, (body, excerpt)) in ids.iter().zip(read) {
            for_each_field_term(input, id, &mut vocabulary, |term, weight| {
                stream.push(term, weight)
            });
            if let Some(body) = body {
                bodies.for_each_term(body.counted(), &mut vocabulary, |term, count| {
                    stream.push(term, count * BODY);
                });
            }
            excerpts.push(excerpt);
            stream.end_page();
        }
    });
    // The lexicon is read-locked: released before anything below runs on
    // other cores, where a thread waiting for rayon may be given a page to
    // count.
    drop(bodies);
    drop(parts);
    let postings = Postings::build(vocabulary.terms.len(), &stream);
    drop(stream);
    let mut index = SearchIndex {
        lang: lang.to_string(),
        sections: indexed_sections(site, &sections),
        pages: ids
            .par_iter()
            .zip(excerpts)
            .map(|(&id, text)| result_entry(input, id, text, &sections))
            .collect(),
        ..SearchIndex::default()
    };
    index.terms = sorted_terms(vocabulary.terms, &postings);
    index.postings = postings.flat;
    let stem_on = site.config.languages.iter().any(|l| l.code == lang && l.stem);
    index.word_forms = WordForms::of(lang).filter(|_| stem_on);
    if let Some(forms) = &index.word_forms {
        index.stems = stems(&index.terms, forms);
    }
    index
}

/// A page's body terms as the Markdown pass kept them (none: not indexed),
/// and its result's excerpt.
type ReadBody<'a> = (Option<Cow<'a, BodyTerms>>, String);

/// Pages read ahead of the loop numbering their terms ([`read_ahead`]).
const AHEAD: usize = 64;

/// Calls `numbering` with each page of `ids`' [`ReadBody`], in order,
/// read on a thread of its own a few pages ahead: reading a body's terms
/// back (from disk, decompressed and checked) and taking its excerpt were
/// a quarter of a language's index, which is built on one core. That
/// thread is not one of the pool's, and takes no lock: the loop holds the
/// lexicon's, and a pool thread waiting there could be handed a page to
/// count into it. Where no thread can be started, pages are read in turn.
fn read_ahead<'a>(
    input: &super::Input<'a>,
    ids: &[EntryId],
    numbering: impl FnOnce(&mut dyn Iterator<Item = ReadBody<'a>>),
) {
    let read = |id: EntryId| -> ReadBody<'a> {
        let site = input.site;
        let description = description(site.doc(&site.entries[id]));
        match input.bodies.get(id).and_then(|b| b.terms) {
            Some(source) => {
                let body = source.terms();
                let excerpt = body.excerpt(description);
                (Some(body), excerpt)
            }
            None => (None, BodyTerms::default().excerpt(description)),
        }
    };
    std::thread::scope(|scope| {
        let (sender, received) = std::sync::mpsc::sync_channel(AHEAD);
        let reader = std::thread::Builder::new()
            .name("search bodies".into())
            .spawn_scoped(scope, move || {
                for &id in ids {
                    if sender.send(read(id)).is_err() {
                        return;
                    }
                }
            });
        match reader {
            Ok(_) => numbering(&mut received.into_iter()),
            Err(_) => numbering(&mut ids.iter().map(|&id| read(id))),
        }
    });
}

/// A digest of what `lang`'s index holds besides its pages' terms and
/// excerpts: its sections, and page by page, each result's path, title,
/// section, date, group and translations. Two models of one outline, whose
/// pages have the same text, make the same index: a rebuild indexes again
/// only the languages whose outline or pages' text changed.
pub fn outline(input: &super::Input<'_>, lang: &str) -> u128 {
    let site = &input.site;
    let (sections, ids) = sections_and_pages(site, lang);
    let mut digest = xxhash_rust::xxh3::Xxh3::new();
    for section in indexed_sections(site, &sections) {
        for field in [&section.name, &section.title, &section.path] {
            digest.update(field.as_bytes());
            digest.update(b"\0");
        }
    }
    let pages: Vec<u64> = ids
        .par_iter()
        .map(|&id| {
            let IndexedPage {
                path,
                title,
                section,
                date,
                text: _,
                group,
                translations,
            } = result_entry(input, id, String::new(), &sections);
            let mut page = xxhash_rust::xxh3::Xxh3::new();
            for field in [&path, &title, date.as_deref().unwrap_or("-")]
                .into_iter()
                .chain(translations.iter().map(String::as_str))
            {
                page.update(field.as_bytes());
                page.update(b"\0");
            }
            page.update(&section.map_or(u64::MAX, |s| s as u64).to_le_bytes());
            page.update(&group.to_le_bytes());
            page.digest()
        })
        .collect();
    for page in pages {
        digest.update(&page.to_le_bytes());
    }
    digest.digest128()
}

/// The top-level sections of `lang`, and the pages its index holds.
fn sections_and_pages(site: &Site, lang: &str) -> (Vec<EntryId>, Vec<EntryId>) {
    let sections: Vec<EntryId> = site
        .language(lang)
        .map(|l| l.sections.clone())
        .unwrap_or_default();
    let ids: Vec<EntryId> = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.lang == lang && super::indexed(site, entry))
        .map(|(id, _)| id)
        .collect();
    (sections, ids)
}

fn indexed_sections(site: &Site, sections: &[EntryId]) -> Vec<IndexedSection> {
    sections
        .iter()
        .map(|&id| {
            let entry = &site.entries[id];
            IndexedSection {
                name: site.doc(entry).content_path.clone(),
                title: site.doc(entry).front.title.clone(),
                path: entry.path.clone(),
            }
        })
        .collect()
}

/// A translation group's number in the index: from what makes its pages
/// translations ([`vitrine_model::translation_key`]), so that a page
/// coming or going leaves the other groups' numbers, and the other
/// languages' indexes, as they were. Below 2^53, where the script's
/// numbers are exact.
fn group_number(site: &Site, entry: &vitrine_model::Entry) -> u64 {
    let (kind, key) = vitrine_model::translation_key(site.doc(entry));
    let text = format!("{kind:?}\0{key}");
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) & ((1 << 53) - 1)
}

/// The stems that lead a query word to terms other than its own fold: each
/// exact form of each term is stemmed once (on all cores), and the terms
/// are grouped by stem with a sort. A stem that is its only term's own
/// fold is left out: the word itself finds that term.
fn stems(terms: &[IndexedTerm], forms: &WordForms) -> Vec<(String, Vec<u32>)> {
    let mut stemmed: Vec<(String, u32)> = terms
        .par_iter()
        .enumerate()
        .flat_map_iter(|(t, term)| {
            let mut keys: Vec<String> = term.variants.iter().map(|(exact, _)| forms.key(exact)).collect();
            keys.dedup();
            keys.into_iter().map(move |key| (key, t as u32))
        })
        .collect();
    stemmed.par_sort_unstable_by(|(x, xt), (y, yt)| script_order(x, y).then(xt.cmp(yt)));
    stemmed.dedup();
    let mut out: Vec<(String, Vec<u32>)> = Vec::new();
    for (stem, t) in stemmed {
        match out.last_mut() {
            Some((last, group)) if *last == stem => group.push(t),
            _ => out.push((stem, vec![t])),
        }
    }
    out.retain(|(stem, group)| group.len() > 1 || group.iter().any(|&t| terms[t as usize].fold != *stem));
    out
}

/// Strings in the order JavaScript compares them (by UTF-16 code units):
/// byte order unless a character past U+FFFF is involved.
fn script_order(x: &str, y: &str) -> std::cmp::Ordering {
    if has_wide(x) || has_wide(y) {
        x.encode_utf16().cmp(y.encode_utf16())
    } else {
        x.cmp(y)
    }
}

/// The terms with postings, grouped by folded form in the script's order.
fn sorted_terms(mut terms: Vec<Term>, postings: &Postings) -> Vec<IndexedTerm> {
    let mut order: Vec<usize> = (0..terms.len())
        .filter(|&t| !postings.range(t).is_empty())
        .collect();
    order.sort_unstable_by(|&x, &y| {
        let (x, y) = (&terms[x], &terms[y]);
        script_order(&x.fold, &y.fold).then_with(|| x.exact.cmp(&y.exact))
    });
    let mut out: Vec<IndexedTerm> = Vec::new();
    for t in order {
        let term = std::mem::take(&mut terms[t]);
        let range = postings.range(t);
        match out.last_mut() {
            Some(last) if last.fold == term.fold => last.variants.push((term.exact, range)),
            _ => out.push(IndexedTerm {
                fold: term.fold,
                variants: vec![(term.exact, range)],
            }),
        }
    }
    out
}

/// The bodies of one language's pages as the Markdown pass counted them,
/// in the lexicon's numbers: each part's tokens of the language by number,
/// and what each token is in this index (a term, none, or not met yet), so
/// that a page's body is one array read per token.
struct Bodies<'a> {
    parts: Vec<(Vec<Option<Kept<'a>>>, Vec<u32>)>,
}

impl<'a> Bodies<'a> {
    fn new(parts: &'a [RwLockReadGuard<'a, Part>], lang: &str) -> Bodies<'a> {
        let parts = parts
            .iter()
            .map(|part| {
                let kept = part.tokens(lang).map(Tokens::by_number).unwrap_or_default();
                let terms = vec![UNSEEN; kept.len()];
                (kept, terms)
            })
            .collect();
        Bodies { parts }
    }

    /// How many tokens the parts number in this language (every term the
    /// bodies can hold, at most).
    fn tokens(&self) -> usize {
        self.parts.iter().map(|(_, terms)| terms.len()).sum()
    }

    /// Calls `emit` with the term and count of each token of a body.
    fn for_each_term(
        &mut self,
        counted: &Counted,
        vocabulary: &mut Vocabulary,
        mut emit: impl FnMut(u32, u32),
    ) {
        let Some((kept, terms)) = self.parts.get_mut(counted.part) else {
            return;
        };
        for (token, count) in counted.iter() {
            let Some(term) = terms.get_mut(token as usize) else {
                continue;
            };
            if *term == UNSEEN {
                *term = match kept.get(token as usize).copied().flatten() {
                    Some(Kept::Word(word)) => vocabulary.word(word).unwrap_or(NONE),
                    Some(Kept::Gram(key)) => vocabulary.gram(key),
                    None => NONE,
                };
            }
            if *term != NONE {
                emit(*term, count);
            }
        }
    }
}

/// Whether `s` holds a character past U+FFFF (four bytes in UTF-8).
fn has_wide(s: &str) -> bool {
    s.bytes().any(|b| b >= 0xF0)
}

/// Calls `emit` with the terms of one page's title, headings, taxonomy
/// terms and description, with their field weights (its body's terms were
/// counted in the Markdown pass).
fn for_each_field_term(
    input: &super::Input<'_>,
    id: EntryId,
    vocabulary: &mut Vocabulary,
    mut emit: impl FnMut(u32, u32),
) {
    let doc = input.site.doc(&input.site.entries[id]);
    // Cut as the Markdown pass cuts bodies (`Lexicon::count`).
    let mut add = |text: &str, weight: u32| {
        normalize::for_each_piece(text, |piece, cjk| {
            if cjk {
                normalize::for_each_gram(piece, Mode::Index, |c, d| {
                    emit(vocabulary.gram(gram_key(c, d)), weight);
                });
            } else if let Some(term) = vocabulary.word(piece) {
                emit(term, weight);
            }
        });
    };
    add(&doc.front.title, TITLE);
    let mut headings = Vec::new();
    flatten(input.bodies[id].toc, &mut headings);
    for heading in headings {
        add(&heading.title, HEADING);
    }
    for terms in doc.front.taxonomies.values() {
        for term in terms {
            add(term, TAXONOMY);
        }
    }
    if let Some(description) = description(doc) {
        add(description, DESCRIPTION);
    }
}

fn description(doc: &vitrine_load::content::Document) -> Option<&str> {
    doc.front.description.as_deref().or(doc.front.summary.as_deref())
}

/// A page as its search result shows it.
fn result_entry(input: &super::Input<'_>, id: EntryId, text: String, sections: &[EntryId]) -> IndexedPage {
    let site = &input.site;
    let entry = &site.entries[id];
    let doc = site.doc(entry);
    let translations = site.groups[entry.group]
        .entries
        .iter()
        .filter(|&(code, &other)| *code != entry.lang && !site.entries[other].is_fallback)
        .map(|(code, _)| code.clone())
        .collect();
    IndexedPage {
        path: site.entries[id].path.clone(),
        title: doc.front.title.clone(),
        section: top_section(site, id).and_then(|s| sections.iter().position(|&t| t == s)),
        date: doc.front.date.map(|d| d.format("%Y-%m-%d").to_string()),
        text,
        group: group_number(site, entry),
        translations,
    }
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
