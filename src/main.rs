//! The `vitrine` binary: everything lives in the library; see `vitrine::cli`.

// Rendering allocates many short-lived strings on every core; mimalloc's
// per-thread heaps cut both allocator time and page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vitrine::cli::run()
}
