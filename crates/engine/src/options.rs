//! What a build is asked for: the site, where to write, and the options
//! that change what it writes. `build` runs it; the build cache keys its
//! record on it.

use std::path::PathBuf;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where to write; `None` checks without writing (`vitrine check`).
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Links relative to each page (`--relative`), as `relative_urls: true`.
    pub relative: bool,
    /// Ignore the build cache and render everything (`--clean`).
    pub clean: bool,
    /// Called when a build with an output folder renders everything
    /// rather than patching the output: the binary then has its allocator
    /// return what each stage frees at once, which keeps a full render's
    /// peak low, and otherwise lets it keep freed memory a while, which
    /// spares a patch much of its time in the kernel.
    pub on_render_everything: Option<fn()>,
    /// The process ends once the build returns (`vitrine build`): a
    /// patch then leaves the model it patched from to the system rather
    /// than freeing it, page by page, while it writes and records (85 ms of
    /// one core at 10,000 articles × 5, with both cores busy). A caller
    /// that goes on (`serve`, the tests, `publish`) leaves it `false`.
    pub ends_process: bool,
}
