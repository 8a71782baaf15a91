//! What the index keeps of a page's body: its distinct words and CJK
//! grams, numbered by the site's [`Lexicon`], with their counts, its
//! headings' text, and the start of its text for the excerpt. Made right
//! after the page's Markdown is rendered (in the parallel Markdown pass,
//! from the plain text that pass collected), so the index neither parses
//! the Markdown again nor keeps the full text of every page alive until it
//! is built.

use super::lexicon::{Counted, Lexicon};

/// The text kept per page for result excerpts, in characters.
pub const EXCERPT_CHARS: usize = 400;

/// One page's body, compacted for the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyTerms {
    /// The distinct tokens with their counts.
    counted: Counted,
    /// The body's text, ends trimmed, cut just past what an excerpt shows
    /// ([`EXCERPT_CHARS`] characters, plus one).
    excerpt: String,
    /// Whether the body goes on past `excerpt`.
    cut: bool,
    /// The body's word count, by the rule of reading times.
    words: usize,
    /// Its headings' text, in the order they come ([`BodyTerms::with_headings`]).
    headings: Vec<String>,
}

impl BodyTerms {
    /// Counts the tokens of a body's plain text (see
    /// `markdown::Rendered::plain_text`) in language `lang`, numbering new
    /// ones in `lexicon`.
    pub fn new(text: &str, lang: &str, lexicon: &Lexicon) -> BodyTerms {
        let (counted, words) = lexicon.count(text, lang);
        let body = text.trim();
        let (excerpt, cut) = match char_start(body, EXCERPT_CHARS + 1) {
            Some(at) => (body[..at].to_string(), true),
            None => (body.to_string(), false),
        };
        BodyTerms {
            counted,
            excerpt,
            cut,
            words,
            headings: Vec::new(),
        }
    }

    /// These terms with the body's headings' text (weighed above its
    /// other text): kept here, where the index reads them with the rest,
    /// rather than with the page for the whole build.
    pub fn with_headings(mut self, headings: Vec<String>) -> BodyTerms {
        self.headings = headings;
        self
    }

    /// The body's headings' text, in the order they come.
    pub fn headings(&self) -> &[String] {
        &self.headings
    }

    /// The body's word count, by the rule of reading times: counted while
    /// its tokens were, so that an indexed body is scanned once (see
    /// `markdown::Rendered::word_count`).
    pub fn words(&self) -> usize {
        self.words
    }

    /// The distinct tokens and their counts.
    pub fn counted(&self) -> &Counted {
        &self.counted
    }

    /// The excerpt a result shows: `description` (if any), then the body,
    /// ends trimmed and cut at [`EXCERPT_CHARS`] characters with an ellipsis.
    pub fn excerpt(&self, description: Option<&str>) -> String {
        // Made in one string, trimmed and cut in place: every indexed
        // page's excerpt is made here.
        let mut text = String::with_capacity(description.map_or(0, |d| d.len() + 1) + self.excerpt.len() + 3);
        if let Some(d) = description {
            text.push_str(d);
            text.push(' ');
        }
        text.push_str(&self.excerpt);
        // A cut body holds more than the excerpt shows, so its trailing
        // spaces are not the end of the text.
        if !self.cut {
            text.truncate(text.trim_end().len());
        }
        text.drain(..text.len() - text.trim_start().len());
        if let Some(at) = char_start(&text, EXCERPT_CHARS) {
            text.truncate(at);
            text.push('…');
        }
        text
    }
}

impl BodyTerms {
    /// The terms as bytes, for a caller that keeps them out of memory
    /// until the index is built (a build's pass counts every page before
    /// any index is made): read back with [`BodyTerms::unpack`].
    pub fn pack(&self) -> Vec<u8> {
        let entries = self.counted.entries();
        let headings: usize = self.headings.iter().map(|h| 4 + h.len()).sum();
        let mut bytes = Vec::with_capacity(17 + 4 * entries.len() + headings + self.excerpt.len());
        for n in [self.counted.part, self.words, entries.len()] {
            bytes.extend_from_slice(&(n as u32).to_le_bytes());
        }
        bytes.push(u8::from(self.cut));
        for entry in entries {
            bytes.extend_from_slice(&entry.to_le_bytes());
        }
        bytes.extend_from_slice(&(self.headings.len() as u32).to_le_bytes());
        for heading in &self.headings {
            bytes.extend_from_slice(&(heading.len() as u32).to_le_bytes());
            bytes.extend_from_slice(heading.as_bytes());
        }
        bytes.extend_from_slice(self.excerpt.as_bytes());
        bytes
    }

    /// Terms packed by [`BodyTerms::pack`]; `None` if `bytes` are not such
    /// terms (damaged or cut short).
    pub fn unpack(bytes: &[u8]) -> Option<BodyTerms> {
        let number = |at: usize| -> Option<usize> {
            let four = bytes.get(at..at.checked_add(4)?)?;
            Some(u32::from_le_bytes(four.try_into().ok()?) as usize)
        };
        let (part, words, len) = (number(0)?, number(4)?, number(8)?);
        let cut = match bytes.get(12)? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let headings_at = 13usize.checked_add(len.checked_mul(4)?)?;
        let entries = bytes
            .get(13..headings_at)?
            .chunks_exact(4)
            .map(|four| u32::from_le_bytes([four[0], four[1], four[2], four[3]]))
            .collect();
        let count = number(headings_at)?;
        let mut at = headings_at + 4;
        // Each heading takes four bytes at least: a damaged count cannot
        // reserve more than the bytes hold.
        let mut headings = Vec::with_capacity(count.min(bytes.len() / 4));
        for _ in 0..count {
            let len = number(at)?;
            let text = bytes.get(at + 4..(at + 4).checked_add(len)?)?;
            headings.push(std::str::from_utf8(text).ok()?.to_string());
            at += 4 + len;
        }
        let excerpt = std::str::from_utf8(bytes.get(at..)?).ok()?;
        Some(BodyTerms {
            counted: Counted::from_entries(part, entries),
            excerpt: excerpt.to_string(),
            cut,
            words,
            headings,
        })
    }
}

/// Where character `n` (from 0) of `text` starts, if it has that many.
fn char_start(text: &str, n: usize) -> Option<usize> {
    text.char_indices().nth(n).map(|(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_distinct_tokens_with_their_counts() {
        let lexicon = Lexicon::default();
        let terms = BodyTerms::new("Huế, huế và Huế 河", "vi", &lexicon);
        assert_eq!(
            crate::lexicon::counted_text(&lexicon, terms.counted(), "vi"),
            [
                ("Huế".to_string(), 2),
                ("huế".to_string(), 1),
                ("và".to_string(), 1),
                ("河".to_string(), 1),
            ]
        );
    }

    #[test]
    fn packed_terms_read_back_as_they_were() {
        let lexicon = Lexicon::default();
        let long = "Hà Nội là thủ đô. 河内是越南的首都 ".repeat(40);
        let headings = || vec!["Lịch sử".to_string(), String::new(), "河内".to_string()];
        for text in ["", "Huế, huế và Huế 河", long.as_str()] {
            for terms in [
                BodyTerms::new(text, "vi", &lexicon),
                BodyTerms::new(text, "vi", &lexicon).with_headings(headings()),
            ] {
                let packed = terms.pack();
                assert_eq!(BodyTerms::unpack(&packed).as_ref(), Some(&terms));
                // Cut short of its excerpt, it is refused.
                let excerpt_at = packed.len() - terms.excerpt.len();
                for end in 0..excerpt_at {
                    assert_eq!(BodyTerms::unpack(&packed[..end]), None, "cut at {end}");
                }
            }
        }
        assert_eq!(BodyTerms::unpack(&[0; 12]), None);
        let mut bad = BodyTerms::new("a", "en", &lexicon).pack();
        bad[12] = 7;
        assert_eq!(BodyTerms::unpack(&bad), None);
    }

    #[test]
    fn characters_are_found_by_their_first_byte() {
        // Long enough to be read eight bytes at a time, in every script.
        let text = "aé越𠀀b Huế, Đà Nẵng — 河内是越南的首都 العاصمة 😀 end".repeat(3);
        let expected: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        let found: Vec<usize> = (0..expected.len()).filter_map(|n| char_start(&text, n)).collect();
        assert_eq!(found, expected);
        assert_eq!(char_start(&text, expected.len()), None);
    }

    #[test]
    fn the_excerpt_is_the_description_and_the_start_of_the_body() {
        let lexicon = Lexicon::default();
        let new = |text: &str| BodyTerms::new(text, "en", &lexicon);
        let terms = new("  Short body.  ");
        assert_eq!(terms.excerpt(None), "Short body.");
        assert_eq!(terms.excerpt(Some("About.")), "About. Short body.");
        let long = format!(" {} ", "ab ".repeat(300));
        let terms = new(&long);
        let excerpt = terms.excerpt(Some("D"));
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert!(
            excerpt.starts_with("D ab ab") && excerpt.ends_with('…'),
            "{excerpt}"
        );
        // Exactly the limit: no ellipsis.
        let terms = new(&"x".repeat(EXCERPT_CHARS));
        assert_eq!(terms.excerpt(None), "x".repeat(EXCERPT_CHARS));
        assert_eq!(new("").excerpt(Some(" D ")), "D");
    }
}
