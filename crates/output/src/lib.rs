//! Output: the files a build produces besides rendered pages and feeds
//! (sitemap, robots.txt, alias redirects, the language picker, static files
//! and bundle assets), and the sinks that take every file as it is made:
//! kept in memory, or streamed to a staging folder that replaces the output
//! atomically or, after a build that rendered everything again, is moved
//! over it file by file where they differ (`over.rs`).

mod extras;
mod files;
mod headers;
mod hosts;
mod over;
mod patch;
mod relative;
mod schedule;
mod sink;
mod sitemap;
mod writer;

use std::path::PathBuf;

pub use extras::{aliases, language_picker, robots, static_files};
pub use headers::{content_type, header_rules, headers_for, is_text, netlify_headers};
pub use hosts::host_files;
pub use over::{Overwritten, Present, path_key};
pub use patch::{Patched, patch};
pub use relative::{Relative, relativize};
pub use schedule::{NEXT_CHANGE_FILE, next_change_file};
pub use sink::{Collect, Discard, Recorder, Sink};
pub use sitemap::{put_sitemap, sitemap, sitemap_files};
pub use writer::{Hashes, Staging, WriteReport, precompressed_of, write_atomically};

/// Where processed images are published, under the output folder: the
/// image pipeline writes there and the header rules give it a long cache.
pub const PROCESSED_IMAGES_DIR: &str = "processed_images";

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated, no leading `/`.
    pub path: String,
    pub content: FileContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent {
    Bytes(Vec<u8>),
    /// Copied from this file (static files, bundle assets).
    Copy(PathBuf),
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            content: FileContent::Bytes(bytes.into()),
        }
    }

    pub fn copy(path: impl Into<String>, source: PathBuf) -> Self {
        OutputFile {
            path: path.into(),
            content: FileContent::Copy(source),
        }
    }
}

/// Escapes text for XML element content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
