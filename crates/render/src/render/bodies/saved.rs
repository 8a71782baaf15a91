//! The Markdown pass's records, kept for the next build: each entry's
//! summary and flags, where its HTML (with its headings) and search terms
//! (with its headings' text) are in the store the build kept
//! ([`Store::create`]), and the lexicon the terms are numbered in. An
//! incremental build models the last build's site again; with these it
//! takes that site's bodies as they were rather than rendering every
//! page's Markdown (about 1.7 s of a 10,000-article × 5 body edit's 4.4 s).
//!
//! The records are of the site the last build read, and of nothing else:
//! they carry the digest of its inputs ([`Saved::inputs`]), and are used
//! only for a model of exactly those inputs, whose entries are the
//! records' entries one for one. Each HTML and term record is checked
//! against its checksum as it is read. Bodies with covers are not kept:
//! those sites' builds are not patched (their images are processed).
//!
//! The records are packed in runs of [`RUN`] entries, each compressed on
//! its own, so that every core packs and reads some: written whole, the
//! records of 10,000 × 5 took 0.2 s of a one-paragraph patch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Bodies, Body};
use crate::render::kept::{KeptHtml, KeptTerms, Place, Store};
use crate::render::pieces::Pieces;
use vitrine_model::Site;
use vitrine_search::Lexicon;

/// The first bytes of a file of kept records, with its layout's version.
const MAGIC: &[u8; 8] = b"vbodies4";

/// Entries a run: enough runs for every core, each worth packing alone.
const RUN: usize = 512;

/// What a build keeps of its Markdown pass, as stored: the records in
/// runs, each postcard compressed with LZ4 ([`Pieces::runs`] writes it).
#[derive(Deserialize)]
struct Stored {
    /// The digest of the inputs the build read (the caller's).
    inputs: String,
    /// The lexicon the terms are numbered in ([`Lexicon::pack`]).
    lexicon: Vec<u8>,
    runs: Vec<Vec<u8>>,
}

/// [`Stored`], read back.
struct Saved {
    lexicon: Vec<u8>,
    bodies: Vec<SavedBody>,
    packed: Arc<PackedRuns>,
}

/// The runs of records a build read, compressed as they were stored, by
/// the hash of their records' bytes: a run whose records are the same
/// bytes again is kept as it was rather than compressed again (about half
/// the time a one-paragraph patch took to keep its records). Taken by the
/// first save, so that `serve` does not hold them while it serves.
#[derive(Default)]
pub(super) struct PackedRuns {
    by_hash: Mutex<HashMap<u128, Vec<u8>>>,
}

/// One entry's record.
#[derive(Serialize, Deserialize)]
struct SavedBody {
    /// The entry's file and language: the model must have the same.
    file: String,
    lang: String,
    summary: String,
    word_count: usize,
    html: Place,
    search: Option<(Place, usize)>,
    may_call_shortcodes: bool,
    may_link: bool,
}

/// Kept records read back, with the store they point into and the
/// lexicon their terms are numbered in.
pub struct KeptBodies {
    saved: Saved,
    store: Arc<Store>,
}

impl Bodies {
    /// The store the bodies' HTML is in, if they are kept on disk.
    pub fn store(&self) -> Option<&Arc<Store>> {
        self.store.as_ref()
    }

    /// These bodies as the next build reads them back ([`KeptBodies::read`]),
    /// for the model of the inputs whose digest is `inputs`; `lexicon`
    /// packed by [`Lexicon::pack`]. `Err` says why they cannot be kept:
    /// not in a named store, a cover, a default social image.
    pub fn save(&self, site: &Site, lexicon: Vec<u8>, inputs: &str) -> Result<Pieces, String> {
        let store = self
            .store
            .as_ref()
            .filter(|s| s.path().is_some())
            .ok_or("the bodies are not in a kept file")?;
        if self.social_default.is_some() {
            return Err("pages show a processed social image".into());
        }
        let read: HashMap<u128, Vec<u8>> = match &self.packed {
            Some(p) => std::mem::take(&mut *p.by_hash.lock().unwrap_or_else(PoisonError::into_inner)),
            None => HashMap::new(),
        };
        let entries: Vec<_> = site.entries.iter().zip(&self.entries).collect();
        let record = |(entry, body): &(&vitrine_model::Entry, &Body)| {
            if body.cover.is_some() || body.svg_cover.is_some() {
                return Err("pages have covers".to_string());
            }
            let search = match &body.search {
                Some(terms) => Some(terms.place_in(store).ok_or("search terms kept in memory")?),
                None => None,
            };
            Ok(SavedBody {
                file: site.doc(entry).file.clone(),
                lang: entry.lang.to_string(),
                summary: body.summary.to_string(),
                word_count: body.word_count,
                html: body.html.place_in(store).ok_or("a body kept in memory")?,
                search,
                may_call_shortcodes: body.may_call_shortcodes,
                may_link: body.may_link,
            })
        };
        let runs = entries
            .par_chunks(RUN)
            .map(|run| {
                let records = run.iter().map(record).collect::<Result<Vec<_>, String>>()?;
                let packed = postcard::to_stdvec(&records).map_err(|e| e.to_string())?;
                Ok(match read.get(&xxhash_rust::xxh3::xxh3_128(&packed)) {
                    Some(run) => run.clone(),
                    None => lz4_flex::compress_prepend_size(&packed),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        // Laid out as `Stored` is: its leading fields, then the runs.
        let head = postcard::to_stdvec(&(inputs, &lexicon)).map_err(|e| e.to_string())?;
        let mut pieces = Pieces::runs(head, runs);
        let mut magic = MAGIC.to_vec();
        magic.extend_from_slice(&pieces.xxh3_64().to_le_bytes());
        pieces.prepend(magic);
        Ok(pieces)
    }

    /// The bodies of `site` as the kept records give them, with the
    /// lexicon their terms are numbered in; `None` when the records are
    /// not of this site's entries (then render them).
    pub fn restore(site: &Site, kept: KeptBodies) -> Option<(Bodies, Lexicon)> {
        let KeptBodies { saved, store } = kept;
        if saved.bodies.len() != site.entries.len() {
            return None;
        }
        // Side by side, on every core: a patch waits for both with the
        // other core idle (0.03 s at 10,000 × 5, one after the other).
        let (lexicon, entries) = rayon::join(
            || Lexicon::unpack(&saved.lexicon),
            || {
                site.entries
                    .par_iter()
                    .zip(saved.bodies)
                    .map(|(entry, body)| {
                        if site.doc(entry).file != body.file || *entry.lang != *body.lang {
                            return None;
                        }
                        let search = match body.search {
                            Some((place, tokens)) => Some(KeptTerms::at(&store, place, tokens)?),
                            None => None,
                        };
                        Some(Body {
                            summary: body.summary.into_boxed_str(),
                            word_count: body.word_count,
                            html: KeptHtml::at(&store, body.html)?,
                            search,
                            cover: None,
                            svg_cover: None,
                            may_call_shortcodes: body.may_call_shortcodes,
                            may_link: body.may_link,
                        })
                    })
                    .collect::<Option<Vec<Body>>>()
            },
        );
        let (lexicon, entries) = (lexicon?, entries?);
        let bodies = Bodies {
            entries,
            social_default: None,
            store: Some(store),
            packed: Some(saved.packed),
        };
        Some((bodies, lexicon))
    }
}

impl KeptBodies {
    /// The records in `bytes` ([`Bodies::save`]) for the inputs whose
    /// digest is `inputs`, pointing into `store`; `None` when they are
    /// damaged, cut short or of other inputs.
    pub fn read(bytes: &[u8], inputs: &str, store: Arc<Store>) -> Option<KeptBodies> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let (checksum, packed) = rest.split_at_checked(8)?;
        if xxhash_rust::xxh3::xxh3_64(packed).to_le_bytes() != checksum {
            return None;
        }
        let stored: Stored = postcard::from_bytes(packed).ok()?;
        if stored.inputs != inputs {
            return None;
        }
        let runs = stored
            .runs
            .into_par_iter()
            .map(|run| {
                let packed = lz4_flex::decompress_size_prepended(&run).ok()?;
                let bodies = postcard::from_bytes::<Vec<SavedBody>>(&packed).ok()?;
                Some((bodies, (xxhash_rust::xxh3::xxh3_128(&packed), run)))
            })
            .collect::<Option<Vec<_>>>()?;
        let (bodies, packed): (Vec<_>, _) = runs.into_iter().unzip();
        let saved = Saved {
            lexicon: stored.lexicon,
            bodies: bodies.into_iter().flatten().collect(),
            packed: Arc::new(PackedRuns {
                by_hash: Mutex::new(packed),
            }),
        };
        Some(KeptBodies { saved, store })
    }
}
