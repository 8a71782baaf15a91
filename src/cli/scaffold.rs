//! `vitrine new` and `vitrine init`: their arguments, handed to
//! `scaffold` as plain options.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::scaffold;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// `section/slug` (folders allowed: `culture/food/pho`).
    pub path: String,
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The language of the new file (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Make a translation of the page written in this language.
    #[arg(long)]
    pub translate_from: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist, or be empty).
    pub dir: PathBuf,
}

pub fn run_new(args: NewArgs) -> ExitCode {
    scaffold::run_new(&scaffold::NewOptions {
        path: args.path,
        root: args.root,
        lang: args.lang,
        translate_from: args.translate_from,
    })
}

pub fn run_init(args: InitArgs) -> ExitCode {
    scaffold::run_init(&args.dir)
}
