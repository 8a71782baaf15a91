//! Where the Markdown pass keeps what it made of each body until the
//! outputs reading it are made: LZ4-compressed, in an unnamed file under
//! the site's `.vitrine-cache/` (gone when the build ends, even when
//! killed), or in memory when that folder cannot be written. A body's HTML
//! and headings ([`KeptHtml`]) are read by its own page and the few feeds
//! showing it; its search terms ([`KeptTerms`]) by its language's index,
//! once. So a build holds neither in memory: 110 MB of a 10,000-article
//! × 5 build's peak for the HTML, and about as much for the terms.
//!
//! A build that keeps its Markdown records for the next one
//! ([`super::bodies::saved`]) writes them to a named file instead
//! ([`Store::create`]), which the next build opens again
//! ([`Store::reopen`]). Each record carries a checksum of its bytes, so a
//! file damaged since reads as a failure, never as another body.

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use vitrine_markdown::Heading;
use vitrine_search::{BodyTerms, TermsSource};

/// The folder the file is made in, under the site root.
const FOLDER: &str = ".vitrine-cache";

/// The file bodies are appended to, shared by the bodies of one site (and
/// of the models `serve` makes after edits).
pub struct Store {
    file: File,
    /// The file's length: bodies are appended under this lock.
    end: Mutex<u64>,
    /// The first failure to read a body back, reported by the build
    /// (a body read as empty must not be published).
    failed: OnceLock<String>,
    /// The file's name, when it is kept for the next build; it changes
    /// when the build is recorded ([`Store::rename`]).
    path: Mutex<Option<PathBuf>>,
}

impl Store {
    /// A new store under `root`'s `.vitrine-cache/`; `None` when it cannot
    /// be made (a read-only site): bodies then stay in memory.
    pub fn new(root: &Path) -> Option<Arc<Store>> {
        let dir = root.join(FOLDER);
        std::fs::create_dir_all(&dir).ok()?;
        let file = tempfile::tempfile_in(&dir).ok()?;
        Some(Arc::new(Store {
            file,
            end: Mutex::new(0),
            failed: OnceLock::new(),
            path: Mutex::new(None),
        }))
    }

    /// A new, empty store in the file at `path` (replaced if there is
    /// one), for a build that keeps its Markdown records.
    pub fn create(path: &Path) -> io::Result<Arc<Store>> {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        Ok(Arc::new(Store {
            file,
            end: Mutex::new(0),
            failed: OnceLock::new(),
            path: Mutex::new(Some(path.to_path_buf())),
        }))
    }

    /// The store a build left at `path`, to read its bodies from and
    /// append new ones after them.
    pub fn reopen(path: &Path) -> io::Result<Arc<Store>> {
        let file = File::options().read(true).write(true).open(path)?;
        let end = file.metadata()?.len();
        Ok(Arc::new(Store {
            file,
            end: Mutex::new(end),
            failed: OnceLock::new(),
            path: Mutex::new(Some(path.to_path_buf())),
        }))
    }

    /// The file's name, when it is kept for the next build.
    pub fn path(&self) -> Option<PathBuf> {
        self.path.lock().ok()?.clone()
    }

    /// Gives the kept file the name `to`: a model reading it goes on
    /// reading it, and knows it by its new name.
    pub fn rename(&self, to: &Path) -> io::Result<()> {
        let mut path = self
            .path
            .lock()
            .map_err(|_| io::Error::other("the store's name is poisoned"))?;
        let from = path
            .as_ref()
            .ok_or_else(|| io::Error::other("the store has no name"))?;
        std::fs::rename(from, to)?;
        *path = Some(to.to_path_buf());
        Ok(())
    }

    /// How many bytes the file holds.
    fn len(&self) -> u64 {
        *self.end.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Why a body could not be read back, if one could not.
    pub fn failure(&self) -> Option<&str> {
        self.failed.get().map(String::as_str)
    }

    fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let mut end = self.end.lock().unwrap_or_else(|e| e.into_inner());
        let at = *end;
        write_all_at(&self.file, bytes, at)?;
        *end += bytes.len() as u64;
        Ok(at)
    }
}

/// Bytes compressed: in memory or at a place in a [`Store`].
#[derive(Clone)]
enum Kept {
    Memory(Arc<[u8]>),
    Disk { store: Arc<Store>, place: Place },
}

/// Where bytes are in a [`Store`], and their checksum (xxh3), checked as
/// they are read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    at: u64,
    len: u32,
    hash: u64,
}

impl Kept {
    /// Compresses `bytes` and keeps them in `store`, or in memory without
    /// one (or if writing fails: the build goes on, holding more).
    fn keep(bytes: &[u8], store: Option<&Arc<Store>>) -> Kept {
        let packed = lz4_flex::compress_prepend_size(bytes);
        if let Some(store) = store
            && let Ok(len) = u32::try_from(packed.len())
            && let Ok(at) = store.append(&packed)
        {
            let hash = xxhash_rust::xxh3::xxh3_64(&packed);
            return Kept::Disk {
                store: store.clone(),
                place: Place { at, len, hash },
            };
        }
        Kept::Memory(packed.into())
    }

    /// The bytes, decoded by `decode`; `None` if they cannot be read back
    /// or decoded, which the store records for the build to report
    /// ([`Store::failure`]).
    fn read<T>(&self, decode: impl FnOnce(Vec<u8>) -> Option<T>) -> Option<T> {
        let unpack = |packed: &[u8]| lz4_flex::decompress_size_prepended(packed).ok().and_then(decode);
        match self {
            Kept::Memory(packed) => unpack(packed),
            Kept::Disk { store, place } => {
                let mut packed = vec![0; place.len as usize];
                let read = read_exact_at(&store.file, &mut packed, place.at)
                    .map_err(|e| e.to_string())
                    .and_then(|()| {
                        (xxhash_rust::xxh3::xxh3_64(&packed) == place.hash)
                            .then(|| unpack(&packed))
                            .flatten()
                            .ok_or_else(|| "a kept body is damaged".to_string())
                    });
                read.map_err(|why| {
                    let _ = store.failed.set(why);
                })
                .ok()
            }
        }
    }
}

impl Kept {
    /// Where the bytes are in `store`, if they are there.
    fn place_in(&self, store: &Arc<Store>) -> Option<Place> {
        match self {
            Kept::Disk { store: at, place } if Arc::ptr_eq(at, store) => Some(*place),
            _ => None,
        }
    }

    /// The bytes at `place` in `store`, if the store holds that place.
    fn at(store: &Arc<Store>, place: Place) -> Option<Kept> {
        let end = place.at.checked_add(u64::from(place.len))?;
        (end <= store.len()).then(|| Kept::Disk {
            store: store.clone(),
            place,
        })
    }
}

/// One body's HTML and headings, kept until its page and feeds are made:
/// its own page is the one output that shows the headings (`page.toc`),
/// and every page holding them until the build ends took about 4% of a
/// 50,000-article × 5 build's peak.
#[derive(Clone)]
pub struct KeptHtml(Kept);

impl KeptHtml {
    pub fn keep(html: &str, toc: &[Heading], store: Option<&Arc<Store>>) -> KeptHtml {
        // The headings (postcard, after their length), then the HTML.
        let toc = postcard::to_stdvec(toc).unwrap_or_default();
        let mut bytes = Vec::with_capacity(4 + toc.len() + html.len());
        bytes.extend_from_slice(&(toc.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&toc);
        bytes.extend_from_slice(html.as_bytes());
        KeptHtml(Kept::keep(&bytes, store))
    }

    /// Where the HTML is in `store`, if it is there.
    pub fn place_in(&self, store: &Arc<Store>) -> Option<Place> {
        self.0.place_in(store)
    }

    /// The HTML a store holds at `place`, if it holds that place.
    pub fn at(store: &Arc<Store>, place: Place) -> Option<KeptHtml> {
        Kept::at(store, place).map(KeptHtml)
    }

    /// The HTML; empty if it cannot be read back ([`Store::failure`] says
    /// why).
    pub fn html(&self) -> String {
        self.page().0
    }

    /// The HTML and the headings, nested by level; empty if they cannot be
    /// read back ([`Store::failure`] says why).
    pub fn page(&self) -> (String, Vec<Heading>) {
        self.0
            .read(|bytes| {
                let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
                let toc = bytes.get(4..4usize.checked_add(len)?)?;
                let toc = postcard::from_bytes(toc).ok()?;
                let html = String::from_utf8(bytes.get(4 + len..)?.to_vec()).ok()?;
                Some((html, toc))
            })
            .unwrap_or_default()
    }
}

/// One body's search terms, kept until its language's index is built.
#[derive(Clone)]
pub struct KeptTerms {
    kept: Kept,
    /// Their distinct tokens, which the index weighs its work by before
    /// reading any.
    tokens: usize,
}

impl KeptTerms {
    pub fn keep(terms: &BodyTerms, store: Option<&Arc<Store>>) -> KeptTerms {
        KeptTerms {
            kept: Kept::keep(&terms.pack(), store),
            tokens: terms.counted().len(),
        }
    }
}

impl KeptTerms {
    /// Where the terms are in `store`, if they are there, and their count.
    pub fn place_in(&self, store: &Arc<Store>) -> Option<(Place, usize)> {
        Some((self.kept.place_in(store)?, self.tokens))
    }

    /// The terms a store holds at `place`, if it holds that place.
    pub fn at(store: &Arc<Store>, place: Place, tokens: usize) -> Option<KeptTerms> {
        Some(KeptTerms {
            kept: Kept::at(store, place)?,
            tokens,
        })
    }
}

impl TermsSource for KeptTerms {
    /// The terms; none if they cannot be read back ([`Store::failure`]
    /// says why).
    fn terms(&self) -> Cow<'_, BodyTerms> {
        Cow::Owned(
            self.kept
                .read(|bytes| BodyTerms::unpack(&bytes))
                .unwrap_or_default(),
        )
    }

    fn tokens(&self) -> usize {
        self.tokens
    }
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, bytes, at)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                bytes = &bytes[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_kept_on_disk_read_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path()).expect("store");
        let bodies = ["<p>Hà Nội</p>", "", "<h2 id=\"x\">北京</h2>"];
        let kept: Vec<KeptHtml> = bodies
            .iter()
            .map(|b| KeptHtml::keep(b, &[], Some(&store)))
            .collect();
        assert!(kept.iter().all(|k| matches!(k.0, Kept::Disk { .. })));
        for (k, b) in kept.iter().zip(bodies) {
            assert_eq!(k.html(), b);
        }
        // The headings come back nested, with the HTML.
        let toc = vec![Heading {
            level: 2,
            id: "lich-su".into(),
            title: "Lịch sử".into(),
            children: vec![Heading {
                level: 3,
                id: "x".into(),
                title: "北京".into(),
                children: Vec::new(),
            }],
        }];
        let page = KeptHtml::keep(bodies[0], &toc, Some(&store));
        assert_eq!(page.page(), (bodies[0].to_string(), toc));
        assert_eq!(page.html(), bodies[0]);
        assert_eq!(kept[2].page().1, []);
        assert_eq!(store.failure(), None);
        // Nothing is left in the folder: the file has no name.
        let left: Vec<_> = std::fs::read_dir(dir.path().join(FOLDER))
            .expect("folder")
            .collect();
        assert!(left.is_empty());
    }

    #[test]
    fn a_body_that_cannot_be_read_back_is_recorded_as_a_failure() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path()).expect("store");
        let kept = KeptHtml::keep("<p>x</p>", &[], Some(&store));
        let Kept::Disk { place, .. } = kept.0 else {
            panic!("kept in memory");
        };
        // Past the end of what was written: as if the file lost it.
        let lost = KeptHtml(Kept::Disk {
            store: store.clone(),
            place: Place {
                at: place.at + 1000,
                ..place
            },
        });
        assert_eq!(lost.html(), "");
        assert!(store.failure().is_some());
        // A place past the end is not taken from a store at all.
        assert!(KeptHtml::at(&store, Place { at: 1000, ..place }).is_none());
    }

    #[test]
    fn without_a_store_bodies_stay_in_memory() {
        let kept = KeptHtml::keep("<p>x</p>", &[], None);
        assert!(matches!(kept.0, Kept::Memory(_)));
        assert_eq!(kept.html(), "<p>x</p>");
    }

    #[test]
    fn search_terms_kept_on_disk_read_back_as_counted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path()).expect("store");
        let lexicon = vitrine_search::Lexicon::default();
        let texts = ["Hà Nội, Huế và Hà Nội", "", "河内是越南的首都"];
        let terms: Vec<BodyTerms> = texts.iter().map(|t| BodyTerms::new(t, "vi", &lexicon)).collect();
        let kept: Vec<KeptTerms> = terms.iter().map(|t| KeptTerms::keep(t, Some(&store))).collect();
        for (k, t) in kept.iter().zip(&terms) {
            assert!(matches!(k.kept, Kept::Disk { .. }));
            assert_eq!(k.terms().as_ref(), t);
            assert_eq!(k.tokens(), t.counted().len());
        }
        assert_eq!(store.failure(), None);
        // Bytes that are not terms read as none, and fail the build.
        let damaged = KeptTerms {
            kept: Kept::keep(b"not terms", Some(&store)),
            tokens: 3,
        };
        assert_eq!(damaged.terms().as_ref(), &BodyTerms::default());
        assert_eq!(store.failure(), Some("a kept body is damaged"));
    }

    #[test]
    fn a_named_store_reopens_with_its_bodies_and_finds_damage() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bodies.store");
        let store = Store::create(&path).expect("store");
        let kept = KeptHtml::keep("<p>Đà Nẵng</p>", &[], Some(&store));
        let place = kept.place_in(&store).expect("on disk");
        drop((kept, store));
        let again = Store::reopen(&path).expect("reopens");
        assert_eq!(
            KeptHtml::at(&again, place).expect("held").html(),
            "<p>Đà Nẵng</p>"
        );
        // New bodies go after the old ones.
        let next = KeptHtml::keep("<p>Huế</p>", &[], Some(&again));
        assert!(next.place_in(&again).expect("on disk").at >= u64::from(place.len));
        assert_eq!(
            KeptHtml::at(&again, place).expect("held").html(),
            "<p>Đà Nẵng</p>"
        );
        assert_eq!(again.failure(), None);
        // A byte changed on disk: read as a failure, not as another body.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes[6] ^= 0x20;
        std::fs::write(&path, &bytes).expect("write");
        let damaged = Store::reopen(&path).expect("reopens");
        assert_eq!(KeptHtml::at(&damaged, place).expect("held").html(), "");
        assert!(damaged.failure().is_some());
    }
}
