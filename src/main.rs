//! The `vitrine` binary: everything lives in the library; see `vitrine::cli`.

// Rendering allocates many short-lived strings on every core; mimalloc's
// per-thread heaps cut both allocator time and page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option: how many milliseconds freed memory is
/// kept before it goes back to the system. `libmimalloc-sys` names no
/// constant for it; this is its place in mimalloc's `mi_option_t`.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build lets go of large things stage by stage (the search terms once
/// the index is built, each language's views once its pages are written).
/// With mimalloc's default of a second, what the next stage allocates
/// meanwhile comes on top of memory already freed: 10,000 articles × 5
/// languages peaked about 100 MB higher (see the README's benchmarks) and
/// built no faster. `serve` keeps the default: it frees and allocates
/// again at every edit, and returning that memory at once made a new
/// page's first render 50% slower.
const PURGE_AFTER_MS: std::ffi::c_long = 10;

#[allow(unsafe_code)]
fn main() -> std::process::ExitCode {
    vitrine::cli::run(|workload| {
        if workload == vitrine::cli::Workload::Batch {
            // SAFETY: sets a plain integer option of the allocator,
            // before any thread is started; mimalloc reads it at each
            // purge.
            unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS) };
        }
    })
}

#[cfg(test)]
mod tests {
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
