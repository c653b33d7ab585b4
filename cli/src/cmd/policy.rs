//! `pocket-sign policy`: print the CloudFront policy JSON that would be signed.
use pocket_sign_core::cloudfront::{CustomPolicy, Policy};

use super::cf_args::{signing, TimeArgs};
use crate::error::CliResult;

/// Arguments of `pocket-sign policy`.
///
/// Prints the exact policy bytes (botocore's serialization): the canned policy for RESOURCE,
/// or the custom one when --starts-at, --ip or a `*` in RESOURCE asks for it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource (URL or pattern with `*` / `?` wildcards).
    #[arg(value_name = "RESOURCE")]
    pub resource: String,
    #[command(flatten)]
    pub time: TimeArgs,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let policy = args
        .time
        .builder()?
        .build_for_resource(&args.resource)
        .map_err(signing)?;
    let json = match policy {
        Policy::Canned { expires } => CustomPolicy::new(&args.resource, expires).to_json(),
        Policy::Custom(c) => c.to_json(),
    };
    super::out::line(&json)?;
    Ok(())
}
