//! `vitrine serve`: builds the site into its served folder, serves it over
//! HTTP, watches the site folder and rebuilds incrementally on every
//! change, telling open pages to reload. A bad edit never stops the
//! server: the error goes to the terminal and to an overlay in the browser
//! while the last good site stays served, and the next good save recovers
//! by itself. The site is rendered as published, under its own
//! `base_url`, and rebased onto the local address as it is sent
//! ([`rebase`]).
//!
//! Threads: one accepts requests (each answered on its own thread, since
//! event streams stay open), one runs rebuilds, and one at a time makes the
//! search index after an edit ([`SearchBeside`]); they share [`Shared`].

pub mod folder;
pub mod host;
pub mod http;
pub mod rebase;
pub mod reload;
pub mod watch;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use annotate_snippets::Renderer;

use crate::incremental::{self, Rebuilder, Rebuilt, Update, apply};
use crate::options::BuildOptions;
use folder::ServedFolder;
use rebase::Rebase;
use reload::{Broadcaster, Message};
use vitrine_core::diagnostics::Diagnostics;
use vitrine_output::FileContent;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    pub future: bool,
    /// Poll the file system instead of waiting for its events.
    pub poll: bool,
}

/// State shared by the HTTP threads and the rebuild thread.
pub struct Shared {
    /// Output path → content. Replaced or patched only after a good rebuild.
    pub files: RwLock<HashMap<String, FileContent>>,
    /// The report of the failed rebuild, while the site does not build.
    error: RwLock<Option<String>>,
    /// Counts the rebuilds pages were told of: served pages and event
    /// streams carry it, so a page that missed a reload finds out.
    build: AtomicU64,
    pub reload: Broadcaster,
    /// The site folder, canonical: copied files must resolve inside it.
    pub root: PathBuf,
    /// Requests naming another host are refused (DNS rebinding).
    pub address: host::ServedAddress,
    /// The local server's origin (`http://127.0.0.1:1111`).
    local: String,
    /// How the site's addresses lead to the local server: set from
    /// `site.yaml`'s `base_url` at start and after each full rebuild.
    rebase: RwLock<Arc<Rebase>>,
}

impl Shared {
    /// The build the served site is at.
    pub fn build(&self) -> u64 {
        self.build.load(Ordering::SeqCst)
    }

    pub fn error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }

    pub fn rebase(&self) -> Arc<Rebase> {
        self.rebase
            .read()
            .map_or_else(|_| Arc::new(Rebase::new("", &self.local)), |r| r.clone())
    }

    /// How the site's addresses lead to the server as a request named it
    /// (`host`, which [`host::ServedAddress::allows`] let through): a
    /// reader on the network (`--interface 0.0.0.0`) or at `localhost`
    /// gets links to the address they typed, not to 127.0.0.1.
    pub fn rebase_for(&self, host: Option<&str>) -> Arc<Rebase> {
        let rebase = self.rebase();
        match host.map(|h| format!("http://{h}")) {
            Some(local) if local != self.local => Arc::new(Rebase::new(rebase.base_url(), &local)),
            _ => rebase,
        }
    }

    /// Takes the site's `base_url`, when it changed (an edit of
    /// `site.yaml`).
    fn set_base_url(&self, base_url: &str) {
        if let Ok(mut rebase) = self.rebase.write()
            && rebase.base_url() != base_url
        {
            *rebase = Arc::new(Rebase::new(base_url, &self.local));
        }
    }

    fn set_error(&self, error: Option<String>) {
        if let Ok(mut e) = self.error.write() {
            *e = error;
        }
    }
}

/// Serves the site until the process is stopped. Returns an error message
/// only when serving cannot start (the port is taken, the folder is gone).
pub fn serve(options: &ServeOptions) -> Result<(), String> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the site folder {}: {e}", options.root.display()))?;
    let server = tiny_http::Server::http((options.interface, options.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.interface, options.port))?;
    let port = server.server_addr().to_ip().map_or(options.port, |a| a.port());
    // Links must lead back to this server, wherever the site is published.
    let host = if options.interface.is_unspecified() {
        "127.0.0.1".to_string()
    } else if options.interface.is_ipv6() {
        format!("[{}]", options.interface)
    } else {
        options.interface.to_string()
    };
    let address = format!("http://{host}:{port}");
    // Rendered as published, rebased as sent ([`rebase`]): the served
    // folder is a build's output.
    let build_options = BuildOptions {
        root: root.clone(),
        output: None,
        base_url: None,
        drafts: options.drafts,
        future: options.future,
        relative: false,
        clean: false,
        on_render_everything: None,
        ends_process: false,
    };
    let shared = Arc::new(Shared {
        files: RwLock::new(HashMap::new()),
        error: RwLock::new(None),
        build: AtomicU64::new(0),
        reload: Broadcaster::default(),
        root: root.clone(),
        address: host::ServedAddress {
            interface: options.interface,
            port,
        },
        rebase: RwLock::new(Arc::new(Rebase::new("", &address))),
        local: address.clone(),
    });
    if let Ok(config) = vitrine_load::config::Config::load(&root) {
        shared.set_base_url(&config.base_url);
    }
    if let Some(warning) = shared.address.exposure_warning() {
        eprintln!("{warning}");
    }
    // Watch before the first build, so no save made during it is missed.
    let (events_tx, events) = mpsc::channel();
    let mut watcher = watch::watch(&root, options.poll, events_tx)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let stop = stop_on_interrupt();

    let folder = ServedFolder::new(&build_options, &address);
    let mut rebuilder = Rebuilder::new(build_options);
    if let Some(dir) = folder.dir() {
        rebuilder = rebuilder.rendering_into(dir);
    }
    let accept = shared.clone();
    let start_serving = move || {
        let address = format!("{address}{}", accept.rebase().prefix());
        eprintln!("Serving {address}/ (Ctrl+C to stop)");
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let shared = accept.clone();
                std::thread::spawn(move || http::handle(&shared, request));
            }
        });
        if options.open {
            open_browser(&format!("{address}/"));
        }
    };
    stop.busy.store(true, Ordering::SeqCst);
    start(&shared, &folder, &mut rebuilder, start_serving);
    stop.busy.store(false, Ordering::SeqCst);

    // Saves that arrived while follow-up work was due.
    let mut pending: Option<crate::changes::Changes> = None;
    let mut search = SearchBeside::new();
    loop {
        if search.publish(&shared, &folder, &mut rebuilder) {
            continue;
        }
        if pending.is_none() {
            search.start(&mut rebuilder);
        }
        let wait = std::time::Duration::from_millis(if search.running() { 20 } else { 200 });
        let changes = match pending.take() {
            Some(changes) => changes,
            None => match events.recv_timeout(wait) {
                // Saves that arrived during the last rebuild come together.
                Ok(batch) => changes_in(&root, &mut watcher, [batch].into_iter().chain(events.try_iter())),
                Err(mpsc::RecvTimeoutError::Timeout) if stop.asked.load(Ordering::SeqCst) => {
                    stop_serving(&shared, &folder, &rebuilder, &events);
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
        };
        if changes.is_empty() {
            continue;
        }
        stop.busy.store(true, Ordering::SeqCst);
        let start = Instant::now();
        let result = rebuilder.rebuild(&changes);
        finish(
            &shared,
            &folder,
            &mut rebuilder,
            result,
            &changes.summary(),
            start,
            Made::Change {
                css_only: changes.css_only(),
            },
        );
        // What was left for after the first publish: the rest of the site
        // after a Fluent change, the lists after a structural edit. A new
        // save goes before it: the editor waits for their page, not for
        // the lists. The search index is made beside ([`SearchBeside`]).
        loop {
            let saved = changes_in(&root, &mut watcher, events.try_iter());
            if !saved.is_empty() {
                pending = Some(saved);
                break;
            }
            let start = Instant::now();
            let Some(rest) = rebuilder.follow_up_before_search() else {
                break;
            };
            finish(
                &shared,
                &folder,
                &mut rebuilder,
                rest,
                "the rest",
                start,
                Made::FollowUp,
            );
        }
        stop.busy.store(false, Ordering::SeqCst);
    }
    Ok(())
}

/// The search index due after an edit, made on a thread (and a thread
/// pool) of its own, so a save made meanwhile is published at once: the
/// index takes about a second per language at 10,000 pages, and a
/// structural edit re-indexes every language.
struct SearchBeside {
    done: mpsc::Sender<incremental::SearchDone>,
    finished: mpsc::Receiver<incremental::SearchDone>,
    /// When the index being made was started.
    started: Option<Instant>,
}

impl SearchBeside {
    fn new() -> Self {
        let (done, finished) = mpsc::channel();
        SearchBeside {
            done,
            finished,
            started: None,
        }
    }

    fn running(&self) -> bool {
        self.started.is_some()
    }

    /// Starts the index that is due, unless one is being made.
    fn start(&mut self, rebuilder: &mut Rebuilder) {
        if self.running() {
            return;
        }
        let Some(work) = rebuilder.search_work() else {
            return;
        };
        self.started = Some(Instant::now());
        let done = self.done.clone();
        std::thread::spawn(move || {
            // Not the global pool: its threads stay free for the pages of
            // the next save.
            let made = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                Ok(pool) => pool.install(|| work.run()),
                Err(_) => work.run(),
            };
            let _ = done.send(made);
        });
    }

    /// Publishes the index just made, when the model it was made from is
    /// still the served one; whether one finished.
    fn publish(&mut self, shared: &Shared, folder: &ServedFolder, rebuilder: &mut Rebuilder) -> bool {
        let Ok(made) = self.finished.try_recv() else {
            return false;
        };
        let start = self.started.take().unwrap_or_else(Instant::now);
        if let Some(rebuilt) = rebuilder.searched(made) {
            finish(
                shared,
                folder,
                rebuilder,
                Ok(rebuilt),
                "the rest",
                start,
                Made::FollowUp,
            );
        }
        true
    }
}

/// The changes that batches of file events make to the site; new input
/// folders are watched from now on.
fn changes_in(
    root: &std::path::Path,
    watcher: &mut watch::Watcher,
    batches: impl IntoIterator<Item = watch::Batch>,
) -> crate::changes::Changes {
    let mut file_events = Vec::new();
    for batch in batches {
        match batch {
            Ok(evs) => file_events.extend(watch::file_events(root, &evs)),
            Err(errors) => errors.iter().for_each(|e| eprintln!("warning: watching: {e}")),
        }
    }
    if let Err(e) = watcher.follow_new_folders(root, &file_events) {
        eprintln!("warning: watching a new folder: {e}");
    }
    crate::changes::classify(&file_events)
}

/// Starts serving: at once from the files a previous `serve` left when
/// nothing changed since, or once they are patched as `build` patches its
/// output when some inputs did (the model is loaded after, for the next
/// edits); otherwise after rendering everything.
fn start(shared: &Shared, folder: &ServedFolder, rebuilder: &mut Rebuilder, start_serving: impl FnOnce()) {
    let start = Instant::now();
    let why = match folder.reuse() {
        Ok((reused, how)) => {
            return serve_folder(shared, folder, rebuilder, reused, &how, start, start_serving);
        }
        Err(why) => why,
    };
    eprintln!("initial build: rendering everything ({why})");
    publish_first(shared, folder, rebuilder, start);
    start_serving();
}

/// Serves the files of the folder (`reused`: as its record gives them,
/// with the inputs found), then loads the model for the next edits. A
/// file saved while the model loads is patched into the folder as a
/// stopped server's edits are (the model is then the patch's), rather
/// than rendering everything.
fn serve_folder(
    shared: &Shared,
    folder: &ServedFolder,
    rebuilder: &mut Rebuilder,
    reused: folder::Reused,
    how: &str,
    start: Instant,
    start_serving: impl FnOnce(),
) {
    let mut reused = reused;
    publish_reused(shared, &reused, how, start, false);
    start_serving();
    loop {
        let start = Instant::now();
        let folder::Reused {
            files,
            inputs,
            markdown,
            model,
        } = reused;
        if let Some(model) = model {
            rebuilder.adopt(*model, &files);
            eprintln!(
                "model loaded for incremental rebuilds in {:.1} ms (the patched one)",
                start.elapsed().as_secs_f64() * 1000.0
            );
            return;
        }
        match rebuilder.load(&files, markdown) {
            Ok(_) if folder.inputs().is_none_or(|now| !now.same_files(&inputs)) => {}
            Ok((diagnostics, kept)) => {
                print_diagnostics(&diagnostics, &shared.root);
                let kept = if kept {
                    " (the Markdown records kept with the files)"
                } else {
                    ""
                };
                eprintln!(
                    "model loaded for incremental rebuilds in {:.1} ms{kept}",
                    start.elapsed().as_secs_f64() * 1000.0
                );
                return;
            }
            Err(_) => break,
        }
        // Saved while the model was loading.
        match folder.reuse() {
            Ok((again, how)) => {
                reused = again;
                publish_reused(shared, &reused, &format!("saved meanwhile: {how}"), start, true);
            }
            Err(_) => break,
        }
    }
    publish_first(shared, folder, rebuilder, Instant::now());
}

/// Serves the files of `reused`; `tell`: open pages reload.
fn publish_reused(shared: &Shared, reused: &folder::Reused, how: &str, start: Instant, tell: bool) {
    if let Ok(mut served) = shared.files.write() {
        apply(&mut served, Update::Replace(reused.files.clone()));
        if tell {
            shared.build.fetch_add(1, Ordering::SeqCst);
        }
    }
    if tell {
        shared.reload.send(&Message::Reload);
    }
    eprintln!(
        "initial build: {how}, {} files served from {} in {:.1} ms",
        reused.files.len(),
        folder::SERVE_DIR,
        start.elapsed().as_secs_f64() * 1000.0
    );
}

/// Whether the server is rendering, and whether it was asked to stop.
#[derive(Default)]
struct Stop {
    busy: AtomicBool,
    asked: AtomicBool,
}

/// Ctrl+C (or a termination signal) while the server is idle asks it to
/// record its files and stop; while it renders, or a second time, stops
/// at once (the served folder's record went before the folder changed).
fn stop_on_interrupt() -> Arc<Stop> {
    let stop = Arc::new(Stop::default());
    let flag = stop.clone();
    let handler = move || {
        if flag.asked.swap(true, Ordering::SeqCst) || flag.busy.load(Ordering::SeqCst) {
            std::process::exit(130);
        }
    };
    if let Err(e) = ctrlc::set_handler(handler) {
        eprintln!("warning: cannot handle Ctrl+C ({e}); the next serve will render everything");
    }
    stop
}

/// Leaves the served files for the next `serve` when they are what the
/// site's files give (no rebuild failed or is pending).
fn stop_serving(
    shared: &Shared,
    folder: &ServedFolder,
    rebuilder: &Rebuilder,
    events: &mpsc::Receiver<watch::Batch>,
) {
    if shared.error().is_some() || !rebuilder.settled() {
        return;
    }
    if folder.dir().is_none() {
        return;
    }
    eprintln!("Stopping: recording the served files for the next serve (Ctrl+C again to skip)");
    // A watching error may hide a save: nothing is recorded then.
    let saved_meanwhile = || {
        let batches: Vec<watch::Batch> = events.try_iter().collect();
        let file_events: Vec<_> = batches
            .iter()
            .flat_map(|batch| batch.as_ref().map(|evs| watch::file_events(&shared.root, evs)))
            .flatten()
            .collect();
        batches.iter().any(Result::is_err) || !crate::changes::classify(&file_events).is_empty()
    };
    match folder.remember(saved_meanwhile, rebuilder.next_change(), rebuilder.prepared()) {
        Ok(true) => {}
        Ok(false) => eprintln!("a file was saved meanwhile: the next serve renders everything"),
        Err(e) => {
            eprintln!("warning: cannot record the served files ({e}); the next serve renders everything")
        }
    }
}

/// What a finished rebuild was made for: only a rebuild of the files as
/// they are now can tell that a failed change was fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    /// For the changes just saved (or the first build); `css_only` when
    /// they were stylesheets only (pages swap them without a reload).
    Change { css_only: bool },
    /// What follows a change (the lists, the search index), made from the
    /// last model that built: published, but a change that failed since
    /// is still failing, and its error stays.
    FollowUp,
}

/// Renders every output and publishes it as the first build.
fn publish_first(shared: &Shared, folder: &ServedFolder, rebuilder: &mut Rebuilder, start: Instant) {
    let first = rebuilder.full();
    let made = Made::Change { css_only: false };
    finish(shared, folder, rebuilder, first, "initial build", start, made);
}

/// Publishes a rebuild: writes the files into the served folder, swaps them
/// in, tells pages, prints one line.
fn finish(
    shared: &Shared,
    folder: &ServedFolder,
    rebuilder: &mut Rebuilder,
    result: Result<Rebuilt, Diagnostics>,
    what: &str,
    start: Instant,
    made: Made,
) {
    let root = &shared.root;
    // A body whose HTML did not read back from its kept file (damaged on
    // disk) would be published empty: everything is rendered again.
    let damaged = rebuilder
        .prepared()
        .and_then(|p| p.bodies.failure())
        .map(str::to_string);
    let result = match damaged {
        Some(why) if result.is_ok() => {
            eprintln!("warning: a kept Markdown record does not read back ({why}); rendering everything");
            rebuilder.full()
        }
        _ => result,
    };
    let result = result.and_then(|mut rebuilt| match folder.write(rebuilt.update) {
        Ok(update) => {
            rebuilt.update = update;
            Ok(rebuilt)
        }
        Err(e) => {
            rebuilder.lost_update();
            Err(Diagnostics::from(vec![
                vitrine_core::diagnostics::Diagnostic::error(format!(
                    "cannot write the served files to {}: {e}",
                    folder::SERVE_DIR
                )),
            ]))
        }
    });
    match result {
        Ok(rebuilt) => {
            let (pages, scope) = (rebuilt.pages, rebuilt.scope);
            let detail = rebuilt
                .detail
                .as_deref()
                .map_or_else(String::new, |d| format!(": {d}"));
            print_diagnostics(&rebuilt.diagnostics, root);
            let recovered = made != Made::FollowUp && shared.error().is_some();
            // A new search index changes nothing a reader sees on the page
            // (the search page fetches it afresh): pages are not told, and
            // keep their build.
            let tell = scope != "search index" || recovered;
            if let Ok(mut files) = shared.files.write() {
                apply(&mut files, rebuilt.update);
                if let Some(prepared) = rebuilder.prepared() {
                    shared.set_base_url(&prepared.site.config.base_url);
                }
                // Counted while the new files are held: a page read after
                // this names the new build.
                if tell {
                    shared.build.fetch_add(1, Ordering::SeqCst);
                }
                // Cleared while the new files are held, so a page read from
                // memory never pairs the new site with the old error.
                if made != Made::FollowUp {
                    shared.set_error(None);
                }
            }
            let message = if made == (Made::Change { css_only: true }) && !recovered {
                Message::Css(shared.build())
            } else {
                Message::Reload
            };
            if tell {
                shared.reload.send(&message);
            }
            eprintln!(
                "{what}: {pages} pages rendered ({scope}{detail}) in {:.1} ms",
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, root);
            let text = diagnostics
                .iter()
                .map(|d| d.render(root, &Renderer::plain()).to_string())
                .collect::<Vec<_>>()
                .join("\n\n");
            shared.set_error(Some(text.clone()));
            shared.reload.send(&Message::Error(text));
            eprintln!(
                "{what}: failed with {} error(s) in {:.1} ms; still serving the last good site",
                diagnostics.error_count(),
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

fn print_diagnostics(diagnostics: &Diagnostics, root: &std::path::Path) {
    diagnostics.print(root);
}

/// Opens the served site in the default browser (best effort).
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(command.0).args(command.1).spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url}");
    }
}
