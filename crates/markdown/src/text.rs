//! Plain-text views of rendered Markdown: word counts and the text of a
//! summary. Works on the event stream, never on HTML.

use pulldown_cmark::{Event, TagEnd};

/// Counts words as text events stream past. Words are runs of characters
/// separated by whitespace that contain a letter or digit; a Han, Kana or
/// Hangul character is a word on its own, because those scripts do not put
/// spaces between words.
#[derive(Debug, Default)]
pub(super) struct WordCounter {
    count: usize,
    in_word: bool,
}

impl WordCounter {
    pub(super) fn feed(&mut self, text: &str) {
        for c in text.chars() {
            if is_cjk(c) {
                self.count += 1;
                self.in_word = false;
            } else if c.is_whitespace() {
                self.in_word = false;
            } else if !self.in_word && c.is_alphanumeric() {
                self.count += 1;
                self.in_word = true;
            }
        }
    }

    /// Ends the current word. Called at block boundaries and line breaks, but
    /// not at inline markup, so `**bo**ld` stays one word.
    pub(super) fn break_word(&mut self) {
        self.in_word = false;
    }

    pub(super) fn count(&self) -> usize {
        self.count
    }
}

/// Whether `c` is written without spaces between words (Han ideographs,
/// Hiragana, Katakana, Hangul syllables and jamo). Word counts and the
/// search index's segmenter both rely on it.
#[inline]
pub fn is_cjk(c: char) -> bool {
    // Asked of every character of every page: most are below the first
    // CJK block (Latin, Vietnamese, Arabic), one comparison for them.
    if c < '\u{1100}' {
        return false;
    }
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Inline tags do not end a word: text on both sides of them runs together.
pub(super) fn is_inline(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The text a reader sees in `events`, whitespace collapsed to single spaces.
/// Footnote references, task markers and raw HTML tags are left out.
pub(super) fn plain_text(events: &[Event<'_>]) -> String {
    let mut raw = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                raw.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => raw.push(' '),
            Event::Start(tag) if !is_inline(tag.to_end()) => raw.push(' '),
            Event::End(end) if !is_inline(*end) => raw.push(' '),
            _ => {}
        }
    }
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str) -> usize {
        let mut counter = WordCounter::default();
        counter.feed(text);
        counter.count()
    }

    #[test]
    fn counts_space_separated_words() {
        assert_eq!(count("The Hue citadel — built in 1804."), 6);
        assert_eq!(count("Côte d’Ivoire"), 2);
    }

    #[test]
    fn counts_each_cjk_character() {
        assert_eq!(count("文化遗产"), 4);
        assert_eq!(count("ひらがな"), 4);
        assert_eq!(count("文化 and heritage"), 4);
    }
}
