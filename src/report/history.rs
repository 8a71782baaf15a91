//! Coverage and translation lag over time, from the site's git history.
//! The history is sampled (the last commit of each week since `--since`,
//! at most [`MAX_SAMPLES`]) and read without checkouts: `git ls-tree` lists
//! a sample's content files and one `git cat-file --batch` process reads
//! each file version once (a file unchanged between samples is not read
//! again). Only dates, drafts and languages are read from a past file, so
//! an old file that no longer parses costs its page nothing but its dates.
//! Without git, or outside a repository, the report shows the present only
//! and [`History::note`] says why.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::measure::{median, share, week_start};
use crate::config::Config;
use crate::content::{DocumentKind, front_matter, place};

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
    let prefix = git(root, &["rev-parse", "--show-prefix"])
        .map_err(|_| format!("the site is not in a git repository (or git is missing): {present_only}"))?;
    let prefix = prefix.trim_end_matches('\n').to_string();
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
        let Some(day) = front_matter::parse_date(date).map(|d| d.date_naive()) else {
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
    let mut reader = BlobReader::start(root)?;
    let started = Instant::now();
    let mut samples = Vec::new();
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
        let files = content_files(root, hash, &prefix)?;
        let mut pages = Vec::with_capacity(files.len());
        for (oid, path) in files {
            if let Some(page) = reader.page(&oid, &path)? {
                pages.push(page);
            }
        }
        samples.push(sample(config, hash, date, &pages));
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

fn sample(config: &Config, hash: &str, date: &str, pages: &[PastPage]) -> Sample {
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

/// `(blob id, path relative to content/)` of the Markdown files at a commit.
fn content_files(root: &Path, commit: &str, prefix: &str) -> Result<Vec<(String, String)>, String> {
    let content = format!("{prefix}content/");
    let listing = git(
        root,
        &["ls-tree", "-r", "-z", "--full-tree", commit, "--", &content],
    )?;
    let mut files = Vec::new();
    for record in listing.split('\0') {
        // `<mode> blob <oid>\t<path>`
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (Some(_), Some("blob"), Some(oid)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Some(relative) = path.strip_prefix(&content) else {
            continue;
        };
        // `_index` files are sections (skipped by `page`); other `_` folders
        // (notices) are not pages.
        let hidden = relative
            .split('/')
            .any(|c| c.starts_with('_') && !c.starts_with("_index"));
        if relative.ends_with(".md") && !hidden {
            files.push((oid.to_string(), relative.to_string()));
        }
    }
    Ok(files)
}

/// One `git cat-file --batch` for the whole walk, each blob read once.
struct BlobReader {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    seen: HashMap<String, Option<(Option<NaiveDate>, bool)>>,
}

impl BlobReader {
    fn start(root: &Path) -> Result<BlobReader, String> {
        let mut child = Command::new("git")
            .args(["cat-file", "--batch"])
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git cat-file: {e}"))?;
        let input = child.stdin.take().ok_or("git cat-file has no input")?;
        let output = BufReader::new(child.stdout.take().ok_or("git cat-file has no output")?);
        Ok(BlobReader {
            child,
            input,
            output,
            seen: HashMap::new(),
        })
    }

    /// The page a file version is, or `None` for a section, a draft or a
    /// file that is not a page of a known kind.
    fn page(&mut self, oid: &str, path: &str) -> Result<Option<PastPage>, String> {
        let placement = place(path);
        if placement.kind != DocumentKind::Page {
            return Ok(None);
        }
        let facts = match self.seen.get(oid) {
            Some(facts) => *facts,
            None => {
                let facts = self.read(oid)?;
                self.seen.insert(oid.to_string(), facts);
                facts
            }
        };
        Ok(match facts {
            Some((_, true)) => None,
            Some((changed, false)) => Some(PastPage {
                content_path: placement.content_path,
                lang: placement.lang,
                changed,
            }),
            // Unreadable front matter: still a page, without dates.
            None => Some(PastPage {
                content_path: placement.content_path,
                lang: placement.lang,
                changed: None,
            }),
        })
    }

    /// `(last change, draft)` of a blob, `None` when its front matter does not parse.
    fn read(&mut self, oid: &str) -> Result<Option<(Option<NaiveDate>, bool)>, String> {
        let broken = |e: std::io::Error| format!("git cat-file failed: {e}");
        writeln!(self.input, "{oid}").map_err(broken)?;
        self.input.flush().map_err(broken)?;
        let mut header = String::new();
        self.output.read_line(&mut header).map_err(broken)?;
        let size: usize = header
            .split(' ')
            .nth(2)
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected answer `{}`", header.trim()))?;
        let mut blob = vec![0; size + 1];
        self.output.read_exact(&mut blob).map_err(broken)?;
        let text = String::from_utf8_lossy(&blob[..size]);
        let Ok(split) = front_matter::split(&text) else {
            return Ok(None);
        };
        let Ok(front) = serde_saphyr::from_str::<PastFront>(split.yaml) else {
            return Ok(None);
        };
        let day = |s: &Option<String>| {
            s.as_deref()
                .and_then(front_matter::parse_date)
                .map(|d| d.date_naive())
        };
        Ok(Some((
            day(&front.updated).or_else(|| day(&front.date)),
            front.draft,
        )))
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        // Closing its input ends `git cat-file`; wait so no zombie is left.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .current_dir(root)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    String::from_utf8(output.stdout).map_err(|e| format!("git printed bytes that are not UTF-8: {e}"))
}
