//! The Markdown pass's records a build keeps beside its record
//! (`<record>.bodies`), and the file their HTML and search terms are in
//! (`<record>.store`). A build that renders everything writes a new store
//! (`<record>.store.new`, named `.store` once its output is recorded); a
//! patched build appends the bodies it renders to the store it read. The
//! records carry the digest of the inputs of the build that made them
//! ([`digest`]), and are used only to model exactly that build's site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use vitrine_model::EntryId;
use vitrine_render::render::{KeptBodies, Pieces, Prepared, Store};

use super::{Inputs, Record};

/// The Markdown records and loaded documents a build keeps ([`Keep::of`]).
pub struct Keep {
    records: Pieces,
    /// The store they point into: a new one ([`Inputs::new_store`]) or the
    /// one the last build kept, appended to.
    store: Arc<Store>,
    /// The documents the model holds ([`super::documents`]), or why none
    /// are kept.
    documents: Result<Pieces, String>,
    /// The related pages of its entries ([`super::related`]), when known.
    related: Option<Vec<u8>>,
}

impl Keep {
    /// The Markdown records and documents of `prepared`, a model of the
    /// inputs whose digest is `digest` ([`Inputs::digest`]), and its
    /// entries' `related` pages when they are known; `words`: its lexicon,
    /// packed. `Err` says why none can be kept.
    pub fn of(
        prepared: &Prepared,
        related: Option<&[Vec<EntryId>]>,
        words: Vec<u8>,
        digest: &str,
    ) -> Result<Keep, String> {
        let store = prepared
            .bodies
            .store()
            .filter(|s| s.path().is_some())
            .ok_or("the bodies are not in a kept file")?
            .clone();
        // Side by side: each ends with a long serial step (its runs
        // packed together and checksummed).
        let (records, documents) = rayon::join(
            || prepared.bodies.save(&prepared.site, words, digest),
            || super::documents::save(&prepared.site, digest),
        );
        let records = records?;
        let related = related.and_then(|r| super::related::save(r, digest).ok());
        Ok(Keep {
            records,
            store,
            documents,
            related,
        })
    }
}

/// The digest of a build's inputs: its vitrine, options and every input
/// file's hash.
fn digest(vitrine: &str, options: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut text = format!("{vitrine}\n{options}\n");
    for (path, hash) in inputs {
        text.push_str(path);
        text.push('\t');
        text.push_str(hash);
        text.push('\n');
    }
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

/// A new store for the Markdown records of a build of `output` (of the
/// site at `root`), when one can be made: `<record>.store.new`, named
/// `<record>.store` once the build is recorded. A store left there
/// before is unlinked, not cut short: a model reading it keeps reading it.
pub fn new_store(root: &Path, output: &Path) -> Option<Arc<Store>> {
    store_beside(&super::record_file(root, output))
}

/// [`new_store`], beside the record file `record`.
fn store_beside(record: &Path) -> Option<Arc<Store>> {
    let path = record.with_extension("store.new");
    std::fs::create_dir_all(path.parent()?).ok()?;
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return None,
        _ => {}
    }
    Store::create(&path).ok()
}

impl Inputs {
    fn with_extension(&self, extension: &str) -> PathBuf {
        self.file.with_extension(extension)
    }

    /// The digest of these inputs, which the records kept of this build
    /// carry.
    pub fn digest(&self) -> String {
        digest(&self.vitrine, &self.options, &self.hashes)
    }

    /// A new store for this build's Markdown records, when one can be made.
    pub fn new_store(&self) -> Option<Arc<Store>> {
        store_beside(&self.file)
    }

    /// The Markdown records the build of `record` kept, if they are whole
    /// and of its inputs.
    pub fn kept_bodies(&self, record: &Record) -> Option<KeptBodies> {
        self.bodies_of(&record.digest())
    }

    /// The Markdown records kept by the build whose inputs' digest is
    /// `digest`, if they are whole.
    pub(super) fn bodies_of(&self, digest: &str) -> Option<KeptBodies> {
        let bytes = std::fs::read(self.with_extension("bodies")).ok()?;
        let store = Store::reopen(&self.with_extension("store")).ok()?;
        KeptBodies::read(&bytes, digest, store)
    }

    /// Keeps this build's Markdown records and documents, or removes the
    /// last build's when there are none. The old ones go first: a build
    /// killed midway leaves none, or these whole; each carries the digest
    /// of its build's inputs, so none is taken for another build's.
    pub(super) fn keep_records(&self, kept: Result<Keep, String>) -> std::io::Result<()> {
        let (records, store, new, documents, related) = (
            self.with_extension("bodies"),
            self.with_extension("store"),
            self.with_extension("store.new"),
            self.with_extension("documents"),
            self.with_extension("related"),
        );
        super::remove_if_there(&records)?;
        super::remove_if_there(&documents)?;
        super::remove_if_there(&related)?;
        let Ok(keep) = kept else {
            super::remove_if_there(&store)?;
            return super::remove_if_there(&new);
        };
        // Renamed through the store: a model going on from this build
        // (`serve`'s) appends to it under its new name.
        let kept = keep.store.path();
        if kept.as_ref() == Some(&new) {
            keep.store.rename(&store)?;
        } else if kept.as_ref() != Some(&store) {
            return Err(std::io::Error::other(
                "the Markdown records point into another file",
            ));
        }
        let temporary = self.with_extension("bodies.new");
        keep.records.write(&temporary)?;
        std::fs::rename(&temporary, &records)?;
        if let Ok(pieces) = &keep.documents {
            let temporary = self.with_extension("documents.new");
            pieces.write(&temporary)?;
            std::fs::rename(&temporary, &documents)?;
        }
        if let Some(bytes) = &keep.related {
            let temporary = self.with_extension("related.new");
            std::fs::write(&temporary, bytes)?;
            std::fs::rename(&temporary, &related)?;
        }
        Ok(())
    }
}

impl Record {
    /// The digest of the inputs of the build this records, which the
    /// records it kept carry ([`Inputs::digest`]).
    pub fn digest(&self) -> String {
        digest(&self.vitrine, &self.options, &self.inputs)
    }
}
