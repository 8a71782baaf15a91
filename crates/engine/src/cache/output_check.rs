//! Whether the output folder is as the last build left it: the files its
//! record names, each of the recorded size and modification time (or,
//! where a time differs, the recorded content), and no other. A build that
//! finds nothing changed checks it on every core; a patch checks it on a
//! thread of its own while it models and renders ([`OutputCheck`]), and
//! asks before it writes.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Record, Walk, Written, files_in, hash_of, nanos};

/// Why a record's output cannot be patched or reused.
pub const OUTPUT_CHANGED: &str = "the output folder changed since the previous build";

/// Whether the output folder is as the last build left it
/// ([`output_unchanged`]), found on a thread of its own while a patch
/// models and renders. Statting each output file (95,000 at 10,000 × 5)
/// is 0.35 s of work, most of it in the kernel, and the patch's stages
/// leave a core idle for much of their time: checked first, it made a
/// one-paragraph patch 0.2 s longer.
pub struct OutputCheck {
    verdict: Mutex<Verdict>,
    /// Set when the check is no longer wanted: the walk stops early.
    stop: Arc<AtomicBool>,
}

enum Verdict {
    Running(std::thread::JoinHandle<bool>),
    Known(bool),
}

impl OutputCheck {
    pub(super) fn start(output: &Path, keep: &[String], record: Arc<Record>) -> OutputCheck {
        let stop = Arc::new(AtomicBool::new(false));
        let (output, keep, halt) = (output.to_path_buf(), keep.to_vec(), stop.clone());
        let check = move || output_unchanged(&output, &keep, &record.outputs, Walk::Beside(&halt));
        let verdict = match std::thread::Builder::new()
            .name("output check".into())
            .spawn(check)
        {
            Ok(running) => Verdict::Running(running),
            // Not known to hold: the build renders everything.
            Err(_) => Verdict::Known(false),
        };
        OutputCheck {
            verdict: Mutex::new(verdict),
            stop,
        }
    }

    /// Whether the output folder is as the last build left it, once the
    /// check is done.
    pub fn holds(&self) -> bool {
        let mut verdict = self.verdict.lock().unwrap_or_else(|e| e.into_inner());
        let holds = match std::mem::replace(&mut *verdict, Verdict::Known(false)) {
            Verdict::Running(running) => running.join().unwrap_or(false),
            Verdict::Known(holds) => holds,
        };
        *verdict = Verdict::Known(holds);
        holds
    }
}

impl Drop for OutputCheck {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Whether the output folder holds exactly the files `written`: same
/// paths and sizes, and same modification times or, where a time differs,
/// the same content.
pub(super) fn output_unchanged(
    output: &Path,
    keep: &[String],
    written: &BTreeMap<String, Written>,
    walk: Walk<'_>,
) -> bool {
    let Ok(now) = files_in(output, "", keep, walk) else {
        return false;
    };
    let same = |(rel, meta): (String, std::fs::Metadata)| {
        written.get(&rel).is_some_and(|w| {
            w.len == meta.len()
                && (meta.modified().is_ok_and(|t| nanos(t) == w.modified)
                    || std::fs::read(output.join(&rel)).is_ok_and(|bytes| hash_of(&bytes) == w.hash))
        })
    };
    now.len() == written.len()
        && match walk {
            Walk::Parallel => now.into_par_iter().all(same),
            Walk::Beside(stop) => now
                .into_iter()
                .all(|file| !stop.load(Ordering::Relaxed) && same(file)),
        }
}
