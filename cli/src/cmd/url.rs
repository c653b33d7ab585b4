//! `pocket-sign url`: CloudFront signed URLs (byte-identical to botocore for RSA-SHA1).
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

/// Runs the command: one call to the core's batch API
/// ([`pocket_sign_core::cloudfront::CloudFrontSigner::signed_urls_from`]), which builds each
/// URL's policy, signs a shared custom policy once, checks and assembles every URL. Prints
/// nothing unless every URL is signed (the first failing URL's error, exit 2).
pub fn run(args: Args) -> CliResult {
    let mut builder = args.time.builder()?;
    if let Some(r) = &args.resource {
        if r.is_empty() {
            return Err(CliError::input("--resource must not be empty"));
        }
        builder = builder.resource(r);
    }
    let signer = args.key.signer()?;
    let urls: Vec<&str> = args.urls.iter().map(String::as_str).collect();
    let mut out = String::new();
    for signed in signer.signed_urls_from(&urls, &builder) {
        out.push_str(&signed.map_err(signing)?);
        out.push('\n');
    }
    super::out::text(&out)?;
    Ok(())
}
