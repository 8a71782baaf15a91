//! One inverted index per language, built from the model: which pages hold
//! each term, and how strongly (title > headings > taxonomy terms >
//! description > body). Only text written in that language is indexed:
//! fallback copies, `search: false` pages and the home are left out (drafts
//! never reach the model unless built with `--drafts`).

use std::ops::Range;

use rayon::prelude::*;

use super::normalize::Term;
use super::numbering::{Numbered, number_pages};
use super::postings::Postings;
use super::stem::WordForms;
use vitrine_model::{EntryId, Site};

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

/// Builds the index of language `lang`; fails when the terms written out
/// while it was built cannot be read back ([`super::stream`]).
pub fn build(input: &super::Input<'_>, lang: &str) -> std::io::Result<SearchIndex> {
    let site = &input.site;
    let (sections, ids) = sections_and_pages(site, lang);
    let Numbered {
        vocabulary,
        streams,
        excerpts,
    } = number_pages(input, lang, &ids);
    let postings = Postings::build(vocabulary.terms.len(), streams)?;
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
    Ok(index)
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
    order.par_sort_unstable_by(|&x, &y| {
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

/// Whether `s` holds a character past U+FFFF (four bytes in UTF-8).
fn has_wide(s: &str) -> bool {
    s.bytes().any(|b| b >= 0xF0)
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
