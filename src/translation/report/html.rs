//! The HTML report: one self-contained page (inline CSS, no scripts, no
//! outside requests) with a language × section grid coloured by coverage,
//! the pages each language lacks, stale and machine translations with links
//! to their files (relative to the site folder: save the page there), and
//! the Fluent problems.

use std::fmt::Write;

use crate::translation::Status;
use crate::translation::report::{machine, section_label, stale, untranslated};

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}\
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}\
th:first-child,td:first-child{text-align:left}td.cov{font-weight:600}\
li{margin:.2rem 0}.warning{color:#8a5300}.error{color:#b00020}code{background:#f3f3f3;padding:0 .2rem}";

/// Escapes text for HTML content and attributes.
fn esc(text: &str) -> String {
    crate::output::xml_escape(text)
}

/// Red at 0 %, amber at 50 %, green at 100 %: the hue follows coverage.
fn colour(percent: f64) -> String {
    format!("hsl({:.0},70%,80%)", percent.clamp(0.0, 100.0) * 1.2)
}

pub fn render(status: &Status) -> String {
    let c = &status.coverage;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Translation status</title><style>{STYLE}</style></head><body>\n\
         <h1>Translation status</h1>\n<p>Source language: <code>{}</code>. \
         Coverage counts pages written or translated in a language; stale translations count but are listed below.</p>\n",
        esc(&c.default_language)
    );
    out.push_str("<h2>Languages</h2>\n<table><tr><th>language</th><th>pages</th><th>translated</th><th>missing</th><th>fallback</th><th>stale</th><th>machine</th><th>reviewed</th><th>pages %</th><th>words %</th></tr>\n");
    for (code, name) in &status.names {
        let Some(t) = c.totals.get(code) else { continue };
        let _ = writeln!(
            out,
            "<tr><td>{} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"cov\" style=\"background:{}\">{:.1}</td><td class=\"cov\" style=\"background:{}\">{:.1}</td></tr>",
            esc(name),
            esc(code),
            t.pages,
            t.source + t.translated,
            t.missing,
            t.fallback,
            t.stale,
            t.machine,
            t.reviewed,
            colour(t.coverage_pages),
            t.coverage_pages,
            colour(t.coverage_words),
            t.coverage_words
        );
    }
    out.push_str("</table>\n<h2>Coverage by section</h2>\n<table><tr><th>section</th>");
    for (code, _) in &status.names {
        let _ = write!(out, "<th>{}</th>", esc(code));
    }
    out.push_str("</tr>\n");
    for (section, by_lang) in &c.sections {
        let _ = write!(out, "<tr><td>{}</td>", esc(section_label(section)));
        for (code, _) in &status.names {
            match by_lang.get(code) {
                Some(n) => {
                    let _ = write!(
                        out,
                        "<td class=\"cov\" style=\"background:{}\" title=\"{} of {} pages\">{:.1}</td>",
                        colour(n.coverage_pages),
                        n.source + n.translated,
                        n.pages,
                        n.coverage_pages
                    );
                }
                None => out.push_str("<td>–</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    for (code, name) in &status.names {
        write_language(&mut out, status, code, name);
    }
    write_fluent(&mut out, status);
    out.push_str("</body></html>\n");
    out
}

fn link(file: &str) -> String {
    format!("<a href=\"{0}\"><code>{0}</code></a>", esc(file))
}

fn write_language(out: &mut String, status: &Status, code: &str, name: &str) {
    let rows = &status.coverage.rows;
    let mut items = String::new();
    for (row, cell) in untranslated(rows, code) {
        let how = match &cell.fallback_language {
            Some(l) => format!("shown in <code>{}</code>", esc(l)),
            None => "missing".to_string(),
        };
        let _ = writeln!(
            items,
            "<li>{how}: {} — {}</li>",
            esc(&row.title),
            link(&row.source_file)
        );
    }
    for (row, cell) in stale(rows, code) {
        let Some(s) = &cell.stale else { continue };
        let _ = write!(
            items,
            "<li>stale: {} follows <code>{}</code> of {}; the source changed {}",
            link(cell.file.as_deref().unwrap_or_default()),
            esc(&s.stamped_hash),
            link(&row.source_file),
            esc(s.source_modified.as_deref().unwrap_or("at an unknown date"))
        );
        if let Some(changes) = &s.changes {
            items.push_str("<ul>");
            for ch in changes {
                let _ = write!(
                    items,
                    "<li>{} paragraph {}: {}</li>",
                    ch.change,
                    ch.paragraph,
                    esc(&ch.text)
                );
            }
            items.push_str("</ul>");
        }
        items.push_str("</li>\n");
    }
    for (_, cell) in machine(rows, code) {
        let _ = writeln!(
            items,
            "<li>machine-translated: {}</li>",
            link(cell.file.as_deref().unwrap_or_default())
        );
    }
    if !items.is_empty() {
        let _ = write!(
            out,
            "<h2>{} <code>{}</code></h2>\n<ul>\n{items}</ul>\n",
            esc(name),
            esc(code)
        );
    }
}

fn write_fluent(out: &mut String, status: &Status) {
    let _ = writeln!(
        out,
        "<h2>Fluent</h2>\n<p>{} error(s), {} warning(s)</p>\n<ul>",
        status.fluent.error_count(),
        status.fluent.warning_count()
    );
    for d in status.fluent.iter() {
        let severity = if d.is_error() { "error" } else { "warning" };
        let place = match (&d.file, &d.location) {
            (Some(f), Some(l)) => format!("{}:{}:{}", f.display(), l.line, l.column),
            (Some(f), None) => f.display().to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "<li class=\"{severity}\">{severity}: {} <code>{}</code>{}</li>",
            esc(&d.message),
            esc(&place),
            d.hint
                .as_deref()
                .map(|h| format!(" — {}", esc(h)))
                .unwrap_or_default()
        );
    }
    out.push_str("</ul>\n");
}
