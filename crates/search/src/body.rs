//! What the index keeps of a page's body: its distinct words and CJK
//! grams, numbered by the site's [`Lexicon`], with their counts, and the
//! start of its text for the excerpt. Made right after the page's Markdown
//! is rendered (in the parallel Markdown pass, from the plain text that
//! pass collected), so the index neither parses the Markdown again nor
//! keeps the full text of every page alive until it is built.

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
        }
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
