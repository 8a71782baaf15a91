//! The translators' loop end to end: `vitrine i18n status` and `stamp`,
//! the Fluent lint, `vitrine check --strict --min-coverage`, `vitrine new`
//! and `vitrine init`, run as a user runs them on fixture sites copied into
//! temporary folders. Shared helpers live here; tests are grouped by topic.

mod check;
mod coverage;
mod reports;
mod scaffold;
use crate::common::copy_dir;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/translators-site";

/// A copy of a fixture site in a temporary folder.
pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    pub fn fixture() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE), &root);
        Site { _dir: dir, root }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root.to_str().expect("utf-8 path");
        // `new` and `stamp` take --root too; `init` is run by its own test.
        all.extend(["--root", root]);
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .args(&all)
            .output()
            .expect("run vitrine")
    }

    pub fn status_json(&self) -> Value {
        let out = self.run(&["i18n", "status", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.root.join(file)).expect("read")
    }

    pub fn write(&self, file: &str, text: &str) {
        let path = self.root.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}
pub fn language<'a>(status: &'a Value, code: &str) -> &'a Value {
    status["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .find(|l| l["code"] == code)
        .expect("language")
}

pub fn page<'a>(status: &'a Value, content_path: &str) -> &'a Value {
    status["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .find(|p| p["content_path"] == content_path)
        .expect("page")
}

pub fn stale_files(status: &Value) -> Vec<String> {
    let mut files = Vec::new();
    for p in status["pages"].as_array().expect("pages") {
        for cell in p["languages"].as_object().expect("languages").values() {
            if cell.get("stale").is_some() {
                files.push(cell["file"].as_str().expect("file").to_string());
            }
        }
    }
    files.sort();
    files
}
