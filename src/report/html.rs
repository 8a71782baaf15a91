//! The dashboard page: one self-contained HTML file (inline CSS, inline
//! SVG charts, no script, no outside request) that reads top to bottom as
//! presence, timeliness, freshness, accuracy, quality, reach and history.
//! Every chart has a title and description and its numbers in a data table
//! right after it. Words come from [`labels`](super::labels); the figures
//! are only read, never computed here.

use std::fmt::Write;

use super::figures::Figures;
use super::labels::{Labels, for_language};
use super::svg::{self, Bar, Series};
use super::{LanguageName, Report};
use crate::output::xml_escape as esc;

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1b1b1b;background:#fff}\
h1{margin-bottom:0}h2{border-bottom:2px solid #a3161c;padding-bottom:.2rem;margin-top:2.5rem}\
.meta{color:#444}.cards{display:flex;flex-wrap:wrap;gap:1rem;padding:0;list-style:none}\
.cards li{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;min-width:9rem}\
.cards strong{display:block;font-size:1.6rem}\
table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}\
th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}th{background:#f4f4f4}\
th:first-child,td:first-child{text-align:left}th[scope=row]{white-space:nowrap}caption{text-align:left;font-weight:600;padding:.3rem 0}\
.chart{display:block;max-width:100%;height:auto;font-size:13px;fill:#1b1b1b}.chart .small{font-size:11px}\
details{margin:.5rem 0 1.5rem}summary{cursor:pointer}.note{background:#fff6df;border-left:4px solid #8a5300;padding:.5rem 1rem}\
.scroll{overflow-x:auto}";

/// The dashboard of a report.
pub fn render(report: &Report) -> String {
    let l = for_language("en");
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} – {}</title><style>{STYLE}</style></head><body>\n<main>\n\
         <h1>{}</h1>\n<p class=\"meta\">{} – {} {} ({} {} – {}).</p>\n<p>{}</p>\n",
        l.lang,
        esc(l.title),
        esc(&report.site.title),
        esc(&report.site.title),
        esc(l.title),
        esc(l.as_of),
        report.as_of,
        esc(l.period),
        report.since,
        report.as_of,
        esc(l.intro)
    );
    cards(&mut out, report, l);
    presence(&mut out, report, l);
    timeliness(&mut out, report, l);
    freshness(&mut out, report, l);
    accuracy(&mut out, report, l);
    quality(&mut out, report, l);
    reach(&mut out, report, l);
    history(&mut out, report, l);
    out.push_str("</main>\n</body></html>\n");
    out
}

/// `name (code)`, the name isolated so a right-to-left name does not pull
/// the code into its direction (FSI … PDI work in HTML and SVG text alike).
fn language_label(code: &str, name: &str) -> String {
    format!("\u{2068}{name}\u{2069} ({code})")
}

fn days(d: Option<i64>) -> String {
    d.map_or("–".to_string(), |d| d.to_string())
}

/// A table with a caption, header row and rows of cells (escaped here).
fn table(out: &mut String, caption: &str, headers: &[&str], rows: &[Vec<String>]) {
    let _ = write!(
        out,
        "<div class=\"scroll\"><table><caption>{}</caption><thead><tr>",
        esc(caption)
    );
    for h in headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", esc(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A chart followed by its numbers, folded.
fn chart_with_data(
    out: &mut String,
    l: &Labels,
    chart: String,
    caption: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) {
    out.push_str("<figure>");
    out.push_str(&chart);
    let _ = write!(
        out,
        "<details><summary>{} – {}</summary>",
        esc(l.data_table),
        esc(caption)
    );
    table(out, caption, headers, rows);
    out.push_str("</details></figure>\n");
}

/// Language rows: `(name, figures)` in site order, then the total.
fn language_rows<'a>(report: &'a Report, l: &'a Labels) -> Vec<(String, &'a Figures)> {
    let mut rows: Vec<(String, &Figures)> = report
        .site
        .languages
        .iter()
        .filter_map(|LanguageName { code, name }| {
            Some((language_label(code, name), &report.languages.get(code)?.figures))
        })
        .collect();
    rows.push((l.total.to_string(), &report.total));
    rows
}

fn cards(out: &mut String, report: &Report, l: &Labels) {
    let t = &report.total;
    out.push_str("<ul class=\"cards\">");
    for (label, value) in [
        (l.pages, t.presence.pages.to_string()),
        (l.languages, report.site.languages.len().to_string()),
        (l.coverage_pages, format!("{:.1}", t.presence.coverage_pages)),
        (l.lag_median, days(t.timeliness.lag.median_days)),
        (l.corrections, t.accuracy.corrections.to_string()),
    ] {
        let _ = write!(out, "<li><strong>{}</strong>{}</li>", esc(&value), esc(label));
    }
    out.push_str("</ul>\n");
}

fn presence(out: &mut String, report: &Report, l: &Labels) {
    let _ = writeln!(out, "<h2 id=\"presence\">{}</h2>", esc(l.presence));
    let bars: Vec<Bar> = report
        .site
        .languages
        .iter()
        .filter_map(|LanguageName { code, name }| {
            Some(Bar {
                label: language_label(code, name),
                value: report.languages.get(code)?.figures.presence.coverage_pages,
            })
        })
        .collect();
    let chart = svg::bars(
        "coverage",
        l.chart_coverage,
        l.chart_coverage_desc,
        &bars,
        100.0,
        " %",
    );
    out.push_str("<figure>");
    out.push_str(&chart);
    out.push_str("</figure>\n");
    let headers = [
        l.language,
        l.pages,
        l.published,
        l.coverage_pages,
        l.coverage_words,
        l.machine_share,
        l.stale_share,
        l.fallback,
        l.missing,
    ];
    let rows: Vec<Vec<String>> = language_rows(report, l)
        .into_iter()
        .map(|(name, f)| {
            let p = &f.presence;
            vec![
                name,
                p.pages.to_string(),
                p.published.to_string(),
                format!("{:.1}", p.coverage_pages),
                format!("{:.1}", p.coverage_words),
                format!("{:.1}", p.machine_share),
                format!("{:.1}", p.stale_share),
                p.fallback.to_string(),
                p.missing.to_string(),
            ]
        })
        .collect();
    table(out, l.chart_coverage, &headers, &rows);
    let mut headers: Vec<&str> = vec![l.section, l.pages];
    headers.extend(report.site.languages.iter().map(|l| l.code.as_str()));
    let rows: Vec<Vec<String>> = sections_in_order(report)
        .map(|(name, s)| {
            let mut row = vec![section_name(name, l), s.figures.presence.pages.to_string()];
            row.extend(report.site.languages.iter().map(|LanguageName { code, .. }| {
                s.languages
                    .get(code)
                    .map_or("–".to_string(), |f| format!("{:.1}", f.presence.coverage_pages))
            }));
            row
        })
        .collect();
    table(
        out,
        &format!("{} – {}", l.coverage_pages, l.section),
        &headers,
        &rows,
    );
}

/// Sections in navigation order (`site.sections`), not by name.
fn sections_in_order(report: &Report) -> impl Iterator<Item = (&String, &super::SectionFigures)> {
    report
        .site
        .sections
        .iter()
        .filter_map(|name| Some((name, report.sections.get(name)?)))
}

fn section_name(name: &str, l: &Labels) -> String {
    if name.is_empty() {
        l.home.to_string()
    } else {
        name.to_string()
    }
}

fn timeliness(out: &mut String, report: &Report, l: &Labels) {
    let _ = writeln!(out, "<h2 id=\"timeliness\">{}</h2>", esc(l.timeliness));
    let rows: Vec<Vec<String>> = language_rows(report, l)
        .into_iter()
        .map(|(name, f)| {
            let lag = &f.timeliness.lag;
            vec![
                name,
                days(lag.median_days),
                days(lag.p90_days),
                lag.behind.to_string(),
            ]
        })
        .collect();
    table(
        out,
        l.timeliness,
        &[l.language, l.lag_median, l.lag_p90, l.behind],
        &rows,
    );
    let weeks: Vec<Bar> = report
        .total
        .timeliness
        .cadence
        .iter()
        .map(|w| Bar {
            label: w.week.clone(),
            value: w.pages as f64,
        })
        .collect();
    let chart = svg::columns("cadence", l.chart_cadence, l.chart_cadence_desc, &weeks, 13);
    let mut headers = vec![l.week, l.total];
    headers.extend(report.site.languages.iter().map(|l| l.code.as_str()));
    let rows: Vec<Vec<String>> = report
        .total
        .timeliness
        .cadence
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut row = vec![w.week.clone(), w.pages.to_string()];
            row.extend(report.site.languages.iter().map(|LanguageName { code, .. }| {
                report
                    .languages
                    .get(code)
                    .and_then(|f| f.figures.timeliness.cadence.get(i))
                    .map_or("–".to_string(), |w| w.pages.to_string())
            }));
            row
        })
        .collect();
    chart_with_data(out, l, chart, l.cadence, &headers, &rows);
    let rows: Vec<Vec<String>> = report
        .total
        .timeliness
        .oldest_stale
        .iter()
        .map(|w| {
            vec![
                w.file.clone(),
                w.lang.clone(),
                w.source_file.clone(),
                days(w.days),
            ]
        })
        .collect();
    if rows.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3><p>{}</p>", esc(l.oldest_stale), esc(l.none));
    } else {
        table(
            out,
            l.oldest_stale,
            &[l.file, l.language, l.source_file, l.waiting_days],
            &rows,
        );
    }
}

fn freshness(out: &mut String, report: &Report, l: &Labels) {
    let _ = writeln!(out, "<h2 id=\"freshness\">{}</h2>", esc(l.freshness));
    let rows: Vec<Vec<String>> = sections_in_order(report)
        .map(|(name, s)| {
            let f = &s.figures.freshness;
            vec![
                section_name(name, l),
                days(f.newest_days),
                days(f.median_days),
                f.outdated.to_string(),
            ]
        })
        .collect();
    table(
        out,
        l.freshness,
        &[l.section, l.newest_days, l.median_days, l.outdated],
        &rows,
    );
    let outdated = &report.total.freshness.outdated_pages;
    if !outdated.is_empty() {
        let rows: Vec<Vec<String>> = outdated
            .iter()
            .map(|a| vec![a.file.clone(), a.days.to_string()])
            .collect();
        table(out, l.outdated, &[l.file, l.days], &rows);
    }
}

fn accuracy(out: &mut String, report: &Report, l: &Labels) {
    let _ = writeln!(out, "<h2 id=\"accuracy\">{}</h2>", esc(l.accuracy));
    let months = &report.total.accuracy.by_month;
    let points: Vec<Bar> = months
        .iter()
        .map(|m| Bar {
            label: m.month.clone(),
            value: m.corrections as f64,
        })
        .collect();
    let chart = svg::columns("accuracy", l.chart_accuracy, l.chart_accuracy_desc, &points, 3);
    let rows: Vec<Vec<String>> = months
        .iter()
        .map(|m| vec![m.month.clone(), m.corrections.to_string(), m.updates.to_string()])
        .collect();
    chart_with_data(
        out,
        l,
        chart,
        l.chart_accuracy,
        &[l.month, l.corrections, l.updates],
        &rows,
    );
}

fn quality(out: &mut String, report: &Report, l: &Labels) {
    let _ = writeln!(out, "<h2 id=\"quality\">{}</h2>", esc(l.quality));
    let over = format!("{} ({} KB)", l.over_budget, report.total.quality.budget_kb);
    let rows: Vec<Vec<String>> = language_rows(report, l)
        .into_iter()
        .map(|(name, f)| {
            let q = &f.quality;
            vec![
                name,
                q.without_description.to_string(),
                q.cover_without_alt.to_string(),
                q.over_budget.to_string(),
                q.external_links.to_string(),
                q.broken_internal_links.to_string(),
            ]
        })
        .collect();
    let headers = [
        l.language,
        l.without_description,
        l.cover_without_alt,
        &over,
        l.external_links,
        l.broken_links,
    ];
    table(out, l.quality, &headers, &rows);
}

fn reach(out: &mut String, report: &Report, l: &Labels) {
    let _ = writeln!(out, "<h2 id=\"reach\">{}</h2>", esc(l.reach));
    let rows: Vec<Vec<String>> = report
        .site
        .languages
        .iter()
        .filter_map(|LanguageName { code, name }| {
            let r = &report.languages.get(code)?.reach;
            Some(vec![
                language_label(code, name),
                r.feeds.to_string(),
                r.sitemap_urls.to_string(),
                r.search_pages.to_string(),
                r.search_words.to_string(),
            ])
        })
        .collect();
    let headers = [
        l.language,
        l.feeds,
        l.sitemap_urls,
        l.search_pages,
        l.search_words,
    ];
    table(out, l.reach, &headers, &rows);
}

fn history(out: &mut String, report: &Report, l: &Labels) {
    let _ = writeln!(out, "<h2 id=\"history\">{}</h2>", esc(l.over_time));
    let h = &report.history;
    if let Some(note) = &h.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(note));
    }
    if h.samples.is_empty() {
        if h.note.is_none() {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(l.no_history));
        }
        return;
    }
    let dates: Vec<String> = h
        .samples
        .iter()
        .map(|s| s.date.chars().take(10).collect())
        .collect();
    let series =
        |pick: &dyn Fn(&super::history::Sample, &str) -> Option<f64>, skip_default: bool| -> Vec<Series> {
            report
                .site
                .languages
                .iter()
                .filter(|l| !(skip_default && l.code == report.site.default_language))
                .map(|LanguageName { code, name }| Series {
                    name: language_label(code, name),
                    values: h.samples.iter().map(|s| pick(s, code)).collect(),
                })
                .collect()
        };
    let coverage = series(&|s, code| s.coverage.get(code).copied(), false);
    let lag = series(
        &|s, code| s.lag_median_days.get(code).copied().flatten().map(|d| d as f64),
        true,
    );
    let lag_max = lag
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0, |a: f64, b| a.max(*b));
    for (id, title, desc, series, max) in [
        (
            "history-coverage",
            l.chart_history_coverage,
            l.chart_history_coverage_desc,
            coverage,
            100.0,
        ),
        (
            "history-lag",
            l.chart_history_lag,
            l.chart_history_lag_desc,
            lag,
            lag_max.max(1.0),
        ),
    ] {
        let chart = svg::lines(id, title, desc, &dates, &series, max);
        let mut headers: Vec<&str> = vec![l.date];
        headers.extend(series.iter().map(|s| s.name.as_str()));
        let rows: Vec<Vec<String>> = dates
            .iter()
            .enumerate()
            .map(|(i, date)| {
                let mut row = vec![date.clone()];
                row.extend(
                    series
                        .iter()
                        .map(|s| s.values[i].map_or("–".to_string(), |v| format!("{v:.1}"))),
                );
                row
            })
            .collect();
        chart_with_data(out, l, chart, title, &headers, &rows);
    }
}
