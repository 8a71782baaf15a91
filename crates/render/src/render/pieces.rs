//! A kept file made of runs packed apart (each run on some core), written
//! piece by piece rather than gathered into one buffer first. The Markdown
//! records and documents a build keeps are 45 MB at 10,000 articles × 5
//! languages; gathering them copied them three times, each time into
//! freshly mapped memory: a fifth of a one-paragraph patch's page faults.
//!
//! The runs are laid out as postcard lays out a `Vec<Vec<u8>>` (their
//! count, then each run's length and bytes, both as varints), so the file
//! reads back with `postcard::from_bytes::<Vec<&[u8]>>`, borrowing each run.

use std::io::{self, Write};
use std::path::Path;

/// The bytes of a file, in order, as separate pieces.
#[derive(Default)]
pub struct Pieces {
    pieces: Vec<Vec<u8>>,
}

impl Pieces {
    /// `head`, then `runs` as postcard writes a `Vec<Vec<u8>>`.
    pub fn runs(head: Vec<u8>, runs: Vec<Vec<u8>>) -> Pieces {
        let mut pieces = Vec::with_capacity(2 * runs.len() + 1);
        let mut framing = head;
        varint(&mut framing, runs.len());
        for run in runs {
            varint(&mut framing, run.len());
            pieces.push(std::mem::take(&mut framing));
            pieces.push(run);
        }
        pieces.push(framing);
        Pieces { pieces }
    }

    /// Puts `head` before the pieces (a header that sums them up).
    pub fn prepend(&mut self, head: Vec<u8>) {
        self.pieces.insert(0, head);
    }

    /// The xxh3 hash of the bytes, 64 bits.
    pub fn xxh3_64(&self) -> u64 {
        self.hasher().digest()
    }

    /// The xxh3 hash of the bytes, 128 bits.
    pub fn xxh3_128(&self) -> u128 {
        self.hasher().digest128()
    }

    fn hasher(&self) -> xxhash_rust::xxh3::Xxh3 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for piece in &self.pieces {
            hasher.update(piece);
        }
        hasher
    }

    /// The bytes in one buffer (for tests).
    pub fn to_vec(&self) -> Vec<u8> {
        self.pieces.concat()
    }

    /// Writes the file at `path`, replacing what is there.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut file = std::fs::File::create(path)?;
        for piece in &self.pieces {
            file.write_all(piece)?;
        }
        file.flush()
    }
}

/// Appends `n` as postcard writes a length: seven bits a byte, lowest
/// first, the high bit set on every byte but the last.
fn varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces are the bytes postcard writes for the same runs, for
    /// lengths around each varint boundary; their hashes are the whole's.
    #[test]
    fn runs_are_laid_out_as_postcard_lays_out_a_vec_of_bytes() {
        for sizes in [vec![], vec![0], vec![1, 127, 128], vec![16_383, 16_384, 300_000]] {
            let runs: Vec<Vec<u8>> = sizes
                .iter()
                .enumerate()
                .map(|(i, &n)| vec![i as u8 + 1; n])
                .collect();
            let head = postcard::to_stdvec(&"inputs").expect("head");
            let pieces = Pieces::runs(head, runs.clone());
            let expected = postcard::to_stdvec(&("inputs", &runs)).expect("postcard");
            assert_eq!(pieces.to_vec(), expected, "{sizes:?}");
            assert_eq!(pieces.xxh3_64(), xxhash_rust::xxh3::xxh3_64(&expected));
            assert_eq!(pieces.xxh3_128(), xxhash_rust::xxh3::xxh3_128(&expected));
            let read: (&str, Vec<&[u8]>) = postcard::from_bytes(&expected).expect("read back");
            assert_eq!(read.1.len(), runs.len());
        }
    }

    #[test]
    fn a_prepended_head_comes_first_and_is_written() {
        let mut pieces = Pieces::runs(Vec::new(), vec![b"run".to_vec()]);
        pieces.prepend(b"head ".to_vec());
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("file");
        pieces.write(&path).expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"head \x01\x03run");
    }
}
