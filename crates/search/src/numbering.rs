//! The terms of one language's pages, numbered for its index
//! ([`super::index`]): each page's title, headings, taxonomy terms and
//! description looked up and weighted here, its body's terms read by
//! number from what the Markdown pass counted ([`super::lexicon`]), into a
//! [`Vocabulary`] and the [`Stream`] its postings are sorted from.

use std::sync::RwLockReadGuard;

use rayon::prelude::*;

use super::BodyTerms;
use super::lexicon::{Counted, Kept, Part, Tokens};
use super::normalize::{self, Mode};
use super::postings::Stream;
use super::vocabulary::{NONE, Vocabulary, gram_key};
use vitrine_model::EntryId;

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

/// Pages' terms with their weights, numbered in a vocabulary, and their
/// results' excerpts.
pub(super) struct Numbered {
    pub vocabulary: Vocabulary,
    /// The streams the postings are sorted from, one per run of pages, in
    /// page order.
    pub streams: Vec<Stream>,
    /// Each page's, in order.
    pub excerpts: Vec<String>,
}

/// At most this many runs of pages are numbered at once: each run holds
/// its own vocabulary until the runs are merged.
const MAX_RUNS: usize = 8;
/// A run holds at least this many pages: each run folds again the words
/// the others meet, and looks up its own copy of the lexicon's tokens, a
/// cost worth paying only for pages enough to share between cores.
const MIN_RUN: usize = 250;

/// The terms of the pages `ids`, numbered in the order the pages come.
/// The pages are cut into runs numbered on all cores, each in its own
/// vocabulary, whose terms are then given their numbers in the first
/// run's: a language's index is built on every core, so a large site's
/// languages are indexed one at a time, one language's streams held at
/// once ([`super::SIDE_BY_SIDE`]). Which number a term gets does not
/// change the index, whose terms are sorted by their text.
pub(super) fn number_pages(input: &super::Input<'_>, lang: &str, ids: &[EntryId]) -> Numbered {
    let runs = (ids.len() / MIN_RUN).clamp(1, rayon::current_num_threads().min(MAX_RUNS));
    let mut numbered = ids
        .par_chunks(ids.len().div_ceil(runs).max(1))
        .map(|run| number_run(input, lang, run))
        .collect::<Vec<_>>()
        .into_iter();
    let Some(mut all) = numbered.next() else {
        return Numbered {
            vocabulary: Vocabulary::default(),
            streams: Vec::new(),
            excerpts: Vec::new(),
        };
    };
    for run in numbered {
        let numbers = all.vocabulary.absorb(run.vocabulary);
        for mut stream in run.streams {
            stream.renumber(&numbers);
            all.streams.push(stream);
        }
        all.excerpts.extend(run.excerpts);
    }
    all
}

/// The terms of one run of pages, numbered on one core: each page's fields'
/// terms looked up here, its body's read by number from what the Markdown
/// pass counted. Room is reserved from those counts (and some for the
/// fields) rather than grown as pages are read.
fn number_run(input: &super::Input<'_>, lang: &str, ids: &[EntryId]) -> Numbered {
    // The lexicon is read-locked only here, on one core, and released
    // before the caller waits for the other runs: a thread waiting for
    // rayon may be given a page to count, which locks it to write.
    let parts = input.lexicon.read();
    let mut bodies = Bodies::new(&parts, lang);
    // Lexicon tokens (counted once per part that met them) bound the
    // bodies' terms, and the fields bring few the bodies lack: on the
    // benchmark corpus each language's vocabulary was within 0.3% of its
    // tokens. The room for `FIELD_TERMS` new terms a page that the stream
    // is given was, in the vocabulary, four times what it held. A large
    // stream is written out a block at a time ([`Stream::spilling`]).
    let tokens = bodies.tokens();
    let mut vocabulary = Vocabulary::with_capacity(tokens + tokens / 16);
    let fields = ids.len() * FIELD_TERMS;
    let postings = super::body_tokens(input, ids) + fields;
    let mut stream = Stream::spilling(postings, input.site.config.cache_dir());
    // Each page's terms are read once, here: their excerpt is taken now.
    let mut excerpts = Vec::with_capacity(ids.len());
    for &id in ids {
        let body = match input.bodies.get(id).and_then(|b| b.terms) {
            Some(source) => source.terms(),
            None => std::borrow::Cow::Owned(BodyTerms::default()),
        };
        // The fields' terms first: the vocabulary numbers terms as met.
        for_each_field_term(input, id, body.headings(), &mut vocabulary, |term, weight| {
            stream.push(term, weight)
        });
        bodies.for_each_term(body.counted(), &mut vocabulary, |term, count| {
            stream.push(term, count * BODY);
        });
        let description = description(input.site.doc(&input.site.entries[id]));
        excerpts.push(body.excerpt(description));
        stream.end_page();
    }
    Numbered {
        vocabulary,
        streams: vec![stream],
        excerpts,
    }
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

/// Calls `emit` with the terms of one page's title, headings, taxonomy
/// terms and description, with their field weights (its body's terms were
/// counted in the Markdown pass).
fn for_each_field_term(
    input: &super::Input<'_>,
    id: EntryId,
    headings: &[String],
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
    for heading in headings {
        add(heading, HEADING);
    }
    for terms in doc.front.taxonomies.iter() {
        for term in terms.names() {
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
