//! `vitrine deploy`: its arguments, handed to `deploy` as plain options,
//! and the summary it prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The site folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The built site to publish (relative paths are under --root).
    #[arg(long, short, default_value = "public")]
    pub output: PathBuf,
    /// A target named under `deploy:` in site.yaml.
    #[arg(long, conflicts_with = "url")]
    pub target: Option<String>,
    /// Where to publish instead: s3://bucket/prefix.
    #[arg(long)]
    pub url: Option<String>,
    /// An S3-compatible service (https://…); AWS when not given.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// The bucket's region.
    #[arg(long)]
    pub region: Option<String>,
    /// Print what would be uploaded and deleted, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse to deploy when more objects than this would be deleted.
    #[arg(long, default_value_t = crate::deploy::MAX_DELETES)]
    pub max_deletes: usize,
    /// Delete past --max-deletes.
    #[arg(long)]
    pub force: bool,
    /// Uploads in flight at once.
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
}

pub fn run_deploy(args: DeployArgs) -> ExitCode {
    use crate::deploy::{DeployError, DeployOptions, TargetArgs, deploy};
    let options = DeployOptions {
        root: args.root,
        output: args.output,
        target: TargetArgs {
            name: args.target,
            url: args.url,
            endpoint: args.endpoint,
            region: args.region,
        },
        dry_run: args.dry_run,
        max_deletes: args.max_deletes,
        force: args.force,
        jobs: args.jobs,
    };
    match deploy(&options, &mut std::io::stdout()) {
        Ok(s) => {
            eprintln!(
                "{} {}: {} uploaded ({:.1} MB), {} deleted, {} unchanged, {} requests, in {:.2} s",
                if options.dry_run {
                    "Dry run, nothing changed at"
                } else {
                    "Deployed to"
                },
                s.target,
                s.uploaded,
                s.bytes as f64 / 1e6,
                s.deleted,
                s.unchanged,
                s.requests,
                s.seconds
            );
            ExitCode::SUCCESS
        }
        Err(DeployError::Config(d)) => {
            d.print(&options.root);
            ExitCode::from(1)
        }
        Err(DeployError::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(DeployError::Failed(message)) => {
            eprintln!("error: deploy failed: {message}");
            ExitCode::from(1)
        }
    }
}
