//! Charts as inline SVG, drawn in Rust when the report is written: bars
//! (one row per language or section), columns (weeks, months) and lines
//! (history). Each chart is an `<svg role="img">` with a `<title>` and a
//! `<desc>` naming what it shows; the numbers themselves are in a data
//! table the HTML page puts beside it. Series differ by colour *and* dash
//! pattern, and carry their name in text, so colour is never the only cue.
//! Nothing here knows about pages or languages: it draws numbers.

use std::fmt::Write;

use crate::output::xml_escape as esc;

/// Colours with at least 4.5:1 contrast on white, then dash patterns.
const COLOURS: [&str; 6] = ["#a3161c", "#1f5fa8", "#1d6b34", "#7a3e9d", "#8a5300", "#2d5e63"];
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

pub fn colour(i: usize) -> &'static str {
    COLOURS[i % COLOURS.len()]
}

/// One labelled value.
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// A named series of a line chart; `None` where it has no value.
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

fn open(out: &mut String, id: &str, width: u32, height: u32, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Horizontal bars from 0 to `max`, one row each, the value written at the end.
pub fn bars(id: &str, title: &str, desc: &str, bars: &[Bar], max: f64, unit: &str) -> String {
    let (label_w, bar_w, row) = (150.0, 360.0, 26.0);
    let height = (bars.len() as f64 * row + 10.0) as u32;
    let mut out = String::new();
    open(&mut out, id, 580, height.max(30), title, desc);
    let max = if max > 0.0 { max } else { 1.0 };
    for (i, b) in bars.iter().enumerate() {
        let y = 5.0 + i as f64 * row;
        let w = (b.value.max(0.0) / max * bar_w).min(bar_w);
        let _ = write!(
            out,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"18\" fill=\"#eee\"/>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}{}</text>",
            label_w - 6.0,
            y + 14.0,
            esc(&b.label),
            colour(0),
            label_w + bar_w + 6.0,
            y + 14.0,
            number(b.value),
            esc(unit)
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical columns over time (weeks, months); every `label_every`-th label shown.
pub fn columns(id: &str, title: &str, desc: &str, points: &[Bar], label_every: usize) -> String {
    let (left, top, plot_w, plot_h) = (40.0, 10.0, 620.0, 140.0);
    let mut out = String::new();
    open(&mut out, id, 680, 190, title, desc);
    let max = even_ceiling(points.iter().map(|p| p.value).fold(0.0, f64::max));
    axis(&mut out, left, top, plot_w, plot_h, max);
    let step = plot_w / points.len().max(1) as f64;
    for (i, p) in points.iter().enumerate() {
        let h = p.value / max * plot_h;
        let x = left + i as f64 * step;
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
            x + step * 0.15,
            top + plot_h - h,
            step * 0.7,
            colour(1)
        );
        // A label needs about 70 units: none starts too close to the right edge.
        if label_every > 0 && i % label_every == 0 && x + 70.0 <= left + plot_w + 20.0 {
            let _ = write!(
                out,
                "<text x=\"{x:.1}\" y=\"{:.1}\" class=\"small\">{}</text>",
                top + plot_h + 16.0,
                esc(&p.label)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Lines over `x_labels`, from 0 to `max`; a legend names each series.
pub fn lines(id: &str, title: &str, desc: &str, x_labels: &[String], series: &[Series], max: f64) -> String {
    let (left, top, plot_w, plot_h) = (40.0, 10.0, 620.0, 160.0);
    let legend_rows = series.len().div_ceil(4);
    let height = (top + plot_h + 30.0 + legend_rows as f64 * 20.0) as u32;
    let mut out = String::new();
    open(&mut out, id, 680, height, title, desc);
    let max = if max >= 100.0 { max } else { even_ceiling(max) };
    axis(&mut out, left, top, plot_w, plot_h, max);
    let n = x_labels.len().max(2) - 1;
    let x_at = |i: usize| left + i as f64 / n as f64 * plot_w;
    let y_at = |v: f64| top + plot_h - v.clamp(0.0, max) / max * plot_h;
    for (s_index, s) in series.iter().enumerate() {
        let mut d = String::new();
        let mut pen_down = false;
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1} ",
                        if pen_down { "L" } else { "M" },
                        x_at(i),
                        y_at(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let dash = DASHES[s_index % DASHES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = write!(
            out,
            "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{dash}/>",
            d.trim_end(),
            colour(s_index)
        );
        let (lx, ly) = (
            left + (s_index % 4) as f64 * 155.0,
            top + plot_h + 40.0 + (s_index / 4) as f64 * 20.0,
        );
        let _ = write!(
            out,
            "<line x1=\"{lx:.0}\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\" stroke=\"{}\" stroke-width=\"2\"{dash}/>\
             <text x=\"{:.0}\" y=\"{ly:.0}\">{}</text>",
            ly - 4.0,
            lx + 24.0,
            ly - 4.0,
            colour(s_index),
            lx + 30.0,
            esc(&s.name)
        );
    }
    if let (Some(first), Some(last)) = (x_labels.first(), x_labels.last()) {
        let y = top + plot_h + 16.0;
        let _ = write!(
            out,
            "<text x=\"{left}\" y=\"{y}\" class=\"small\">{}</text><text x=\"{}\" y=\"{y}\" class=\"small\" text-anchor=\"end\">{}</text>",
            esc(first),
            left + plot_w,
            esc(last)
        );
    }
    out.push_str("</svg>");
    out
}

/// The least even whole number ≥ `value` and ≥ 2, so the middle grid line
/// of a count axis is a whole number too.
fn even_ceiling(value: f64) -> f64 {
    let up = value.ceil().max(2.0);
    if up % 2.0 == 0.0 { up } else { up + 1.0 }
}

/// The y axis from 0 to `max` with three grid lines.
fn axis(out: &mut String, left: f64, top: f64, w: f64, h: f64, max: f64) {
    for step in 0..=2 {
        let value = max * f64::from(step) / 2.0;
        let y = top + h - h * f64::from(step) / 2.0;
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" class=\"small\">{}</text>",
            left + w,
            left - 4.0,
            y + 4.0,
            number(value.round())
        );
    }
}
