//! Pseudo-localization: fills every target with a recognisable stand-in
//! for a translation, so a build shows what the theme does with longer text
//! (accented, about a third longer) or with right-to-left text, and where
//! text escaped translation. Placeholders are kept where they are.

use super::pieces::Piece;
use super::{Exchange, UnitState};

/// Which stand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pseudo {
    /// `Ĥéééllöö` between ⟦ ⟧: accented and lengthened.
    Accented,
    /// Each run mirrored with right-to-left override marks, for RTL layouts.
    Rtl,
}

/// Fills the target of every unit (slugs are kept: addresses stay readable).
pub fn fill(ex: &mut Exchange, pseudo: Pseudo) {
    for page in &mut ex.pages {
        for unit in &mut page.units {
            if unit.id == "slug" {
                continue;
            }
            let mut target: Vec<Piece> = unit
                .source
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => Piece::Text(run(t, pseudo)),
                    other => other.clone(),
                })
                .collect();
            if pseudo == Pseudo::Accented {
                target.insert(0, Piece::Text("⟦".into()));
                target.push(Piece::Text("⟧".into()));
            }
            unit.target = Some(super::pieces::normalise(target));
            unit.state = UnitState::Translated;
            unit.prefilled = false;
        }
    }
}

fn run(text: &str, pseudo: Pseudo) -> String {
    match pseudo {
        Pseudo::Accented => text.chars().flat_map(accent).collect(),
        // RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING.
        Pseudo::Rtl if text.trim().is_empty() => text.to_string(),
        Pseudo::Rtl => format!("\u{202e}{text}\u{202c}"),
    }
}

/// A letter with an accent; vowels twice, to lengthen the text.
fn accent(c: char) -> Vec<char> {
    const FROM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const TO: &str = "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ";
    let Some(i) = FROM.find(c) else {
        return vec![c];
    };
    let accented = TO.chars().nth(i).unwrap_or(c);
    if "aeiouyAEIOUY".contains(c) {
        vec![accented, accented]
    } else {
        vec![accented]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_lengthens() {
        assert_eq!(run("Hello, 2 cats", Pseudo::Accented), "Ĥééĺĺöö, 2 çààţš");
        assert_eq!(run("abc", Pseudo::Rtl), "\u{202e}abc\u{202c}");
    }
}
