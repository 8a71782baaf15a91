//! The `vitrine` binary: everything lives in the library; see `vitrine::cli`.

fn main() -> std::process::ExitCode {
    vitrine::cli::run()
}
