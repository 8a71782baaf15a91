//! Scaffolding: `vitrine new` (a page, or a translation pre-filled from its
//! source) and `vitrine init` (a new site with the default theme). Both
//! only create files; they never overwrite one.

mod init;
mod new;

pub use init::run_init;
pub use new::{NewOptions, run_new};

/// What went wrong, and the exit code it deserves (1 content, 2 usage).
#[derive(Debug)]
pub struct ScaffoldError {
    pub message: String,
    pub hint: Option<String>,
    pub usage: bool,
}

impl ScaffoldError {
    fn usage(message: impl Into<String>) -> Self {
        ScaffoldError {
            message: message.into(),
            hint: None,
            usage: true,
        }
    }

    fn content(message: impl Into<String>, hint: impl Into<String>) -> Self {
        ScaffoldError {
            message: message.into(),
            hint: Some(hint.into()),
            usage: false,
        }
    }

    /// Prints the error and returns its exit code.
    pub fn report(&self) -> std::process::ExitCode {
        eprintln!("error: {}", self.message);
        if let Some(h) = &self.hint {
            eprintln!("help: {h}");
        }
        std::process::ExitCode::from(if self.usage { 2 } else { 1 })
    }
}

/// Creates `path` with `text`; refuses to replace an existing file.
fn create(path: &std::path::Path, text: &str) -> Result<(), ScaffoldError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            ScaffoldError::content(
                format!("cannot create {}: {e}", dir.display()),
                "check permissions",
            )
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            ScaffoldError::content(
                format!("cannot create {}: {e}", path.display()),
                "vitrine never overwrites a file: remove it or choose another name",
            )
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| {
        ScaffoldError::content(format!("cannot write {}: {e}", path.display()), "check the disk")
    })
}
