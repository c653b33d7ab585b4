//! Bounded HTTP(S) fetching of JWKS documents and ALB public key PEMs (std only).
//!
//! Both entry points (blocking [`HttpFetcher::fetch_blocking`] and async
//! [`HttpFetcher::fetch_async`]) use `reqwest` with rustls, honour the usual proxy variables
//! (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, as reqwest's system proxy support reads them),
//! never follow redirects, and bound everything an attacker or a broken endpoint controls:
//! the connect time ([`FetchConfig::connect_timeout`]), the whole request including the body
//! ([`FetchConfig::total_timeout`]), and the body size ([`FetchConfig::max_body_bytes`],
//! enforced while the body streams in, not after).
//!
//! Plain `http://` is refused unless the host is a loopback address (tests, LocalStack) or
//! [`FetchConfig::allow_http`] is set.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::time::Duration;
use std::io::Read;
use std::sync::OnceLock;

/// What a fetch expects in the response's `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedContent {
    /// A JSON document: `application/json`, `application/jwk-set+json`, any `application/*+json`,
    /// or no `Content-Type` at all (some private endpoints omit it). The body must also start
    /// (after whitespace) with `{`.
    Json,
    /// A PEM document (ALB public keys): any `Content-Type`; the body must start with
    /// `-----BEGIN ` after whitespace.
    Pem,
}

/// Limits and policy for one [`HttpFetcher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// Time allowed to establish the TCP (and TLS) connection. Default 2 s.
    pub connect_timeout: Duration,
    /// Time allowed for the whole request: connect, headers and the complete body.
    /// Default 5 s. A slow-drip body fails with [`FetchError::Timeout`] when this runs out.
    pub total_timeout: Duration,
    /// Largest accepted body in bytes, checked against `Content-Length` and again while
    /// streaming. Default 256 KiB (a Cognito JWKS is about 1 KiB; an ALB key PEM ~180 bytes).
    pub max_body_bytes: usize,
    /// Allow `http://` URLs to non-loopback hosts. Default `false`: JWKS over plain HTTP can be
    /// replaced by anyone on the path.
    pub allow_http: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_secs(5),
            max_body_bytes: 256 * 1024,
            allow_http: false,
        }
    }
}

/// Why a fetch failed. Messages are one sentence and name the URL but never a body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL could not be parsed, has no host, or uses a scheme that is not allowed.
    #[error("invalid key URL {0}")]
    InvalidUrl(String),
    /// Connecting failed (DNS, refused, TLS handshake, proxy).
    #[error("could not connect to {url}: {reason}")]
    Connect {
        /// The URL being fetched.
        url: String,
        /// A short description from the HTTP client.
        reason: String,
    },
    /// The connect or total timeout ran out.
    #[error("fetching {url} timed out after {millis} ms")]
    Timeout {
        /// The URL being fetched.
        url: String,
        /// The configured total timeout in milliseconds.
        millis: u64,
    },
    /// The server answered with a non-200 status (redirects are not followed).
    #[error("fetching {url} returned HTTP status {status}")]
    Status {
        /// The URL being fetched.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The `Content-Type` or the start of the body is not what was expected.
    #[error("response from {url} has unexpected content: {detail}")]
    ContentType {
        /// The URL being fetched.
        url: String,
        /// What was wrong (e.g. the received content type).
        detail: String,
    },
    /// The body is larger than [`FetchConfig::max_body_bytes`].
    #[error("response from {url} exceeds the {limit}-byte limit")]
    TooLarge {
        /// The URL being fetched.
        url: String,
        /// The configured limit in bytes.
        limit: usize,
    },
    /// Reading the body failed midway.
    #[error("reading the response from {url} failed: {reason}")]
    Body {
        /// The URL being fetched.
        url: String,
        /// A short description from the HTTP client.
        reason: String,
    },
    /// The body was fetched but is not a valid document (bad JSON, not a JWKS, bad PEM).
    #[error("response from {url} is not a valid key document: {reason}")]
    Invalid {
        /// The URL being fetched.
        url: String,
        /// What the parser said (no key material).
        reason: String,
    },
}

impl FetchError {
    /// The stable machine-readable kind: the variant name (`"Timeout"`, `"Status"`, ...), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, FetchError { InvalidUrl(..), Connect { .. }, Timeout { .. }, Status { .. }, ContentType { .. }, TooLarge { .. }, Body { .. }, Invalid { .. } })
    }
}

/// An HTTP client pair (blocking and async) with the limits of a [`FetchConfig`].
///
/// The blocking client is created lazily on first blocking use, because reqwest's blocking
/// client owns a runtime and must not be created inside an async context.
pub struct HttpFetcher {
    cfg: FetchConfig,
    blocking: OnceLock<Result<reqwest::blocking::Client, FetchError>>,
    async_client: OnceLock<Result<reqwest::Client, FetchError>>,
}

impl core::fmt::Debug for HttpFetcher {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpFetcher")
            .field("cfg", &self.cfg)
            .finish()
    }
}

impl HttpFetcher {
    /// A fetcher with these limits. Never fails: client construction errors surface as
    /// [`FetchError::Connect`] on the first fetch.
    pub fn new(cfg: FetchConfig) -> Self {
        HttpFetcher {
            cfg,
            blocking: OnceLock::new(),
            async_client: OnceLock::new(),
        }
    }

    /// The limits in force.
    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    fn check_url(&self, url: &str) -> Result<reqwest::Url, FetchError> {
        let parsed =
            reqwest::Url::parse(url).map_err(|_| FetchError::InvalidUrl(url.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| FetchError::InvalidUrl(url.to_string()))?;
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = match bare.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback(),
            Err(_) => bare.eq_ignore_ascii_case("localhost"),
        };
        match parsed.scheme() {
            "https" => Ok(parsed),
            "http" if loopback || self.cfg.allow_http => Ok(parsed),
            _ => Err(FetchError::InvalidUrl(url.to_string())),
        }
    }

    fn blocking_client(&self) -> Result<&reqwest::blocking::Client, FetchError> {
        let c = self.blocking.get_or_init(|| {
            reqwest::blocking::Client::builder()
                .connect_timeout(self.cfg.connect_timeout)
                .timeout(self.cfg.total_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("pocket-sign/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| FetchError::Connect {
                    url: String::new(),
                    reason: e.to_string(),
                })
        });
        c.as_ref().map_err(Clone::clone)
    }

    fn async_client(&self) -> Result<&reqwest::Client, FetchError> {
        let c = self.async_client.get_or_init(|| {
            reqwest::Client::builder()
                .connect_timeout(self.cfg.connect_timeout)
                .timeout(self.cfg.total_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("pocket-sign/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| FetchError::Connect {
                    url: String::new(),
                    reason: e.to_string(),
                })
        });
        c.as_ref().map_err(Clone::clone)
    }

    fn map_err(&self, url: &str, e: &reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout {
                url: url.to_string(),
                millis: millis(self.cfg.total_timeout),
            }
        } else if e.is_body() || e.is_decode() {
            FetchError::Body {
                url: url.to_string(),
                reason: short_reason(e),
            }
        } else {
            FetchError::Connect {
                url: url.to_string(),
                reason: short_reason(e),
            }
        }
    }

    fn check_head(
        &self,
        url: &str,
        status: u16,
        content_type: Option<&str>,
        content_length: Option<u64>,
        expected: ExpectedContent,
    ) -> Result<(), FetchError> {
        if status != 200 {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        if let Some(len) = content_length {
            if len > self.cfg.max_body_bytes as u64 {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit: self.cfg.max_body_bytes,
                });
            }
        }
        if expected == ExpectedContent::Json {
            if let Some(ct) = content_type {
                if !is_json_content_type(ct) {
                    return Err(FetchError::ContentType {
                        url: url.to_string(),
                        detail: format!("content type {:?} is not JSON", truncate(ct, 64)),
                    });
                }
            }
        }
        Ok(())
    }

    /// Fetches `url` with the blocking client and returns the body.
    ///
    /// Errors: [`FetchError::InvalidUrl`], [`FetchError::Connect`], [`FetchError::Timeout`]
    /// (never waits longer than about `total_timeout`), [`FetchError::Status`],
    /// [`FetchError::ContentType`], [`FetchError::TooLarge`], [`FetchError::Body`].
    ///
    /// Panics if called from inside an async runtime (reqwest's blocking client does); use
    /// [`HttpFetcher::fetch_async`] there.
    pub fn fetch_blocking(
        &self,
        url: &str,
        expected: ExpectedContent,
    ) -> Result<Vec<u8>, FetchError> {
        let parsed = self.check_url(url)?;
        let client = self.blocking_client()?;
        let started = std::time::Instant::now();
        let resp = client
            .get(parsed)
            .send()
            .map_err(|e| self.map_err(url, &e))?;
        let ct = header_str(resp.headers());
        self.check_head(
            url,
            resp.status().as_u16(),
            ct.as_deref(),
            resp.content_length(),
            expected,
        )?;
        let limit = self.cfg.max_body_bytes;
        let mut body = Vec::new();
        // reqwest's blocking timeout bounds each read, not the whole body: keep our own
        // deadline so a slow-drip body cannot hold us past about `total_timeout`.
        let mut reader = resp.take(limit as u64 + 1);
        let mut buf = [0u8; 8192];
        loop {
            if started.elapsed() > self.cfg.total_timeout {
                return Err(FetchError::Timeout {
                    url: url.to_string(),
                    millis: millis(self.cfg.total_timeout),
                });
            }
            let n = reader.read(&mut buf).map_err(|e| {
                let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                    || e.get_ref()
                        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
                        .is_some_and(reqwest::Error::is_timeout);
                if timed_out {
                    FetchError::Timeout {
                        url: url.to_string(),
                        millis: millis(self.cfg.total_timeout),
                    }
                } else {
                    FetchError::Body {
                        url: url.to_string(),
                        reason: truncate(&e.to_string(), 120),
                    }
                }
            })?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(buf.get(..n).unwrap_or(&[]));
            if body.len() > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
        }
        finish_body(url, body, limit, expected)
    }

    /// Fetches `url` with the async client (needs a Tokio runtime) and returns the body.
    /// Same errors and bounds as [`HttpFetcher::fetch_blocking`].
    pub async fn fetch_async(
        &self,
        url: &str,
        expected: ExpectedContent,
    ) -> Result<Vec<u8>, FetchError> {
        let parsed = self.check_url(url)?;
        let client = self.async_client()?;
        let mut resp = client
            .get(parsed)
            .send()
            .await
            .map_err(|e| self.map_err(url, &e))?;
        let ct = header_str(resp.headers());
        self.check_head(
            url,
            resp.status().as_u16(),
            ct.as_deref(),
            resp.content_length(),
            expected,
        )?;
        let limit = self.cfg.max_body_bytes;
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.map_err(url, &e))? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        finish_body(url, body, limit, expected)
    }
}

fn finish_body(
    url: &str,
    body: Vec<u8>,
    limit: usize,
    expected: ExpectedContent,
) -> Result<Vec<u8>, FetchError> {
    if body.len() > limit {
        return Err(FetchError::TooLarge {
            url: url.to_string(),
            limit,
        });
    }
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let ok = match (expected, start) {
        (ExpectedContent::Json, Some(i)) => body.get(i) == Some(&b'{'),
        (ExpectedContent::Pem, Some(i)) => body
            .get(i..)
            .is_some_and(|rest| rest.starts_with(b"-----BEGIN ")),
        (_, None) => false,
    };
    if !ok {
        let what = match expected {
            ExpectedContent::Json => "body is not a JSON object",
            ExpectedContent::Pem => "body is not a PEM document",
        };
        return Err(FetchError::ContentType {
            url: url.to_string(),
            detail: what.to_string(),
        });
    }
    Ok(body)
}

fn header_str(h: &reqwest::header::HeaderMap) -> Option<String> {
    h.get(reqwest::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// `application/json`, `application/jwk-set+json` or any `application/*+json`, parameters
/// (`; charset=utf-8`) ignored, case-insensitive.
fn is_json_content_type(ct: &str) -> bool {
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", s.get(..i).unwrap_or("")),
        None => s.to_string(),
    }
}

fn short_reason(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    truncate(&msg, 200)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(is_json_content_type("application/jwk-set+json"));
        assert!(!is_json_content_type("text/html"));
        assert!(!is_json_content_type("application/jsonp"));
    }

    #[test]
    fn url_policy() {
        let f = HttpFetcher::new(FetchConfig::default());
        assert!(f
            .check_url("https://cognito-idp.eu-west-1.amazonaws.com/x")
            .is_ok());
        assert!(f.check_url("http://127.0.0.1:9/x").is_ok());
        assert!(f.check_url("http://localhost:9/x").is_ok());
        assert!(f.check_url("http://[::1]:9/x").is_ok());
        assert!(matches!(
            f.check_url("http://example.com/x"),
            Err(FetchError::InvalidUrl(_))
        ));
        assert!(matches!(
            f.check_url("file:///etc/passwd"),
            Err(FetchError::InvalidUrl(_))
        ));
        assert!(matches!(
            f.check_url("not a url"),
            Err(FetchError::InvalidUrl(_))
        ));
        let f = HttpFetcher::new(FetchConfig {
            allow_http: true,
            ..FetchConfig::default()
        });
        assert!(f.check_url("http://example.com/x").is_ok());
    }

    #[test]
    fn body_checks() {
        assert!(finish_body("u", b" {\"keys\":[]}".to_vec(), 100, ExpectedContent::Json).is_ok());
        assert_eq!(
            finish_body("u", b"<html>".to_vec(), 100, ExpectedContent::Json)
                .unwrap_err()
                .kind(),
            "ContentType"
        );
        assert_eq!(
            finish_body("u", vec![b'{'; 101], 100, ExpectedContent::Json)
                .unwrap_err()
                .kind(),
            "TooLarge"
        );
        assert!(finish_body(
            "u",
            b"-----BEGIN PUBLIC KEY-----\n".to_vec(),
            100,
            ExpectedContent::Pem
        )
        .is_ok());
        assert_eq!(
            finish_body("u", b"".to_vec(), 100, ExpectedContent::Pem)
                .unwrap_err()
                .kind(),
            "ContentType"
        );
    }
}
