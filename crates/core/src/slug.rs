//! Slugs: turning titles, file names and taxonomy terms into URL path
//! segments and heading ids.
//!
//! This module owns the folding rule of the contract: Latin-script letters are
//! folded to readable ASCII (`Khánh Hòa` → `khanh-hoa`), letters of every
//! other script are kept as Unicode (`文化 遗产` → `文化-遗产`) and only
//! percent-encoded when written into a URL. It must not decide what a slug is
//! used for, nor whether an empty slug is acceptable: callers decide that.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The bytes left as they are in a URL path segment: RFC 3986 "unreserved".
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Turns `text` into a slug: lowercase, Latin letters folded to ASCII, other
/// scripts kept as Unicode, every run of other characters (spaces,
/// punctuation, symbols) replaced by one `-`, no `-` at either end.
///
/// The result may be empty (for `"!!!"`); the caller decides what to do then.
///
/// ```
/// use vitrine_core::slug::slugify;
/// assert_eq!(slugify("Khánh Hòa"), "khanh-hoa");
/// assert_eq!(slugify("Đà Nẵng"), "da-nang");
/// assert_eq!(slugify("文化 遗产"), "文化-遗产");
/// ```
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A separator is only written once a word character follows it, so runs
    // collapse and nothing dangles at either end.
    let mut pending_dash = false;
    // Combining accents after a Latin letter belong to it (text in NFD form)
    // and are dropped; after another script they are part of the word.
    let mut after_latin = false;
    for c in text.chars() {
        if is_combining_mark(c) {
            if !after_latin && !out.is_empty() && !pending_dash {
                out.push(c);
            }
            continue;
        }
        let start = out.len();
        after_latin = push_word_char(&mut out, c, pending_dash);
        if out.len() > start {
            pending_dash = false;
        } else {
            after_latin = false;
            pending_dash = !out.is_empty();
        }
    }
    out
}

/// Appends `c` to `out` if it is a word character (folded or lowercased),
/// preceded by `-` when `dash` is set. Returns whether `c` is a Latin letter.
fn push_word_char(out: &mut String, c: char, dash: bool) -> bool {
    if c.is_ascii_alphanumeric() {
        push_dash(out, dash);
        out.push(c.to_ascii_lowercase());
        c.is_ascii_alphabetic()
    } else if is_latin_letter(c) {
        let folded = deunicode::deunicode_char(c).unwrap_or("");
        let mut chars = folded.chars().filter(char::is_ascii_alphanumeric).peekable();
        if chars.peek().is_some() {
            push_dash(out, dash);
            out.extend(chars.map(|f| f.to_ascii_lowercase()));
        }
        true
    } else if c.is_alphanumeric() || is_joiner(c) {
        push_dash(out, dash);
        out.extend(c.to_lowercase());
        false
    } else {
        false
    }
}

fn push_dash(out: &mut String, dash: bool) {
    if dash {
        out.push('-');
    }
}

/// Percent-encodes a slug for use as one URL path segment: UTF-8 bytes of
/// non-ASCII characters become `%XX`; ASCII letters, digits, `-`, `_`, `.`
/// and `~` are left as they are.
pub fn encode_path_segment(slug: &str) -> String {
    utf8_percent_encode(slug, SEGMENT).to_string()
}

/// Letters of the Latin script outside ASCII (the Unicode Latin blocks),
/// which are folded to ASCII.
fn is_latin_letter(c: char) -> bool {
    matches!(c,
        '\u{AA}' | '\u{BA}'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}'
        | '\u{250}'..='\u{2AF}'    // IPA extensions
        | '\u{1D00}'..='\u{1D7F}'  // phonetic extensions
        | '\u{1E00}'..='\u{1EFF}'  // Latin Extended Additional (Vietnamese)
        | '\u{2C60}'..='\u{2C7F}'
        | '\u{A720}'..='\u{A7FF}'
        | '\u{AB30}'..='\u{AB6F}'
        | '\u{FB00}'..='\u{FB06}'  // ligatures such as ﬁ
        | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}') // fullwidth
}

/// Combining marks that Rust does not count as alphanumeric but that are part
/// of a word: accents in NFD text, Hebrew and Arabic vowel points, Indic
/// viramas and signs, Thai and Lao tone marks, kana voicing marks.
fn is_combining_mark(c: char) -> bool {
    if c.is_alphanumeric() {
        return false;
    }
    matches!(c,
        '\u{300}'..='\u{36F}'
        | '\u{483}'..='\u{489}'
        | '\u{591}'..='\u{5BD}' | '\u{5BF}' | '\u{5C1}'..='\u{5C2}' | '\u{5C4}'..='\u{5C5}' | '\u{5C7}'
        | '\u{610}'..='\u{61A}' | '\u{64B}'..='\u{65F}' | '\u{670}' | '\u{6D6}'..='\u{6ED}'
        | '\u{E31}'..='\u{E3A}' | '\u{E47}'..='\u{E4E}'
        | '\u{EB1}'..='\u{EBC}' | '\u{EC8}'..='\u{ECD}'
        | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{3099}'..='\u{309A}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FE20}'..='\u{FE2F}')
        || is_indic_sign(c)
}

/// Signs in the Indic blocks (Devanagari to Sinhala) other than the dandas
/// and the abbreviation signs, which end words.
fn is_indic_sign(c: char) -> bool {
    matches!(c, '\u{900}'..='\u{DFF}')
        && !matches!(
            c,
            '\u{964}' | '\u{965}' | '\u{970}' | '\u{9FD}' | '\u{AF0}' | '\u{DF4}'
        )
}

/// Zero-width (non-)joiners shape Persian and Indic words and belong inside
/// them.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_latin_script_to_ascii() {
        assert_eq!(slugify("Khánh Hòa"), "khanh-hoa");
        assert_eq!(slugify("Đà Nẵng"), "da-nang");
        assert_eq!(slugify("Côte d’Ivoire"), "cote-d-ivoire");
        assert_eq!(slugify("Ẩm thực Huế"), "am-thuc-hue");
        assert_eq!(slugify("Straße & Œuvre"), "strasse-oeuvre");
    }

    #[test]
    fn decomposed_accents_are_dropped_after_latin_letters() {
        assert_eq!(slugify("Kha\u{301}nh Ho\u{300}a"), "khanh-hoa");
    }

    #[test]
    fn collapses_and_trims_separators() {
        assert_eq!(slugify("  Hello,   World!  "), "hello-world");
        assert_eq!(slugify("a--b__c"), "a-b-c");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify(""), "");
    }

    #[test]
    fn keeps_other_scripts_as_unicode() {
        assert_eq!(slugify("文化 遗产"), "文化-遗产");
        assert_eq!(slugify("الثقافة والتراث"), "الثقافة-والتراث");
        assert_eq!(slugify("Культура России"), "культура-россии");
        assert_eq!(slugify("Ελληνικά"), "ελληνικά");
        assert_eq!(slugify("हिन्दी भाषा"), "हिन्दी-भाषा");
        assert_eq!(slugify("ภาษาไทย"), "ภาษาไทย");
        assert_eq!(slugify("文化，遗产。"), "文化-遗产");
    }

    #[test]
    fn mixed_text_is_handled_per_character() {
        assert_eq!(slugify("Huế 顺化 2024"), "hue-顺化-2024");
    }

    #[test]
    fn encodes_non_ascii_for_urls() {
        assert_eq!(encode_path_segment("khanh-hoa"), "khanh-hoa");
        assert_eq!(encode_path_segment("文化"), "%E6%96%87%E5%8C%96");
        assert_eq!(encode_path_segment("a.b_c~d"), "a.b_c~d");
        assert_eq!(encode_path_segment("a b/c"), "a%20b%2Fc");
    }
}
