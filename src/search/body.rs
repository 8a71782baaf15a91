//! What the index keeps of a page's body: its distinct words and CJK runs
//! with their counts, and the start of its text for the excerpt. Made right after the
//! page's Markdown is rendered (in the parallel Markdown pass, from the
//! plain text that pass collected), so the index neither parses the Markdown
//! again nor keeps the full text of every page alive until it is built.

use rustc_hash::FxHashMap;

use super::normalize;

/// The text kept per page for result excerpts, in characters.
pub const EXCERPT_CHARS: usize = 400;

/// One page's body, compacted for the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyTerms {
    /// The distinct words and CJK runs as written, each followed by a space
    /// (none holds one): a single allocation rather than one per piece.
    /// Runs are cut into grams only when the index is built: kept as grams,
    /// a Chinese page would take three times the room of its text.
    tokens: String,
    /// Occurrences of each piece, in the order of `tokens`, capped at 255:
    /// a term's weight on a page is capped there anyway.
    counts: Vec<u8>,
    /// The body's text, ends trimmed, cut just past what an excerpt shows
    /// ([`EXCERPT_CHARS`] characters, plus one).
    excerpt: String,
    /// Whether the body goes on past `excerpt`.
    cut: bool,
}

impl BodyTerms {
    /// Tokenizes a body's plain text (see `markdown::Rendered::plain_text`).
    pub fn new(text: &str) -> BodyTerms {
        // Sized for the distinct words of most texts (at most one word in
        // two, of six bytes or more) so the table is not grown again and again.
        let mut counts: FxHashMap<&str, u32> =
            FxHashMap::with_capacity_and_hasher(text.len() / 12, Default::default());
        normalize::for_each_piece(text, |piece| *counts.entry(piece).or_default() += 1);
        let mut terms = BodyTerms {
            tokens: String::with_capacity(counts.keys().map(|t| t.len() + 1).sum()),
            counts: Vec::with_capacity(counts.len()),
            ..BodyTerms::default()
        };
        for (token, count) in counts {
            terms.tokens.push_str(token);
            terms.tokens.push(' ');
            terms.counts.push(u8::try_from(count).unwrap_or(u8::MAX));
        }
        let body = text.trim();
        match body.char_indices().nth(EXCERPT_CHARS + 1) {
            Some((at, _)) => {
                terms.excerpt = body[..at].to_string();
                terms.cut = true;
            }
            None => terms.excerpt = body.to_string(),
        }
        terms
    }

    /// Calls `emit` with every distinct word and CJK run as written, and
    /// its number of occurrences.
    pub fn for_each_piece(&self, mut emit: impl FnMut(&str, u32)) {
        // Pieces are a few bytes long: a plain scan for the space beats
        // `split`, whose searcher costs more per call than the bytes.
        let mut counts = self.counts.iter();
        let mut start = 0;
        for (at, &byte) in self.tokens.as_bytes().iter().enumerate() {
            if byte == b' ' {
                let count = counts.next().copied().unwrap_or_default();
                emit(&self.tokens[start..at], u32::from(count));
                start = at + 1;
            }
        }
    }

    /// The excerpt a result shows: `description` (if any), then the body,
    /// ends trimmed and cut at [`EXCERPT_CHARS`] characters with an ellipsis.
    pub fn excerpt(&self, description: Option<&str>) -> String {
        let joined = match description {
            Some(d) => format!("{d} {}", self.excerpt),
            None => self.excerpt.clone(),
        };
        let text = joined.trim_start();
        // A cut body holds more than the excerpt shows, so its trailing
        // spaces are not the end of the text.
        let text = if self.cut { text } else { text.trim_end() };
        truncate_chars(text, EXCERPT_CHARS)
    }
}

fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(terms: &BodyTerms) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = Vec::new();
        terms.for_each_piece(|piece, n| out.push((piece.to_string(), n)));
        out.sort();
        out
    }

    #[test]
    fn keeps_distinct_words_and_runs_with_their_counts() {
        let terms = BodyTerms::new("Huế, huế và 首都 Huế 首都。河内");
        assert_eq!(
            pieces(&terms),
            [
                ("Huế".to_string(), 2),
                ("huế".to_string(), 1),
                ("và".to_string(), 1),
                ("河内".to_string(), 1),
                ("首都".to_string(), 2),
            ]
        );
    }

    #[test]
    fn the_excerpt_is_the_description_and_the_start_of_the_body() {
        let terms = BodyTerms::new("  Short body.  ");
        assert_eq!(terms.excerpt(None), "Short body.");
        assert_eq!(terms.excerpt(Some("About.")), "About. Short body.");
        let long = format!(" {} ", "ab ".repeat(300));
        let terms = BodyTerms::new(&long);
        let excerpt = terms.excerpt(Some("D"));
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert!(
            excerpt.starts_with("D ab ab") && excerpt.ends_with('…'),
            "{excerpt}"
        );
        // Exactly the limit: no ellipsis.
        let terms = BodyTerms::new(&"x".repeat(EXCERPT_CHARS));
        assert_eq!(terms.excerpt(None), "x".repeat(EXCERPT_CHARS));
        assert_eq!(BodyTerms::new("").excerpt(Some(" D ")), "D");
    }
}
