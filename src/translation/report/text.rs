//! The terminal report: one line per language, then what each language
//! lacks, what went stale (with the paragraphs that changed) and what is
//! machine-translated, then the Fluent problems' count.

use std::fmt::Write;

use crate::translation::Status;
use crate::translation::policy::Problem;
use crate::translation::report::{machine, section_label, stale, untranslated};

pub fn render(status: &Status) -> String {
    let c = &status.coverage;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<8} {:>6} {:>6} {:>7} {:>6} {:>6} {:>9} {:>7} {:>8} {:>6} {:>7} {:>7}",
        "lang",
        "pages",
        "done",
        "missing",
        "fallbk",
        "stale",
        "unstamped",
        "machine",
        "reviewed",
        "draft",
        "pages%",
        "words%"
    );
    for (code, _) in &status.names {
        let Some(t) = c.totals.get(code) else { continue };
        let _ = writeln!(
            out,
            "{:<8} {:>6} {:>6} {:>7} {:>6} {:>6} {:>9} {:>7} {:>8} {:>6} {:>6.1}% {:>6.1}%",
            code,
            t.pages,
            t.source + t.translated,
            t.missing,
            t.fallback,
            t.stale,
            t.unstamped,
            t.machine,
            t.reviewed,
            t.draft,
            t.coverage_pages,
            t.coverage_words
        );
    }
    terms(status, &mut out);
    let codes: Vec<String> = status.names.iter().map(|(code, _)| code.clone()).collect();
    if let Some(line) = crate::import::census_line(&status.unpublished, &codes) {
        let _ = writeln!(out, "\n{line}");
    }
    let _ = writeln!(out, "\nby section (pages%):");
    let _ = write!(out, "{:<16}", "section");
    for (code, _) in &status.names {
        let _ = write!(out, " {code:>7}");
    }
    out.push('\n');
    for (section, by_lang) in &c.sections {
        let _ = write!(out, "{:<16}", section_label(section));
        for (code, _) in &status.names {
            match by_lang.get(code) {
                Some(counts) => {
                    let _ = write!(out, " {:>6.1}%", counts.coverage_pages);
                }
                None => out.push_str("       -"),
            }
        }
        out.push('\n');
    }
    for (code, _) in &status.names {
        let lacking: Vec<_> = untranslated(&c.rows, code).collect();
        if !lacking.is_empty() {
            let _ = writeln!(out, "\n{code}: {} page(s) not translated:", lacking.len());
        }
        for (row, cell) in lacking {
            let how = match &cell.fallback_language {
                Some(l) => format!("shows {l}"),
                None => "missing".to_string(),
            };
            let _ = writeln!(out, "    {} ({how})", row.source_file);
        }
        for (row, cell) in stale(&c.rows, code) {
            let Some(s) = &cell.stale else { continue };
            let file = cell.file.as_deref().unwrap_or_default();
            let since = s.source_modified.as_deref().unwrap_or("an unknown date");
            let _ = writeln!(
                out,
                "\n{code}: stale: {file} (follows {} of {}; source changed {since})",
                s.stamped_hash, row.source_file
            );
            match &s.changes {
                Some(changes) => {
                    for ch in changes {
                        let _ = writeln!(out, "    {} paragraph {}: {}", ch.change, ch.paragraph, ch.text);
                    }
                }
                None => {
                    let _ = writeln!(
                        out,
                        "    (no snapshot of the stamped version: run `vitrine i18n stamp` after updating)"
                    );
                }
            }
        }
        for (_, cell) in machine(&c.rows, code) {
            let by = cell.by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{code}: machine-translated{by}: {}",
                cell.file.as_deref().unwrap_or_default()
            );
        }
    }
    if !status.policy.is_empty() {
        let _ = writeln!(out, "\nlanguage policy: {} problem(s):", status.policy.len());
    }
    for f in &status.policy {
        let what = match &f.problem {
            Problem::Missing => "required, missing".to_string(),
            Problem::Stale { days, max_stale_days } => {
                format!("required, stale for {days} days (at most {max_stale_days})")
            }
            Problem::Unpublished { translation } => format!("withheld, {translation} is not published"),
        };
        let _ = writeln!(out, "    {}: {} ({what}; {})", f.language, f.file, f.rule);
    }
    let _ = writeln!(
        out,
        "\nFluent: {} error(s), {} warning(s)",
        status.fluent.error_count(),
        status.fluent.warning_count()
    );
    out
}

/// Declared taxonomy terms per language, when the site has any: how many
/// are named in the language, and how many of the landing pages are
/// written there (the rest show another language's text).
fn terms(status: &Status, out: &mut String) {
    let totals = &status.coverage.totals;
    if totals.values().all(|t| t.terms == 0) {
        return;
    }
    let _ = writeln!(out, "\nterms (named / declared, landing pages written / all):");
    for (code, _) in &status.names {
        let Some(t) = totals.get(code) else { continue };
        let _ = writeln!(
            out,
            "{:<8} {:>4} / {:<4} {:>4} / {}",
            code, t.named_terms, t.terms, t.covered_landing_pages, t.landing_pages
        );
    }
}
