//! What the index keeps of a page's body: its distinct words and CJK runs
//! with their counts, and the start of its text for the excerpt. Made right after the
//! page's Markdown is rendered (in the parallel Markdown pass, from the
//! plain text that pass collected), so the index neither parses the Markdown
//! again nor keeps the full text of every page alive until it is built.

use rustc_hash::FxHashMap;

use super::normalize::{self, Mode, Token};

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
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
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

    /// Calls `emit` with every distinct token and its number of occurrences
    /// (a gram found in several runs comes once per run).
    pub fn for_each_token<'a>(&'a self, mut emit: impl FnMut(Token<&'a str>, u32)) {
        for (piece, &count) in self.tokens.split_terminator(' ').zip(&self.counts) {
            let count = u32::from(count);
            if piece.chars().next().is_some_and(normalize::is_cjk) {
                // A kept run is CJK throughout: cut into grams directly,
                // without splitting it into pieces again.
                normalize::for_each_gram(piece, Mode::Index, |token| emit(token, count));
            } else {
                emit(Token::Word(piece), count);
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

    fn tokens(terms: &BodyTerms) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = Vec::new();
        terms.for_each_token(|t, n| match t {
            Token::Word(w) => out.push((format!("w:{w}"), n)),
            Token::Gram(g) => out.push((format!("g:{g}"), n)),
        });
        out.sort();
        out
    }

    #[test]
    fn keeps_distinct_tokens_with_their_counts() {
        let terms = BodyTerms::new("Huế, huế và 首都 Huế 首都");
        assert_eq!(
            tokens(&terms),
            [
                ("g:都".to_string(), 2),
                ("g:首".to_string(), 2),
                ("g:首都".to_string(), 2),
                ("w:Huế".to_string(), 2),
                ("w:huế".to_string(), 1),
                ("w:và".to_string(), 1),
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
