//! Strings found by their bytes: the words of every page body, as
//! written, which the lexicon numbers (over a million lookups on a
//! 1,000-page corpus), and the words and term keys of a language's index
//! (`vocabulary`). Most words are short, so an entry keeps a word of up
//! to eight bytes as one number (a longer word's first eight bytes), and a
//! lookup compares that number and the length instead of comparing byte
//! by byte; only the rest of a longer word is compared with its text. The
//! table is open addressing with linear probing, at most half full, so
//! most lookups read one entry: a general hash table (tried: `hashbrown`)
//! spent more instructions per lookup than this whole table.

/// The words met, each with the number its owner gave it.
pub struct Words {
    /// A power of two in length; free entries have `len == FREE`.
    entries: Vec<Entry>,
    /// Entries in use.
    used: usize,
    /// The words, one after another: one allocation for all of them rather
    /// than one per word (they live until the index is built, and scattered
    /// among the Markdown pass's short-lived allocations they kept whole
    /// pages of memory in use).
    text: String,
}

#[derive(Clone, Copy)]
struct Entry {
    /// See [`head_and_hash`].
    head: u64,
    /// Where the word is in [`Words::text`].
    start: u32,
    len: u32,
    number: u32,
}

/// The length of a free entry (no word is 4 GiB long).
const FREE: u32 = u32::MAX;
const FREE_ENTRY: Entry = Entry {
    head: 0,
    start: 0,
    len: FREE,
    number: 0,
};

/// Where a word is in [`Words::text`].
pub type Span = (u32, u32);

impl Default for Words {
    fn default() -> Words {
        Words {
            entries: vec![FREE_ENTRY; 1024],
            used: 0,
            text: String::new(),
        }
    }
}

impl Words {
    /// The number of `word`; for a new word, the number `make` gives it
    /// (from where it is kept), or `None` if the text is full (4 GiB).
    #[inline(always)]
    pub fn number(&mut self, word: &str, make: impl FnOnce(Span) -> u32) -> Option<u32> {
        let bytes = word.as_bytes();
        let (head, hash) = head_and_hash(bytes);
        let mask = self.entries.len() - 1;
        let mut at = self.slot(hash);
        loop {
            let entry = &self.entries[at];
            if entry.len == FREE {
                break;
            }
            if entry.head == head
                && entry.len as usize == bytes.len()
                && (bytes.len() <= 8
                    || self
                        .text
                        .as_bytes()
                        .get(entry.start as usize + 8..(entry.start + entry.len) as usize)
                        == Some(&bytes[8..]))
            {
                return Some(entry.number);
            }
            at = (at + 1) & mask;
        }
        let start = u32::try_from(self.text.len()).ok()?;
        let len = u32::try_from(bytes.len()).ok().filter(|&l| l != FREE)?;
        start.checked_add(len)?;
        self.text.push_str(word);
        let number = make((start, start + len));
        self.entries[at] = Entry {
            head,
            start,
            len,
            number,
        };
        self.used += 1;
        if self.used * 2 > self.entries.len() {
            self.grow();
        }
        Some(number)
    }

    /// The word at `span`.
    pub fn get(&self, (start, end): Span) -> Option<&str> {
        self.text.get(start as usize..end as usize)
    }

    /// The first entry to look at for `hash`: its top bits, the best mixed.
    fn slot(&self, hash: u64) -> usize {
        (hash >> (64 - self.entries.len().trailing_zeros())) as usize
    }

    /// Doubles the table, putting every entry back.
    fn grow(&mut self) {
        let doubled = vec![FREE_ENTRY; self.entries.len() * 2];
        let old = std::mem::replace(&mut self.entries, doubled);
        let mask = self.entries.len() - 1;
        for entry in old.into_iter().filter(|e| e.len != FREE) {
            let word = &self.text.as_bytes()[entry.start as usize..(entry.start + entry.len) as usize];
            let mut at = self.slot(head_and_hash(word).1);
            while self.entries[at].len != FREE {
                at = (at + 1) & mask;
            }
            self.entries[at] = entry;
        }
    }
}

/// A word's head and hash. The head is a number that, with the length,
/// tells apart any two words of up to eight bytes; of a longer word, it is
/// its first eight bytes. The hash mixes the head, the length and any
/// further bytes, eight at a time.
fn head_and_hash(bytes: &[u8]) -> (u64, u64) {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let n = bytes.len();
    let head = match n {
        // Read as whole numbers, not byte by byte: words of four to eight
        // bytes as their first four and last four bytes (which overlap,
        // and together cover the word), shorter ones as their first,
        // middle and last bytes.
        0 => 0,
        1..4 => u64::from(bytes[0]) | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]) << 16,
        4..=8 => u64::from(le32(&bytes[..4])) | u64::from(le32(&bytes[n - 4..])) << 32,
        _ => le64(&bytes[..8]),
    };
    let mut hash = (head ^ n as u64).wrapping_mul(K);
    if n > 8 {
        let mut rest = bytes[8..].chunks_exact(8);
        for chunk in &mut rest {
            hash = (hash.rotate_left(23) ^ le64(chunk)).wrapping_mul(K);
        }
        let tail = rest.remainder();
        if !tail.is_empty() {
            let tail = tail.iter().rev().fold(0, |n, &b| n << 8 | u64::from(b));
            hash = (hash.rotate_left(23) ^ tail).wrapping_mul(K);
        }
    }
    (head, hash)
}

fn le32(bytes: &[u8]) -> u32 {
    bytes.try_into().map_or(0, u32::from_le_bytes)
}

fn le64(bytes: &[u8]) -> u64 {
    bytes.try_into().map_or(0, u64::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_keeps_the_number_it_was_first_given() {
        let mut words = Words::default();
        let mut next = 0;
        let mut number = |word: &str| {
            words
                .number(word, |_| {
                    next += 1;
                    next - 1
                })
                .expect("room")
        };
        // Short and long words, words sharing their first eight bytes, a
        // word that is another's start, and non-ASCII text.
        let list = [
            "huế",
            "Huế",
            "a",
            "",
            "national",
            "nationality",
            "nationalities",
            "nation",
            "Đà Nẵng",
            "ab\0",
            "ab",
            "abc",
            "acc",
            "abcd",
            "abcde",
            "abdde",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefghj",
        ];
        let first: Vec<u32> = list.iter().map(|w| number(w)).collect();
        assert_eq!(first, (0..list.len() as u32).collect::<Vec<_>>());
        let again: Vec<u32> = list.iter().rev().map(|w| number(w)).collect();
        assert_eq!(again, first.iter().rev().copied().collect::<Vec<_>>());
        // Many more words, so that the table grows past its first size.
        for i in 0..10_000 {
            assert_eq!(number(&format!("word{i}")), list.len() as u32 + i);
        }
        assert_eq!(number("nationality"), 5);
        assert_eq!(number("word9999"), list.len() as u32 + 9999);
    }

    #[test]
    fn a_word_is_read_back_from_its_span() {
        let mut words = Words::default();
        let mut spans = Vec::new();
        for word in ["Hà", "Nội", "nationalities"] {
            words.number(word, |span| {
                spans.push(span);
                0
            });
        }
        let read: Vec<&str> = spans.iter().filter_map(|&s| words.get(s)).collect();
        assert_eq!(read, ["Hà", "Nội", "nationalities"]);
    }
}
