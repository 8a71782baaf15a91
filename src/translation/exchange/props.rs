//! Property tests of the segmentation on generated Markdown: leaving every
//! unit as its source gives the body back byte for byte, and a translation
//! full of Markdown characters comes back as the same units with the same
//! placeholders when the rebuilt body is cut again.

use proptest::prelude::*;

use super::pieces::{Piece, normalise, to_marked};
use super::segment::segment_body;

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "alpha", "phở", "Hà", "nội", "beta", "gamma", "đất", "x1", "Ωmega", "3",
    ])
    .prop_map(str::to_string)
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => word(),
        1 => word().prop_map(|w| format!("*{w}*")),
        1 => (word(), word()).prop_map(|(a, b)| format!("**{a} {b}**")),
        1 => word().prop_map(|w| format!("~~{w}~~")),
        1 => word().prop_map(|w| format!("`{w}`")),
        1 => word().prop_map(|w| format!("[{w}](/to/{w} \"t\")")),
        1 => word().prop_map(|w| format!("![{w}](/i/{w}.png)")),
        1 => word().prop_map(|w| format!("<b>{w}</b>")),
        1 => word().prop_map(|w| format!("{{{{ figure(src=\"/f.svg\", alt=\"{w} {w}\") }}}}")),
        1 => Just("\\*".to_string()),
        1 => Just("&amp;".to_string()),
    ]
}

fn inline() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 1..6).prop_map(|t| t.join(" "))
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => inline(),
        1 => (inline(), inline()).prop_map(|(a, b)| format!("{a}\n{b}")),
        1 => inline().prop_map(|a| format!("## {a}")),
        1 => (inline(), inline()).prop_map(|(a, b)| format!("- {a}\n- {b}\n  - {a}")),
        1 => (inline(), inline()).prop_map(|(a, b)| format!("1. {a}\n2. {b}")),
        1 => (inline(), inline()).prop_map(|(a, b)| format!("> {a}\n> {b}")),
        1 => (inline(), inline()).prop_map(|(a, b)| format!("| h | {a} |\n|---|---:|\n| {b} | 2 |")),
        1 => inline().prop_map(|a| format!("```\n{a}\n```")),
        1 => (word(), inline()).prop_map(|(w, a)| format!("{{% quote(by=\"{w}\") %}}\n{a}\n{{% end %}}")),
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 1..8).prop_map(|b| b.join("\n\n") + "\n")
}

/// A translation of a text run with Markdown characters inside it.
fn translate(text: &str) -> String {
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let inner = text.trim();
    if inner.is_empty() {
        return text.to_string();
    }
    format!("{lead}Ž{inner} *_[x] # 1. <y> & `q` \\ | ~Ž{trail}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn sources_come_back_byte_for_byte(body in body()) {
        let seg = segment_body(&body, Vec::new());
        prop_assert_eq!(seg.render_body(&[]), body.clone());
        let same: Vec<Option<Vec<Piece>>> = seg.units.iter().map(|u| Some(u.source.clone())).collect();
        prop_assert_eq!(seg.render_body(&same), body);
    }

    #[test]
    fn translations_keep_units_and_placeholders(body in body()) {
        let seg = segment_body(&body, Vec::new());
        let targets: Vec<Option<Vec<Piece>>> = seg
            .units
            .iter()
            .map(|u| {
                Some(normalise(
                    u.source
                        .iter()
                        .map(|p| match p {
                            Piece::Text(t) => Piece::Text(translate(t)),
                            other => other.clone(),
                        })
                        .collect(),
                ))
            })
            .collect();
        let rebuilt = seg.render_body(&targets);
        let again = segment_body(&rebuilt, Vec::new());
        let want: Vec<String> = targets.iter().flatten().map(|t| to_marked(t)).collect();
        let got: Vec<String> = again.units.iter().map(|u| to_marked(&u.source)).collect();
        prop_assert_eq!(got, want, "rebuilt:\n{}", rebuilt);
    }
}
