//! A unit's text as translators see it: plain text with protected
//! placeholders standing for inline Markdown (a code span, a link's
//! brackets and target, emphasis markers, a shortcode call). What each
//! placeholder stands for is kept by the segmentation ([`super::segment`]);
//! here are only the text, the numbered-marker form used by PO files and
//! snapshots (`Read <1>the guide</1> <2/>`), and the check that a
//! translation kept every placeholder.

use std::collections::BTreeSet;

/// One run of a unit's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A standalone placeholder: inline code, an inline shortcode call, a
    /// footnote mark, inline HTML, a line break.
    Ph(u32),
    /// The start of a paired placeholder (emphasis, a link, an image's alt
    /// text): what it encloses is translated.
    Open(u32),
    Close(u32),
}

/// Appends text, merging it with a text run before it.
pub fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Text(text.to_string()));
    }
}

/// Collapses whitespace runs to one space, moves spaces out of pairs
/// (`<1>word </1>` would be `*word *`, which Markdown does not read as
/// emphasis) and trims the unit's ends, so that reflowing a paragraph is
/// not a change and a tool's line breaks are not written into a heading.
pub fn normalise(pieces: Vec<Piece>) -> Vec<Piece> {
    collapse(spaces_out_of_pairs(collapse(pieces)))
}

fn spaces_out_of_pairs(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut iter = pieces.into_iter().peekable();
    while let Some(piece) = iter.next() {
        match piece {
            Piece::Open(id) => {
                if let Some(Piece::Text(next)) = iter.peek_mut()
                    && next.starts_with(' ')
                {
                    next.remove(0);
                    push_text(&mut out, " ");
                }
                out.push(Piece::Open(id));
            }
            Piece::Close(id) => {
                let mut moved = false;
                if let Some(Piece::Text(last)) = out.last_mut()
                    && last.ends_with(' ')
                {
                    last.pop();
                    moved = true;
                    if last.is_empty() {
                        out.pop();
                    }
                }
                out.push(Piece::Close(id));
                if moved {
                    out.push(Piece::Text(" ".into()));
                }
            }
            Piece::Text(t) => push_text(&mut out, &t),
            other => out.push(other),
        }
    }
    out
}

fn collapse(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match piece {
            Piece::Text(t) => {
                let mut collapsed = String::with_capacity(t.len());
                let mut space = false;
                for c in t.chars() {
                    if c.is_whitespace() {
                        space = true;
                    } else {
                        if space {
                            collapsed.push(' ');
                        }
                        space = false;
                        collapsed.push(c);
                    }
                }
                if space {
                    collapsed.push(' ');
                }
                // A space between runs is one space, whichever run had it.
                match out.last_mut() {
                    Some(Piece::Text(last)) => {
                        if last.ends_with(' ') && collapsed.starts_with(' ') {
                            collapsed.remove(0);
                        }
                        last.push_str(&collapsed);
                    }
                    _ => out.push(Piece::Text(collapsed)),
                }
            }
            other => out.push(other),
        }
    }
    if let Some(Piece::Text(first)) = out.first_mut() {
        *first = first.trim_start().to_string();
    }
    if let Some(Piece::Text(last)) = out.last_mut() {
        *last = last.trim_end().to_string();
    }
    out.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    out
}

/// Whether a unit has words to translate (not only placeholders, spaces,
/// digits or punctuation).
pub fn has_words(pieces: &[Piece]) -> bool {
    pieces
        .iter()
        .any(|p| matches!(p, Piece::Text(t) if t.chars().any(char::is_alphabetic)))
}

/// The text without placeholders, for notes and pseudo-localization.
pub fn plain(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

/// The numbered-marker form: `<1>` … `</1>` around paired placeholders and
/// `<2/>` for standalone ones.
pub fn to_marked(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Ph(id) => out.push_str(&format!("<{id}/>")),
            Piece::Open(id) => out.push_str(&format!("<{id}>")),
            Piece::Close(id) => out.push_str(&format!("</{id}>")),
        }
    }
    out
}

/// Reads the numbered-marker form back; anything that is not a marker is text.
pub fn from_marked(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        match marker(after) {
            Some((piece, len)) => {
                push_text(&mut out, &rest[..at]);
                out.push(piece);
                rest = &after[len..];
            }
            None => {
                push_text(&mut out, &rest[..=at]);
                rest = after;
            }
        }
    }
    push_text(&mut out, rest);
    out
}

/// A marker after its `<`: the piece and how many bytes it took.
fn marker(after: &str) -> Option<(Piece, usize)> {
    let closing = after.starts_with('/');
    let digits_at = usize::from(closing);
    let digits: &str = &after[digits_at..];
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 6 {
        return None;
    }
    let id: u32 = digits[..len].parse().ok()?;
    let tail = &digits[len..];
    if !closing && tail.starts_with("/>") {
        Some((Piece::Ph(id), digits_at + len + 2))
    } else if tail.starts_with('>') {
        let piece = if closing {
            Piece::Close(id)
        } else {
            Piece::Open(id)
        };
        Some((piece, digits_at + len + 1))
    } else {
        None
    }
}

/// How a translation broke the placeholders of its source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    #[error("the placeholder {0} of the source is missing")]
    Missing(u32),
    #[error("the placeholder {0} is not in the source")]
    Unknown(u32),
    #[error("the placeholder {0} appears more than once")]
    Repeated(u32),
    #[error("the placeholder {0} is closed before it is opened, or crosses another pair")]
    Crossed(u32),
    #[error("the placeholder {0} changed kind (a pair became a single mark or the reverse)")]
    Kind(u32),
}

/// Checks that `target` keeps every placeholder of `source` once, with its
/// kind, and pairs properly nested; they may move and nest differently.
pub fn check(source: &[Piece], target: &[Piece]) -> Result<(), PlaceholderError> {
    let mut singles = BTreeSet::new();
    let mut pairs = BTreeSet::new();
    for p in source {
        match p {
            Piece::Ph(id) => {
                singles.insert(*id);
            }
            Piece::Open(id) => {
                pairs.insert(*id);
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut open: Vec<u32> = Vec::new();
    for p in target {
        match p {
            Piece::Text(_) => {}
            Piece::Ph(id) => {
                if pairs.contains(id) {
                    return Err(PlaceholderError::Kind(*id));
                }
                if !singles.contains(id) {
                    return Err(PlaceholderError::Unknown(*id));
                }
                if !seen.insert(*id) {
                    return Err(PlaceholderError::Repeated(*id));
                }
            }
            Piece::Open(id) => {
                if singles.contains(id) {
                    return Err(PlaceholderError::Kind(*id));
                }
                if !pairs.contains(id) {
                    return Err(PlaceholderError::Unknown(*id));
                }
                if !seen.insert(*id) {
                    return Err(PlaceholderError::Repeated(*id));
                }
                open.push(*id);
            }
            Piece::Close(id) => {
                if open.pop() != Some(*id) {
                    return Err(PlaceholderError::Crossed(*id));
                }
            }
        }
    }
    if let Some(id) = open.pop() {
        return Err(PlaceholderError::Crossed(id));
    }
    if let Some(id) = singles.union(&pairs).find(|id| !seen.contains(id)) {
        return Err(PlaceholderError::Missing(*id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_and_literal_angles_stay_text() {
        let text = "Read <1>the <2/> guide</1> if a < b or <x> and <3/>";
        let pieces = from_marked(text);
        assert_eq!(to_marked(&pieces), text);
        assert!(pieces.contains(&Piece::Open(1)));
        assert!(pieces.contains(&Piece::Ph(2)));
        assert!(check(&pieces, &from_marked("<3/> <1>guide <2/></1> a < b")).is_ok());
    }

    #[test]
    fn check_names_the_broken_placeholder() {
        let source = from_marked("<1>a</1> <2/> <3>b</3>");
        let t = |s: &str| check(&source, &from_marked(s));
        assert_eq!(t("<1>a</1> <3>b</3>"), Err(PlaceholderError::Missing(2)));
        assert_eq!(
            t("<1>a</1> <2/> <2/> <3>b</3>"),
            Err(PlaceholderError::Repeated(2))
        );
        assert_eq!(t("<1>a <3>b</1></3> <2/>"), Err(PlaceholderError::Crossed(1)));
        assert_eq!(t("</1>a<1> <2/> <3>b</3>"), Err(PlaceholderError::Crossed(1)));
        assert_eq!(t("<1/> <2/> <3>b</3>"), Err(PlaceholderError::Kind(1)));
        assert_eq!(
            t("<1>a</1> <2/> <3>b</3> <9/>"),
            Err(PlaceholderError::Unknown(9))
        );
    }

    #[test]
    fn normalise_collapses_space_across_runs() {
        let p = normalise(vec![
            Piece::Text("  a \n".into()),
            Piece::Text(" b".into()),
            Piece::Ph(1),
            Piece::Text(" ".into()),
        ]);
        assert_eq!(p, vec![Piece::Text("a b".into()), Piece::Ph(1)]);
        let p = normalise(from_marked("a<1> b </1>c <2>d</2>"));
        assert_eq!(to_marked(&p), "a <1>b</1> c <2>d</2>");
    }
}
