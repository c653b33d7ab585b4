//! `pocket-sign url`: CloudFront signed URLs (byte-identical to botocore for RSA-SHA1).
use pocket_sign_core::cloudfront::Policy;

use super::cf_args::{signing, KeyArgs, TimeArgs};
use crate::error::{CliError, CliResult};

/// Arguments of `pocket-sign url`.
///
/// Canned policy unless --starts-at, --ip or a --resource pattern asks for a custom one.
/// A canned signature is valid for exactly the URL given: a `*` in URL is signed as the
/// literal character (as botocore does), never as a wildcard; wildcards only come from
/// --resource. Prints one signed URL per line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The URL(s) to sign, each exactly as given (a `*` is literal, not a wildcard; several
    /// URLs with one --resource share one signature).
    #[arg(value_name = "URL", required = true)]
    pub urls: Vec<String>,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub time: TimeArgs,
    /// Policy resource (custom policy), may use `*` and `?` wildcards, e.g.
    /// https://d111111abcdef8.cloudfront.net/media/* (the only way to sign a wildcard)
    #[arg(long, value_name = "PATTERN")]
    pub resource: Option<String>,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let mut builder = args.time.builder()?;
    if let Some(r) = &args.resource {
        builder = builder.resource(r);
    }
    let signer = args.key.signer()?;
    let mut out = String::new();
    match (&args.resource, args.urls.as_slice()) {
        (Some(_), [_, _, ..]) => {
            // One custom policy for every URL: sign once, apply to each.
            let policy = match builder.build_for("").map_err(signing)? {
                Policy::Custom(c) => c,
                Policy::Canned { .. } => {
                    return Err(CliError::input("--resource must not be empty"))
                }
            };
            let signed = signer.sign_policy(&policy).map_err(signing)?;
            for url in &args.urls {
                out.push_str(&signed.apply(url).map_err(signing)?);
                out.push('\n');
            }
        }
        _ => {
            for url in &args.urls {
                let policy = builder.clone().build_for(url).map_err(signing)?;
                out.push_str(&signer.signed_url(url, &policy).map_err(signing)?);
                out.push('\n');
            }
        }
    }
    super::out::text(&out)?;
    Ok(())
}
