//! Declared taxonomy terms and what front matter names. A term is one
//! concept with a stable key (its folder under `content/<taxonomy>/`) and a
//! name and slug per language; a page may name it by its key, a former key
//! (`renamed_from`) or its name in the page's language (or that language's
//! fallback chain). A name nothing declares is a free term, keyed by its
//! slug, when the taxonomy allows free terms; otherwise it is an error with
//! the closest known term as a hint. Collecting terms per language is
//! `taxonomy`'s job; this module only turns what is written into keys.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use vitrine_core::diagnostics::{Diagnostic, Diagnostics, Location};
use vitrine_core::shared::Shared;
use vitrine_core::slug::slugify;
use vitrine_load::config::{Config, TaxonomyConfig};
use vitrine_load::content::{Document, DocumentKind};

/// The keys a page names, by taxonomy, in the order written; an empty key
/// marks a free name that makes no slug (it has no term page).
///
/// Every page keeps one for the whole build. One list a page, each key
/// tagged with its taxonomy's place in `site.yaml` and shared by the pages
/// of a run that name it. A map of taxonomy names to lists of strings took
/// about 450 bytes a page (at 50,000 articles × 5 the model held 113 MB
/// for them); with this list the model stage ends 59 MiB lower there
/// (715 → 656 MiB held, `--timings`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageTerms(Box<[(usize, Arc<str>)]>);

impl PageTerms {
    /// The keys of the taxonomy at place `taxonomy` in `site.yaml`, in the
    /// order written.
    pub fn of(&self, taxonomy: usize) -> impl Iterator<Item = &str> + '_ {
        self.0
            .iter()
            .filter(move |(at, _)| *at == taxonomy)
            .map(|(_, key)| &**key)
    }
}

/// The declared terms of one taxonomy.
#[derive(Default)]
struct Declared<'a> {
    keys: BTreeSet<&'a str>,
    /// Former key → current key.
    renamed: HashMap<&'a str, &'a str>,
    /// Language → slug of a name or of a `slug:` → key.
    names: HashMap<&'a str, HashMap<String, &'a str>>,
    /// Names as written, by language, for hints.
    written: BTreeMap<&'a str, Vec<&'a str>>,
}

/// The taxonomy and key of a term document: `audiences/investors`.
pub fn term_of(doc: &Document) -> Option<(&str, &str)> {
    (doc.kind == DocumentKind::Term)
        .then(|| doc.content_path.split_once('/'))
        .flatten()
}

/// Whether pages may name terms the taxonomy does not declare: as
/// `free_terms:` says, else until it declares its first term.
pub fn allows_free_terms(tax: &TaxonomyConfig, documents: &[Arc<Document>]) -> bool {
    tax.free_terms.unwrap_or_else(|| {
        !documents
            .iter()
            .any(|d| term_of(d).is_some_and(|(t, _)| t == tax.name))
    })
}

/// Resolves every page's terms to keys, by document. Errors: a name no
/// term has where free terms are not allowed, a former key claimed by two
/// terms.
pub fn resolve(config: &Config, documents: &[Arc<Document>]) -> (Vec<PageTerms>, Diagnostics) {
    let mut errors = Diagnostics::new();
    let declared: Vec<Declared<'_>> = config
        .taxonomies
        .iter()
        .map(|tax| declare(&tax.name, documents, &mut errors))
        .collect();
    let free: Vec<bool> = config
        .taxonomies
        .iter()
        .map(|tax| allows_free_terms(tax, documents))
        .collect();
    // Pages name the same few hundred terms over and over: each written
    // name is made a slug once per run of documents (slugging every name
    // was about half of modelling 50,000 pages), the runs on all cores.
    let runs: Vec<(Vec<PageTerms>, Diagnostics)> = documents
        .par_chunks(DOCUMENTS_PER_RUN)
        .map(|run| {
            let mut errors = Diagnostics::new();
            let resolved = resolve_run(config, run, &declared, &free, &mut errors);
            (resolved, errors)
        })
        .collect();
    let mut resolved = Vec::with_capacity(documents.len());
    for (run, run_errors) in runs {
        resolved.extend(run);
        errors.extend(run_errors.into_vec());
    }
    (resolved, errors)
}

/// Documents resolved with one cache of slugs: enough for a few hundred
/// terms to be slugged rarely, few enough to spread over the cores.
const DOCUMENTS_PER_RUN: usize = 4096;

/// The terms of each page of `run`, in order ([`resolve`]).
fn resolve_run(
    config: &Config,
    run: &[Arc<Document>],
    declared: &[Declared<'_>],
    free: &[bool],
    errors: &mut Diagnostics,
) -> Vec<PageTerms> {
    let mut slugs: HashMap<&str, String> = HashMap::new();
    let mut shared = Shared::default();
    run.iter()
        .map(|doc| {
            if doc.kind != DocumentKind::Page {
                return PageTerms::default();
            }
            let chain: Vec<&str> = config
                .language(&doc.lang)
                .map(|l| l.chain.iter().map(String::as_str).collect())
                .unwrap_or_else(|| vec![doc.lang.as_str()]);
            let mut keys = Vec::new();
            for (t, tax) in config.taxonomies.iter().enumerate() {
                let Some(written) = doc.front.taxonomies.get(&tax.name) else {
                    continue;
                };
                for (i, name) in written.names().enumerate() {
                    let key = match key_of(&declared[t], &chain, name, &mut slugs) {
                        Some(k) => shared.get(k),
                        None if free[t] => shared.get(slug_of(name, &mut slugs)),
                        None => {
                            let location = written.location(i);
                            errors.push(unknown(&tax.name, &declared[t], doc, name, location));
                            continue;
                        }
                    };
                    keys.push((t, key));
                }
            }
            PageTerms(keys.into_boxed_slice())
        })
        .collect()
}

fn declare<'a>(taxonomy: &str, documents: &'a [Arc<Document>], errors: &mut Diagnostics) -> Declared<'a> {
    let mut declared = Declared::default();
    let terms = documents
        .iter()
        .filter_map(|d| Some((d, term_of(d)?)))
        .filter(|(_, (t, _))| *t == taxonomy);
    for (doc, (_, key)) in terms {
        declared.keys.insert(key);
        for old in &doc.front.rare().renamed_from {
            match declared.renamed.insert(old.as_str(), key) {
                Some(other) if other != key => errors.push(
                    Diagnostic::error(format!(
                        "`{old}` is named as the former key of two terms, `{other}` and `{key}`"
                    ))
                    .in_file(&doc.file)
                    .with_hint("a former key can lead to one term only; remove it from one `renamed_from`"),
                ),
                _ => {}
            }
        }
        let lang = doc.lang.as_str();
        let names = declared.names.entry(lang).or_default();
        names.insert(slugify(&doc.front.title), key);
        if let Some(slug) = &doc.front.slug {
            names.insert(slugify(slug), key);
        }
        declared.written.entry(lang).or_default().push(&doc.front.title);
    }
    declared
}

/// The key a written name stands for: a key, a former key, or a name in
/// one of the languages of `chain`, the page's own first.
fn key_of<'a, 'd>(
    declared: &Declared<'a>,
    chain: &[&str],
    written: &'d str,
    slugs: &mut HashMap<&'d str, String>,
) -> Option<&'a str> {
    let written = written.trim();
    if let Some(key) = declared.keys.get(written) {
        return Some(key);
    }
    if let Some(key) = declared.renamed.get(written) {
        return Some(key);
    }
    let slug = slug_of(written, slugs);
    chain
        .iter()
        .find_map(|lang| declared.names.get(lang)?.get(slug).copied())
}

/// `name` made a slug, once for each name.
fn slug_of<'d, 's>(name: &'d str, slugs: &'s mut HashMap<&'d str, String>) -> &'s str {
    slugs.entry(name).or_insert_with(|| slugify(name))
}

/// "`Investers` is not a term of `audiences`", with the closest key or
/// name in the page's language as a hint.
fn unknown(
    taxonomy: &str,
    declared: &Declared<'_>,
    doc: &Document,
    name: &str,
    at: Option<Location>,
) -> Diagnostic {
    let lower = name.trim().to_lowercase();
    let candidates = declared.keys.iter().copied().chain(
        declared
            .written
            .get(doc.lang.as_str())
            .into_iter()
            .flatten()
            .copied(),
    );
    let closest = candidates
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(2))
        .min();
    let known: Vec<&str> = declared.keys.iter().copied().collect();
    let hint = match closest {
        Some((_, c)) => format!("did you mean `{c}`?"),
        None => format!("the declared terms of `{taxonomy}` are {}", known.join(", ")),
    };
    let hint = format!(
        "{hint} Name a term by its key or by its name in this page's language; declare a new one as content/{taxonomy}/<key>/_index.md, or set `free_terms: true` for `{taxonomy}` in site.yaml"
    );
    let mut d = Diagnostic::error(format!("`{name}` is not a term of `{taxonomy}`"))
        .in_file(&doc.file)
        .with_hint(hint);
    if let Some(l) = at {
        d = d.at(l);
    }
    d
}
