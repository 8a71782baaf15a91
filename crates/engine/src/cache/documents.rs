//! The documents a build loaded, kept beside its record
//! (`<record>.documents`): a patch takes the unchanged files' documents
//! from here rather than reading and parsing every content file again
//! ([`vitrine_load::content::load_as_before`]). On 10,000 articles × 5
//! languages that read is about 0.9 s of a 3 s patch.
//!
//! The file opens with a line naming its layout, the digest of the inputs
//! of the build that kept it ([`Inputs::digest`]) and a checksum of the
//! rest; then the documents in postcard, in runs read in parallel (the
//! few free-form front matter values, `extra:`, are kept as JSON text:
//! see `RareFields`). A file of another build, another layout, or damaged
//! is not read.

use std::collections::HashMap;

use rayon::prelude::*;
use vitrine_load::content::Document;
use vitrine_model::Site;
use vitrine_render::render::Pieces;

use super::Inputs;

/// The first word of the file, with the layout's version.
const HEADER: &str = "vitrine-documents-2";

/// Documents a run: enough runs for every core, each worth reading alone.
const RUN: usize = 512;

/// The documents of `site` the next build may take ([`Document::kept_as`]),
/// for the build whose inputs' digest is `digest`; `Err` says why none
/// can be kept.
pub fn save(site: &Site, digest: &str) -> Result<Pieces, String> {
    let kept: Vec<&Document> = site
        .documents
        .iter()
        .filter(|d| d.kept_as().is_some())
        .map(|d| &**d)
        .collect();
    let runs: Vec<Vec<u8>> = kept
        .par_chunks(RUN)
        .map(|run| postcard::to_stdvec(run).map_err(|e| format!("a document cannot be kept: {e}")))
        .collect::<Result<_, _>>()?;
    let mut pieces = Pieces::runs(Vec::new(), runs);
    let header = format!("{HEADER} {digest} {:032x}\n", pieces.xxh3_128());
    pieces.prepend(header.into_bytes());
    Ok(pieces)
}

/// The documents in `bytes`, by path under `content/`, when they are
/// whole and were kept by the build whose inputs' digest is `digest`.
fn read(bytes: &[u8], digest: &str) -> Option<HashMap<String, Box<Document>>> {
    let end = bytes.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..end]).ok()?;
    let body = &bytes[end + 1..];
    let expected = format!("{HEADER} {digest} {:032x}", checksum(body));
    if header != expected {
        return None;
    }
    let runs: Vec<&[u8]> = postcard::from_bytes(body).ok()?;
    // Each document named and boxed on the cores that read it: the map is
    // then filled with pointers, not whole documents moved one by one
    // (the read and the load took 0.03 s longer each at 10,000 × 5,
    // the other core idle).
    let runs: Vec<Vec<(String, Box<Document>)>> = runs
        .into_par_iter()
        .map(|run| {
            let documents: Vec<Document> = postcard::from_bytes(run).ok()?;
            documents
                .into_iter()
                .map(|document| Some((document.kept_as()?.to_string(), Box::new(document))))
                .collect()
        })
        .collect::<Option<_>>()?;
    let mut by_name = HashMap::with_capacity(runs.iter().map(Vec::len).sum());
    by_name.extend(runs.into_iter().flatten());
    Some(by_name)
}

fn checksum(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

impl Inputs {
    /// The documents loaded by the build whose inputs' digest is `digest`,
    /// by path under `content/`, if they are whole; none otherwise.
    pub(super) fn documents_of(&self, digest: &str) -> HashMap<String, Box<Document>> {
        std::fs::read(self.file.with_extension("documents"))
            .ok()
            .and_then(|bytes| read(&bytes, digest))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's sample portal, loaded as a build loads it.
    fn sample_portal() -> vitrine_render::render::Prepared {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let options = crate::options::BuildOptions {
            root,
            ..Default::default()
        };
        crate::pipeline::load(&options).expect("load").0
    }

    /// Every document of the sample portal (rare fields, typed fields,
    /// terms, bundles, change notes, sources) reads back as it was loaded;
    /// a page's Markdown stays in its file.
    #[test]
    fn the_sample_portals_documents_read_back_as_loaded() {
        let prepared = sample_portal();
        let saved = save(&prepared.site, "d").expect("save").to_vec();
        let read_back = read(&saved, "d").expect("read");
        let kept: Vec<&Document> = prepared
            .site
            .documents
            .iter()
            .filter(|d| d.kept_as().is_some())
            .map(|d| &**d)
            .collect();
        assert!(kept.len() > 250, "{}", kept.len());
        assert_eq!(read_back.len(), kept.len());
        let rare = kept
            .iter()
            .filter(|d| *d.front.rare() != Default::default())
            .count();
        assert!(rare > 20, "{rare} documents with rare fields");
        for document in kept {
            let name = document.kept_as().expect("kept");
            assert_eq!(
                format!("{:?}", read_back[name]),
                format!("{document:?}"),
                "{name}"
            );
        }
        let page = read_back
            .values()
            .find(|d| d.kind == vitrine_load::content::DocumentKind::Page)
            .expect("a page");
        assert!(page.in_file.is_some() && page.body.is_empty());
    }

    #[test]
    fn only_whole_documents_of_the_same_build_are_read() {
        let bytes = save(&sample_portal().site, "d1").expect("save").to_vec();
        assert!(read(&bytes, "d1").is_some());
        // Another build's, cut short, or with one byte changed: not read.
        assert!(read(&bytes, "d2").is_none());
        assert!(read(&bytes[..bytes.len() - 3], "d1").is_none());
        let mut flipped = bytes.clone();
        flipped[bytes.len() / 2] ^= 1;
        assert!(read(&flipped, "d1").is_none());
    }
}
