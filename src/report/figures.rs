//! The report's figures, computed from the loaded site and nothing else:
//! presence, timeliness, freshness, accuracy, quality and reach readiness,
//! for the site total, each language, each section and each section in each
//! language. Pure: the caller loads the site and decides "today"; the HTML
//! and JSON faces only read [`Report`].
//!
//! Figures count pages (not the home or section index pages): one page in
//! one language is an *item*, the unit every slice adds up.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::items::Item;
use super::measure::{self, median, percentile, share};
use crate::translation::coverage::State;

/// How many entries a list of examples keeps (oldest stale, outdated).
pub const LIST_LIMIT: usize = 10;

/// What the figures are computed against.
#[derive(Debug, Clone)]
pub struct Period {
    /// "Today": ages and waiting times are counted up to this day.
    pub as_of: NaiveDate,
    /// The first day of the windows (cadence, accuracy by month, history).
    pub since: NaiveDate,
    /// Sections whose pages should be current (a year without update is flagged).
    pub current_sections: Vec<String>,
    /// The weight budget of a page's first screen, in bytes.
    pub budget_bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub presence: Presence,
    pub timeliness: Timeliness,
    pub freshness: Freshness,
    pub accuracy: Accuracy,
    pub quality: Quality,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Presence {
    /// Pages of the site in this slice (each page once, whatever its languages).
    pub pages: usize,
    /// Words of those pages' sources.
    pub words: usize,
    /// Page × language slots: what full coverage would publish.
    pub slots: usize,
    /// Slots readers get in their own language (written or translated).
    pub published: usize,
    pub published_words: usize,
    pub coverage_pages: f64,
    pub coverage_words: f64,
    pub translated: usize,
    pub machine: usize,
    /// Machine translations among published slots, in percent.
    pub machine_share: f64,
    pub stale: usize,
    /// Stale translations among published slots, in percent.
    pub stale_share: f64,
    /// Slots showing another language's text.
    pub fallback: usize,
    /// Slots left out (withheld, or `untranslated: skip`).
    pub missing: usize,
    /// Slots withheld from a language on purpose (`withheld:`, language
    /// policy): not counted in `slots`.
    pub withheld: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeliness {
    /// Days from the source's date (or last update) to its translation's.
    pub lag: Lag,
    /// Stale translations waiting longest since their source changed.
    pub oldest_stale: Vec<Waiting>,
    /// Pages dated in each week of the period (weeks start on Monday).
    pub cadence: Vec<WeekCount>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Lag {
    /// Translations with a date whose source has one.
    pub measured: usize,
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    /// Translations dated before their source's last update: behind.
    pub behind: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Waiting {
    pub file: String,
    pub lang: String,
    pub source_file: String,
    /// Days since the source changed (its `updated` or `date`).
    pub days: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekCount {
    /// The Monday starting the week.
    pub week: String,
    pub pages: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Freshness {
    /// Age in days of the most recently dated or updated page.
    pub newest_days: Option<i64>,
    pub median_days: Option<i64>,
    /// Pages of sections that should be current, not updated for over a year.
    pub outdated: usize,
    pub outdated_pages: Vec<Aged>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Aged {
    pub file: String,
    pub days: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Accuracy {
    /// Corrections published (every dated entry of `corrections`).
    pub corrections: usize,
    /// Pages updated (`updated` set later than `date`).
    pub updates: usize,
    /// Month by month over the period.
    pub by_month: Vec<MonthCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthCount {
    pub month: String,
    pub corrections: usize,
    pub updates: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    pub without_description: usize,
    pub cover_without_alt: usize,
    /// Pages whose first screen (HTML, CSS, cover) is over the budget.
    pub over_budget: usize,
    pub budget_kb: u64,
    /// Broken `@/` links: always 0, a build refuses them.
    pub broken_internal_links: usize,
    pub external_links: usize,
}

/// Figures of one slice of items.
pub fn compute(items: &[&Item<'_>], period: &Period) -> Figures {
    Figures {
        presence: presence(items),
        timeliness: timeliness(items, period),
        freshness: freshness(items, period),
        accuracy: accuracy(items, period),
        quality: quality(items, period),
    }
}

fn presence(items: &[&Item<'_>]) -> Presence {
    let mut p = Presence::default();
    let mut pages = std::collections::HashSet::new();
    for item in items {
        if pages.insert(item.row.content_path.as_str()) {
            p.pages += 1;
            p.words += item.row.words;
        }
        if item.cell.state == State::Withheld {
            p.withheld += 1;
            continue;
        }
        p.slots += 1;
        match item.cell.state {
            State::Withheld => {}
            State::Source => {}
            State::Translated => p.translated += 1,
            State::Fallback => p.fallback += 1,
            State::Missing => p.missing += 1,
        }
        if item.cell.is_covered() {
            p.published += 1;
            p.published_words += item.row.words;
        }
        p.machine += usize::from(item.is_machine());
        p.stale += usize::from(item.cell.stale.is_some());
    }
    let slot_words: usize = items
        .iter()
        .filter(|i| i.cell.state != State::Withheld)
        .map(|i| i.row.words)
        .sum();
    p.coverage_pages = share(p.published, p.slots);
    p.coverage_words = share(p.published_words, slot_words);
    p.machine_share = share(p.machine, p.published);
    p.stale_share = share(p.stale, p.published);
    p
}

fn timeliness(items: &[&Item<'_>], period: &Period) -> Timeliness {
    let mut lags = Vec::new();
    let mut behind = 0;
    for item in items {
        match item.lag_days() {
            Some(days) if days >= 0 => lags.push(days),
            Some(_) => behind += 1,
            None => {}
        }
    }
    lags.sort_unstable();
    let mut oldest_stale: Vec<Waiting> = items
        .iter()
        .filter(|i| i.cell.stale.is_some())
        .map(|i| Waiting {
            file: i.cell.file.clone().unwrap_or_default(),
            lang: i.lang.to_string(),
            source_file: i.row.source_file.clone(),
            days: i.source.changed().map(|d| (period.as_of - d).num_days()),
        })
        .collect();
    oldest_stale.sort_by(|a, b| b.days.cmp(&a.days).then_with(|| a.file.cmp(&b.file)));
    oldest_stale.truncate(LIST_LIMIT);
    let mut weeks: BTreeMap<NaiveDate, usize> = measure::weeks(period.since, period.as_of)
        .into_iter()
        .map(|w| (w, 0))
        .collect();
    for day in items.iter().filter_map(|i| i.own_date()) {
        if let Some(n) = weeks.get_mut(&measure::week_start(day)) {
            *n += usize::from(day >= period.since && day <= period.as_of);
        }
    }
    Timeliness {
        lag: Lag {
            measured: lags.len(),
            median_days: median(&lags),
            p90_days: percentile(&lags, 90),
            behind,
        },
        oldest_stale,
        cadence: weeks
            .into_iter()
            .map(|(w, pages)| WeekCount {
                week: w.to_string(),
                pages,
            })
            .collect(),
    }
}

fn freshness(items: &[&Item<'_>], period: &Period) -> Freshness {
    let mut ages: Vec<i64> = Vec::new();
    let mut outdated = Vec::new();
    for item in items {
        let Some(changed) = item.own().and_then(|d| d.changed()) else {
            continue;
        };
        let days = (period.as_of - changed).num_days();
        ages.push(days);
        if days > 365 && period.current_sections.contains(&item.row.section) {
            outdated.push(Aged {
                file: item.cell.file.clone().unwrap_or_default(),
                days,
            });
        }
    }
    ages.sort_unstable();
    outdated.sort_by(|a, b| b.days.cmp(&a.days).then_with(|| a.file.cmp(&b.file)));
    let count = outdated.len();
    outdated.truncate(LIST_LIMIT);
    Freshness {
        newest_days: ages.first().copied(),
        median_days: median(&ages),
        outdated: count,
        outdated_pages: outdated,
    }
}

fn accuracy(items: &[&Item<'_>], period: &Period) -> Accuracy {
    let mut months: BTreeMap<String, (usize, usize)> = measure::months(period.since, period.as_of)
        .into_iter()
        .map(|m| (m, (0, 0)))
        .collect();
    let mut a = Accuracy::default();
    for doc in items.iter().filter_map(|i| i.own()) {
        for day in doc.correction_dates() {
            a.corrections += 1;
            if let Some(m) = months.get_mut(&measure::month(day)) {
                m.0 += 1;
            }
        }
        if let Some(day) = doc.update_date() {
            a.updates += 1;
            if let Some(m) = months.get_mut(&measure::month(day)) {
                m.1 += 1;
            }
        }
    }
    a.by_month = months
        .into_iter()
        .map(|(month, (corrections, updates))| MonthCount {
            month,
            corrections,
            updates,
        })
        .collect();
    a
}

fn quality(items: &[&Item<'_>], period: &Period) -> Quality {
    let mut q = Quality {
        budget_kb: period.budget_bytes / 1024,
        ..Quality::default()
    };
    for doc in items.iter().filter_map(|i| i.own()) {
        q.without_description += usize::from(doc.doc.front.description.is_none());
        q.cover_without_alt += usize::from(doc.cover_without_alt());
        q.over_budget += usize::from(doc.weight > period.budget_bytes);
        q.external_links += doc.external_links;
    }
    q
}
