//! The `vitrine` binary: everything lives in the library; see `vitrine::cli`.

// Rendering allocates many short-lived strings on every core; mimalloc's
// per-thread heaps cut both allocator time and page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option: how many milliseconds freed memory is
/// kept before it goes back to the system. `libmimalloc-sys` names no
/// constant for it; this is its place in mimalloc's `mi_option_t`.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build lets go of large things stage by stage (the word tables the
/// Markdown pass counted into once the search indexes are built, each
/// language's views once its pages are written).
/// With mimalloc's default of a second, what the next stage allocates
/// meanwhile comes on top of memory already freed: 10,000 articles × 5
/// languages peaked about 100 MB higher (see the README's benchmarks) and
/// built no faster. `serve` keeps the default: it frees and allocates
/// again at every edit, and returning that memory at once made a new
/// page's first render 50% slower. So does a build until it knows it
/// renders everything: patching the output of 10,000 × 5 after one edit
/// took 2.3 s with the short delay, 2.05 s without (a third less time in
/// the kernel, mapping and unmapping pages).
const PURGE_AFTER_MS: std::ffi::c_long = 10;

/// Turns off transparent huge pages for this process. mimalloc asks the
/// kernel for 2 MiB pages where it may, and a 2 MiB page stays whole while
/// any of its bytes is in use: the pages a stage left a few records on
/// held about 30 MB more of a 10,000-article × 5 build, which built no
/// faster with them. (The allocator reads its own switch for this before
/// `main` runs, so the kernel's is set here.)
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn without_huge_pages() {
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` takes integers only
    // and changes no memory the program sees. Failure (an old kernel)
    // leaves huge pages on, as before.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn without_huge_pages() {}

#[allow(unsafe_code)]
fn main() -> std::process::ExitCode {
    without_huge_pages();
    vitrine::cli::run(|workload| {
        if workload == vitrine::cli::Workload::Batch {
            // SAFETY: sets a plain, aligned integer option of the
            // allocator, which mimalloc reads at each purge: a thread
            // purging meanwhile sees the old value or the new.
            unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS) };
        }
    })
}

#[cfg(test)]
mod tests {
    /// The kernel's switch is set: this process gets no huge pages.
    #[cfg(target_os = "linux")]
    #[test]
    #[allow(unsafe_code)]
    fn huge_pages_are_turned_off() {
        super::without_huge_pages();
        // SAFETY: `PR_GET_THP_DISABLE` reads the process's flag.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }

    /// The option set is the purge delay: mimalloc v3 defaults it to a
    /// second, and no neighbouring option to 1000.
    #[test]
    #[allow(unsafe_code)]
    fn purge_delay_is_the_option_set() {
        // SAFETY: reads a plain integer option of the allocator.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
