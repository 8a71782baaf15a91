//! `next-change.json`: when the built site will next differ by itself (a
//! scheduled page going live, a page expiring, a notice starting or
//! ending), for CI to schedule the next build and for a deploy step to give
//! pages near that time a short cache lifetime. The model knows the time;
//! this only writes it.

use super::OutputFile;
use vitrine_model::Site;

/// The file's name, at the root of the output.
pub const NEXT_CHANGE_FILE: &str = "next-change.json";

/// `{"next_change": "2025-09-02T09:00:00+07:00"}`, or `null` when nothing
/// is scheduled.
pub fn next_change_file(site: &Site) -> OutputFile {
    let json = serde_json::json!({
        "next_change": site.next_change.map(|d| d.to_rfc3339()),
    });
    OutputFile::bytes(NEXT_CHANGE_FILE, format!("{json:#}\n"))
}
