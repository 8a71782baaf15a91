//! `vitrine deploy`: publishes the built output folder to S3-compatible
//! object storage, uploading only what changed. The bucket holds a
//! manifest of what was deployed (content hash and header fingerprint per
//! file), so a deploy compares hashes, never sizes or dates; without one
//! (a first deploy) it lists the prefix. Uploads go assets → pages →
//! sitemaps and feeds, deletions last and capped. This module does not
//! build the site, and takes its headers from [`crate::output::header_rules`].

mod plan;
mod remote;
mod target;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use plan::{Entry, LocalFile};
pub use plan::{Manifest, Plan, Stage};
pub use remote::MANIFEST;
use remote::Remote;
pub use target::TargetArgs;

/// What `vitrine deploy` was asked to do.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub root: PathBuf,
    /// The built site (relative paths are under `root`).
    pub output: PathBuf,
    pub target: TargetArgs,
    pub dry_run: bool,
    /// Refuse to deploy when more objects than this would be deleted…
    pub max_deletes: usize,
    /// …unless forced.
    pub force: bool,
    /// Requests in flight at once.
    pub jobs: usize,
}

/// The default cap on deletions: a site's usual churn, far below a whole site.
pub const MAX_DELETES: usize = 256;

/// What a deploy did (or, dry, would do).
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub target: String,
    pub uploaded: usize,
    pub deleted: usize,
    pub unchanged: usize,
    pub bytes: u64,
    pub requests: usize,
    pub seconds: f64,
}

/// Why a deploy stopped.
#[derive(Debug)]
pub enum DeployError {
    /// `site.yaml` is wrong.
    Config(Diagnostics),
    /// The command line or the environment is wrong (exit 2).
    Usage(String),
    /// The deploy could not be carried out (exit 1); nothing was deleted.
    Failed(String),
}

/// Runs a deploy and prints the dry-run plan to `out`.
pub fn deploy(options: &DeployOptions, out: &mut dyn Write) -> Result<Summary, DeployError> {
    let start = Instant::now();
    let config = Config::load(&options.root).map_err(DeployError::Config)?;
    let target = target::resolve(&config, &options.target).map_err(DeployError::Usage)?;
    let credentials = target::credentials().map_err(DeployError::Usage)?;
    let folder = if options.output.is_absolute() {
        options.output.clone()
    } else {
        options.root.join(&options.output)
    };
    if !folder.join("index.html").is_file() {
        return Err(DeployError::Usage(format!(
            "{} holds no built site (no index.html): run `vitrine build` first, or pass --output",
            folder.display()
        )));
    }
    let local = scan(&config, &folder).map_err(DeployError::Failed)?;
    let remote = Remote::new(target, credentials);
    let failed = |e: remote::Failure| DeployError::Failed(e.0);
    let (manifest, listed) = match remote.get(MANIFEST).map_err(failed)? {
        Some(bytes) => (
            read_manifest(&bytes).map_err(DeployError::Failed)?,
            Default::default(),
        ),
        None => (Manifest::default(), remote.list().map_err(failed)?),
    };
    let listed = listed.into_iter().filter(|k| k != MANIFEST).collect();
    let plan = Plan::new(local, &manifest, &listed);
    let mut summary = Summary {
        target: remote.target.label.clone(),
        unchanged: plan.unchanged,
        ..Summary::default()
    };
    if plan.deletes.len() > options.max_deletes && !options.force {
        return Err(DeployError::Failed(format!(
            "{} objects would be deleted from {}, more than --max-deletes {}; nothing was changed. \
             Check --root and --output, then pass --force or a higher --max-deletes",
            plan.deletes.len(),
            summary.target,
            options.max_deletes
        )));
    }
    if options.dry_run {
        print_plan(&plan, out).map_err(|e| DeployError::Failed(e.to_string()))?;
        summary.uploaded = plan.uploads.len();
        summary.deleted = plan.deletes.len();
        summary.bytes = plan.upload_bytes();
    } else {
        carry_out(&remote, &folder, &plan, &manifest, options.jobs, &mut summary)?;
    }
    summary.requests = remote.requests.load(Ordering::Relaxed);
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Uploads stage by stage, then deletes, then records the new manifest.
/// A failed upload stops before the next stage and before any deletion.
fn carry_out(
    remote: &Remote,
    folder: &Path,
    plan: &Plan,
    old: &Manifest,
    jobs: usize,
    summary: &mut Summary,
) -> Result<(), DeployError> {
    let bar = progress_bar(plan.uploads.len());
    let mut uploaded: Vec<&LocalFile> = Vec::new();
    let mut failure = None;
    for stage in [Stage::Assets, Stage::Pages, Stage::Indexes] {
        let files: Vec<&LocalFile> = plan
            .uploads
            .iter()
            .filter(|u| Stage::of(&u.file.path) == stage)
            .map(|u| &u.file)
            .collect();
        let (done, failed) = upload_all(remote, folder, &files, jobs, &bar);
        uploaded.extend(done);
        if let Some(f) = failed {
            failure = Some(f);
            break;
        }
    }
    bar.finish_and_clear();
    summary.uploaded = uploaded.len();
    summary.bytes = uploaded.iter().map(|f| f.size).sum();
    let mut deleted: &[String] = &[];
    if failure.is_none() && !plan.deletes.is_empty() {
        match remote.delete(&plan.deletes) {
            Ok(()) => deleted = &plan.deletes,
            Err(e) => failure = Some(e.0),
        }
    }
    summary.deleted = deleted.len();
    let changed = !uploaded.is_empty() || !deleted.is_empty() || old.files.is_empty();
    if changed {
        let manifest = plan::updated_manifest(old, &uploaded, deleted);
        if let Err(e) = write_manifest(remote, &manifest) {
            failure.get_or_insert(e);
        }
    }
    match failure {
        Some(f) => Err(DeployError::Failed(format!(
            "{f}; {} files were uploaded, nothing was deleted{}",
            summary.uploaded,
            if deleted.is_empty() {
                ""
            } else {
                " after the uploads"
            }
        ))),
        None => Ok(()),
    }
}

/// Uploads `files` with `jobs` requests in flight; returns those that
/// reached the bucket and the first failure.
fn upload_all<'a>(
    remote: &Remote,
    folder: &Path,
    files: &[&'a LocalFile],
    jobs: usize,
    bar: &indicatif::ProgressBar,
) -> (Vec<&'a LocalFile>, Option<String>) {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    let failure = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, 64).min(files.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    if lock(&failure).is_some() {
                        break;
                    }
                    let sent = std::fs::read(folder.join(&file.path))
                        .map_err(|e| format!("read {}: {e}", file.path))
                        .and_then(|bytes| remote.put(&file.path, &bytes, &file.headers).map_err(|f| f.0));
                    match sent {
                        Ok(()) => lock(&done).push(*file),
                        Err(e) => {
                            lock(&failure).get_or_insert(e);
                        }
                    }
                    bar.inc(1);
                }
            });
        }
    });
    let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    (done, failure.into_inner().unwrap_or_else(|e| e.into_inner()))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn progress_bar(len: usize) -> indicatif::ProgressBar {
    // indicatif draws nothing when stderr is not a terminal.
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(len as u64), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("deploy {bar:30} {pos}/{len} files, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Every file of the output folder to publish, hashed, with its headers.
/// Left out: a `.git` folder, `_headers` and `_redirects`, and the
/// `.br`/`.gz` siblings, which object storage cannot choose between.
fn scan(config: &Config, folder: &Path) -> Result<Vec<LocalFile>, String> {
    let mut paths = Vec::new();
    let walk = walkdir::WalkDir::new(folder).sort_by_file_name().into_iter();
    // A repository kept in the output (`keep_in_output: [.git]`) is never published.
    for entry in walk.filter_entry(|e| e.depth() != 1 || e.file_name() != ".git") {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(folder) else {
            continue;
        };
        let path = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        // Host configuration for Netlify-like hosts, not content.
        if is_sibling(folder, &path) || path == "_headers" || path == "_redirects" {
            continue;
        }
        paths.push(path);
    }
    let rules = crate::output::header_rules(config);
    paths
        .into_par_iter()
        .map(|path| {
            let bytes = std::fs::read(folder.join(&path)).map_err(|e| format!("cannot read {path}: {e}"))?;
            let headers = object_headers(crate::output::headers_for(config, &rules, &path));
            let lines: String = headers.iter().map(|(n, v)| format!("{n}: {v}\n")).collect();
            Ok(LocalFile {
                entry: Entry {
                    sha256: hex(&Sha256::digest(&bytes)),
                    headers: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(lines.as_bytes())),
                },
                size: bytes.len() as u64,
                path,
                headers,
            })
        })
        .collect()
}

fn is_sibling(folder: &Path, path: &str) -> bool {
    [".br", ".gz"].iter().any(|ext| {
        path.strip_suffix(ext)
            .is_some_and(|original| folder.join(original).is_file())
    })
}

/// The headers an S3 object can carry; others (`X-Content-Type-Options`,
/// a Content-Security-Policy) belong to the CDN or server in front.
fn object_headers(all: BTreeMap<String, String>) -> BTreeMap<String, String> {
    const STORED: [&str; 6] = [
        "cache-control",
        "content-type",
        "content-language",
        "content-disposition",
        "content-encoding",
        "expires",
    ];
    all.into_iter()
        .filter(|(n, _)| STORED.contains(&n.to_ascii_lowercase().as_str()))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_manifest(bytes: &[u8]) -> Result<Manifest, String> {
    serde_json::from_slice(bytes).map_err(|e| {
        format!("the deploy manifest {MANIFEST} in the bucket is unreadable ({e}); delete it to upload every file again")
    })
}

fn write_manifest(remote: &Remote, manifest: &Manifest) -> Result<(), String> {
    let bytes = serde_json::to_vec(manifest).map_err(|e| e.to_string())?;
    let headers = BTreeMap::from([
        ("Cache-Control".to_string(), "no-store".to_string()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ]);
    remote.put(MANIFEST, &bytes, &headers).map_err(|f| f.0)
}

fn print_plan(plan: &Plan, out: &mut dyn Write) -> std::io::Result<()> {
    for u in &plan.uploads {
        writeln!(
            out,
            "upload  {}  ({}, {} bytes)",
            u.file.path,
            u.reason.as_str(),
            u.file.size
        )?;
    }
    for d in &plan.deletes {
        writeln!(out, "delete  {d}")?;
    }
    Ok(())
}
