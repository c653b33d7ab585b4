//! `pocket-sign cookies`: CloudFront signed cookies.
use pocket_sign_core::cloudfront::CookieAttributes;

use super::cf_args::{signing, KeyArgs, TimeArgs};
use crate::error::{CliError, CliResult};

/// Output formats of `pocket-sign cookies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A JSON object: cookie name → value.
    Json,
    /// One `Set-Cookie` header value per line (without the header name).
    SetCookie,
    /// One full `Set-Cookie: ...` header line per cookie.
    Header,
}

/// Arguments of `pocket-sign cookies`.
///
/// RESOURCE is the policy resource itself, not a URL to sign: a `*` in it is a wildcard and
/// the cookies grant every URL it matches (custom policy; that is what signed cookies are
/// for). Without `*`, --starts-at or --ip the policy is canned and valid for exactly
/// RESOURCE. Never pass an unchecked user-supplied name here.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy resource the cookies grant: a URL, or a wildcard pattern such as
    /// https://example.org/media/* (`*` is a wildcard here, unlike in `pocket-sign url`)
    #[arg(value_name = "RESOURCE")]
    pub resource: String,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub time: TimeArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Set-Cookie Domain attribute (e.g. d111111abcdef8.cloudfront.net or example.org).
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// Set-Cookie Path attribute.
    #[arg(long, value_name = "PATH", default_value = "/")]
    pub path: String,
    /// Leave out the Secure attribute.
    #[arg(long)]
    pub no_secure: bool,
    /// Leave out the HttpOnly attribute.
    #[arg(long)]
    pub no_http_only: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let policy = args
        .time
        .builder()?
        .build_for_resource(&args.resource)
        .map_err(signing)?;
    let signer = args.key.signer()?;
    let cookies = signer
        .signed_cookies(&args.resource, &policy)
        .map_err(signing)?;
    match args.format {
        Format::Json => {
            let map: serde_json::Map<String, serde_json::Value> = cookies
                .cookies()
                .iter()
                .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
                .collect();
            let text = serde_json::to_string(&map)
                .map_err(|_| CliError::input("the cookies could not be written as JSON"))?;
            super::out::line(&text)?;
        }
        Format::SetCookie | Format::Header => {
            let attrs = CookieAttributes {
                domain: args.domain.clone(),
                path: Some(args.path.clone()),
                secure: !args.no_secure,
                http_only: !args.no_http_only,
            };
            let prefix = if args.format == Format::Header {
                "Set-Cookie: "
            } else {
                ""
            };
            for h in cookies.set_cookie_headers(&attrs).map_err(signing)? {
                super::out::line(&format!("{prefix}{h}"))?;
            }
        }
    }
    Ok(())
}
