//! Coverage and translation lag over time, from the site's git history.
//! The history is sampled (the last commit of each week since `--since`,
//! at most [`MAX_SAMPLES`]) and read without checkouts (see [`super::git`]):
//! the first sample's content files are listed, each next sample applies
//! the files changed since, and only those are read again. Only dates,
//! drafts and languages are read from a past file, so an old file that no
//! longer parses costs its page nothing but its dates.
//! Without git, or outside a repository, the report shows the present only
//! and [`History::note`] says why.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::git::{BlobReader, ContentDir, ContentTree, git};
use super::measure::{median, share, week_start};
use crate::config::Config;
use crate::content::{DocumentKind, dates, front_matter, place};

/// At most two years of weekly points.
pub const MAX_SAMPLES: usize = 104;
/// The walk stops (and says so) after this long.
pub const TIME_LIMIT: Duration = Duration::from_secs(25);

#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// `git` when samples come from the repository, `none` otherwise.
    pub source: &'static str,
    /// Why the history is missing or cut short.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Commits touching the site in the period.
    pub commits: usize,
    /// Oldest first.
    pub samples: Vec<Sample>,
}

impl History {
    pub fn skipped(note: &str) -> History {
        History {
            source: "none",
            note: Some(note.to_string()),
            commits: 0,
            samples: Vec::new(),
        }
    }
}

/// The site as it was at one commit.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub commit: String,
    /// The commit's date (committer, its own time zone).
    pub date: String,
    pub pages: usize,
    /// Page coverage per language, in percent.
    pub coverage: BTreeMap<String, f64>,
    /// Median translation lag per language, in days.
    pub lag_median_days: BTreeMap<String, Option<i64>>,
}

/// Walks the history of the repository holding `root`.
pub fn walk(root: &Path, config: &Config, since: NaiveDate, until: NaiveDate) -> History {
    match try_walk(root, config, since, until) {
        Ok(history) => history,
        Err(why) => History::skipped(&why),
    }
}

fn try_walk(root: &Path, config: &Config, since: NaiveDate, until: NaiveDate) -> Result<History, String> {
    let present_only = "the report shows the present only";
    git(root, &["rev-parse", "--show-prefix"])
        .map_err(|_| format!("the site is not in a git repository (or git is missing): {present_only}"))?;
    let log = git(
        root,
        &["log", "--first-parent", "--format=%H %cI", "HEAD", "--", "."],
    )
    .map_err(|_| format!("the repository has no commits yet: {present_only}"))?;
    let mut commits = Vec::new();
    for line in log.lines() {
        let Some((hash, date)) = line.split_once(' ') else {
            continue;
        };
        let Some(day) = dates::parse_date(date).map(|d| d.date_naive()) else {
            continue;
        };
        if day >= since && day <= until {
            commits.push((hash.to_string(), date.to_string(), day));
        }
    }
    // Newest first: the first commit seen in a week is that week's last.
    let mut weeks: Vec<(String, String)> = Vec::new();
    let mut last_week = None;
    for (hash, date, day) in &commits {
        let week = week_start(*day);
        if last_week != Some(week) {
            weeks.push((hash.clone(), date.clone()));
            last_week = Some(week);
        }
    }
    let mut note = None;
    if weeks.len() > MAX_SAMPLES {
        note = Some(format!(
            "{} weeks in the period: the last {MAX_SAMPLES} are shown",
            weeks.len()
        ));
        weeks.truncate(MAX_SAMPLES);
    }
    weeks.reverse();
    let content = ContentDir::find(root)?;
    let mut reader = BlobReader::start(root)?;
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut files = ContentTree::new();
    let mut pages: HashMap<String, Option<PastPage>> = HashMap::new();
    let mut previous: Option<&str> = None;
    for (hash, date) in &weeks {
        if started.elapsed() > TIME_LIMIT {
            note = Some(format!(
                "the walk stopped after {} of {} weeks ({} s limit); use --since to look at a shorter period",
                samples.len(),
                weeks.len(),
                TIME_LIMIT.as_secs()
            ));
            break;
        }
        let changed: Vec<String> = match previous {
            None => {
                files = content.list(root, hash)?;
                files.keys().cloned().collect()
            }
            Some(from) => content.advance(root, &mut files, from, hash)?,
        };
        pages.retain(|path, _| files.contains_key(path));
        read_pages(&mut reader, &files, &changed, &mut pages)?;
        samples.push(sample(config, hash, date, pages.values().flatten()));
        previous = Some(hash);
    }
    Ok(History {
        source: "git",
        note,
        commits: commits.len(),
        samples,
    })
}

/// What the history needs of one past file.
#[derive(Debug, Clone)]
struct PastPage {
    content_path: String,
    lang: Option<String>,
    changed: Option<NaiveDate>,
}

#[derive(Debug, Default, Deserialize)]
struct PastFront {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// Reads the files added or changed since the last sample into `pages`.
fn read_pages(
    reader: &mut BlobReader,
    files: &ContentTree,
    changed: &[String],
    pages: &mut HashMap<String, Option<PastPage>>,
) -> Result<(), String> {
    let paths: Vec<&String> = changed
        .iter()
        .filter(|p| place(p).kind == DocumentKind::Page && files.contains_key(*p))
        .collect();
    let oids: Vec<&str> = paths
        .iter()
        .filter_map(|p| files.get(*p).map(String::as_str))
        .collect();
    reader.read_all(&oids, |i, blob| {
        let path = paths[i];
        pages.insert(path.clone(), past_page(path, blob));
    })
}

/// The page a file version is; `None` for a draft.
fn past_page(path: &str, blob: &[u8]) -> Option<PastPage> {
    let placement = place(path);
    let text = String::from_utf8_lossy(blob);
    // A past file that no longer parses is still a page, without dates.
    let front = front_matter::split(&text)
        .ok()
        .and_then(|split| serde_saphyr::from_str::<PastFront>(split.yaml).ok())
        .unwrap_or_default();
    if front.draft {
        return None;
    }
    let day = |s: &Option<String>| s.as_deref().and_then(dates::parse_date).map(|d| d.date_naive());
    Some(PastPage {
        content_path: placement.content_path,
        lang: placement.lang,
        changed: day(&front.updated).or_else(|| day(&front.date)),
    })
}

fn sample<'a>(config: &Config, hash: &str, date: &str, pages: impl Iterator<Item = &'a PastPage>) -> Sample {
    let mut groups: BTreeMap<&str, HashMap<&str, Option<NaiveDate>>> = BTreeMap::new();
    for p in pages {
        let lang = p.lang.as_deref().unwrap_or(&config.default_language);
        groups.entry(&p.content_path).or_default().insert(lang, p.changed);
    }
    let mut coverage = BTreeMap::new();
    let mut lag_median_days = BTreeMap::new();
    for lang in &config.languages {
        let code = lang.code.as_str();
        let present = groups.values().filter(|g| g.contains_key(code)).count();
        coverage.insert(code.to_string(), share(present, groups.len()));
        let mut lags: Vec<i64> = Vec::new();
        if code != config.default_language {
            for g in groups.values() {
                if let (Some(Some(source)), Some(Some(translated))) =
                    (g.get(config.default_language.as_str()), g.get(code))
                {
                    let days = (*translated - *source).num_days();
                    if days >= 0 {
                        lags.push(days);
                    }
                }
            }
        }
        lags.sort_unstable();
        lag_median_days.insert(code.to_string(), median(&lags));
    }
    Sample {
        commit: hash.to_string(),
        date: date.to_string(),
        pages: groups.len(),
        coverage,
        lag_median_days,
    }
}
