//! The related pages of each entry of the site a build modelled, kept
//! beside its record (`<record>.related`): a patch models the last build's
//! site again to find what a change reaches, and takes that site's related
//! pages from here rather than comparing every page's terms with every
//! other's again (0.13 s of a one-paragraph patch at 10,000 × 5).
//!
//! They are of the site of exactly one build's inputs: the file carries
//! the digest of those inputs ([`super::Inputs::digest`]) and a checksum
//! of the rest, and is read only for a model of the same digest, with as
//! many entries as it has lists. Anything else reads as absent, and the
//! patch computes them.

use std::sync::Arc;

use vitrine_model::EntryId;

use super::Inputs;

/// The first word of the file, with the layout's version.
const HEADER: &str = "vitrine-related-1";

/// Related pages by entry.
pub type Related = Arc<Vec<Vec<EntryId>>>;

/// `related` as the next build reads it, for the build whose inputs'
/// digest is `digest`.
pub fn save(related: &[Vec<EntryId>], digest: &str) -> Result<Vec<u8>, String> {
    let body = postcard::to_stdvec(related).map_err(|e| e.to_string())?;
    let mut bytes = format!("{HEADER} {digest} {:032x}\n", checksum(&body)).into_bytes();
    bytes.extend(body);
    Ok(bytes)
}

/// The related pages in `bytes`, when they are whole and were kept by the
/// build whose inputs' digest is `digest`.
fn read(bytes: &[u8], digest: &str) -> Option<Vec<Vec<EntryId>>> {
    let end = bytes.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..end]).ok()?;
    let body = &bytes[end + 1..];
    if header != format!("{HEADER} {digest} {:032x}", checksum(body)) {
        return None;
    }
    postcard::from_bytes(body).ok()
}

fn checksum(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

impl Inputs {
    /// The related pages kept by the build whose inputs' digest is
    /// `digest`, if they are whole.
    pub(super) fn related_of(&self, digest: &str) -> Option<Related> {
        let bytes = std::fs::read(self.file.with_extension("related")).ok()?;
        read(&bytes, digest).map(Arc::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_related_pages_of_the_same_build_are_read() {
        let related: Vec<Vec<EntryId>> = (0..300).map(|i| vec![i + 1, i + 2, 7]).collect();
        let bytes = save(&related, "d1").expect("save");
        assert_eq!(read(&bytes, "d1"), Some(related));
        // Another build's, cut short, or with one byte changed: not read.
        assert!(read(&bytes, "d2").is_none());
        assert!(read(&bytes[..bytes.len() - 3], "d1").is_none());
        let mut flipped = bytes.clone();
        flipped[bytes.len() / 2] ^= 1;
        assert!(read(&flipped, "d1").is_none());
    }
}
