//! Origin verification: refuse requests that reach the application origin (API Gateway, ALB,
//! Lambda function URL) without passing through the CloudFront distribution, and take the viewer
//! IP from the edge instead of from a header the client controls.
//!
//! The protocol is magic-pocket's `enable_origin_verify` (`[cloudfront.NAME]` in `pocket.toml`):
//! - CloudFront adds the origin custom header [`ORIGIN_VERIFY_HEADER`] with a secret value
//!   ("Add custom headers to origin requests", CloudFront Developer Guide; CloudFront replaces a
//!   viewer header of the same name), and the application has the same secret in the
//!   environment variable [`ORIGIN_VERIFY_SECRET_ENV`] (64 lowercase hex characters, see
//!   [`origin_verify_secret`]);
//! - the viewer-request function of every API route sets [`VIEWER_IP_HEADER`] from
//!   `event.viewer.ip` (the address CloudFront saw on the TCP connection), overwriting any value
//!   the client sent;
//! - the application calls [`verify_origin`] for every request: no secret configured means
//!   origin verification is off (local development: [`OriginDecision::Disabled`]); a missing or
//!   different header is a direct call to the origin ([`OriginDecision::Forbidden`], answer
//!   403); a matching header gives [`OriginDecision::Verified`] with the parsed viewer IP, which
//!   replaces the socket peer address (`REMOTE_ADDR`).
//!
//! Every input is raw header bytes: nothing here panics or allocates in proportion to an
//! attacker's input beyond one parsed address, whatever the bytes (non-ASCII, non-UTF-8, 1 MiB).

use alloc::string::{String, ToString};
use core::net::IpAddr;

use rand_core::CryptoRngCore;
use subtle::ConstantTimeEq;

/// The origin custom header CloudFront adds (`X-Pocket-Origin-Verify`; header names are
/// case-insensitive).
pub const ORIGIN_VERIFY_HEADER: &str = "X-Pocket-Origin-Verify";
/// The header the generated viewer-request function sets from `event.viewer.ip`
/// (`X-Pocket-Viewer-Ip`).
pub const VIEWER_IP_HEADER: &str = "X-Pocket-Viewer-Ip";
/// The application's environment variable holding the secret (`POCKET_ORIGIN_VERIFY_SECRET`,
/// also the name of magic-pocket's managed secret of type `origin_verify_secret`).
pub const ORIGIN_VERIFY_SECRET_ENV: &str = "POCKET_ORIGIN_VERIFY_SECRET";
/// The `pocket.toml` key that turns origin verification on for a distribution.
pub const POCKET_TOML_KEY: &str = "enable_origin_verify";
/// Longest viewer-IP header value looked at, in bytes: a bracketed IPv6 address with a zone-free
/// longest form (45 characters) plus port and brackets fits easily; longer values are refused.
pub const MAX_VIEWER_IP_LEN: usize = 128;

/// What the application does with one request ([`verify_origin`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginDecision {
    /// No secret configured: origin verification is off; keep the request as it is (the
    /// socket peer address stays).
    Disabled,
    /// The secret header is missing or wrong: the request did not come through CloudFront.
    /// Answer 403 and do not run the application.
    Forbidden,
    /// The secret header matches. `viewer_ip` is the parsed [`VIEWER_IP_HEADER`] (replace the
    /// peer address with it), or `None` when the header is absent or not an IP address (keep
    /// the peer address).
    Verified {
        /// The viewer's address from the edge.
        viewer_ip: Option<IpAddr>,
    },
}

/// Decides one request. `secret`: the configured secret's bytes ([`ORIGIN_VERIFY_SECRET_ENV`];
/// `None` or empty means off). `provided`: the raw bytes of the request's
/// [`ORIGIN_VERIFY_HEADER`], if present. `viewer_ip`: the raw bytes of its
/// [`VIEWER_IP_HEADER`], if present (parsed with [`parse_viewer_ip`], only once the secret
/// matched).
///
/// The comparison is constant-time in the contents (`subtle`'s slice `ct_eq`; only the lengths
/// may show through timing, as with Python's `hmac.compare_digest`). Never fails or panics.
pub fn verify_origin(
    secret: Option<&[u8]>,
    provided: Option<&[u8]>,
    viewer_ip: Option<&[u8]>,
) -> OriginDecision {
    let secret = match secret {
        Some(s) if !s.is_empty() => s,
        _ => return OriginDecision::Disabled,
    };
    let provided = provided.unwrap_or(b"");
    if !bool::from(provided.ct_eq(secret)) {
        return OriginDecision::Forbidden;
    }
    OriginDecision::Verified {
        viewer_ip: viewer_ip.and_then(parse_viewer_ip),
    }
}

/// The IP address in a viewer-IP header value, or `None`. Same rules as magic-pocket's
/// `pocket.django.client_ip.parse_viewer_ip`, on bytes:
/// - surrounding whitespace is ignored; an empty value, one longer than [`MAX_VIEWER_IP_LEN`]
///   bytes or one that is not UTF-8 gives `None`;
/// - `[addr]` or `[addr]:port`: the bracketed part must be an address (IPv6 or IPv4);
/// - otherwise the whole value when it is an address (`198.51.100.10`, `2001:db8::1`);
/// - otherwise the part before the last `:` (`198.51.100.10:443`, and CloudFront's unbracketed
///   `2001:db8::1:60776` when the last group cannot be IPv6, i.e. has 5 or more digits).
///
/// Address syntax is Rust's `core::net` parser (RFC 4291 text forms, dotted-quad IPv4 without
/// leading zeros); IPv6 zone ids (`fe80::1%eth0`) are refused, CloudFront never sends one.
/// Format the result with `Display` for the canonical text (RFC 5952 for IPv6).
pub fn parse_viewer_ip(value: &[u8]) -> Option<IpAddr> {
    if value.len() > MAX_VIEWER_IP_LEN {
        return None;
    }
    let value = core::str::from_utf8(value).ok()?.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(rest) = value.strip_prefix('[') {
        return address(rest.split(']').next().unwrap_or(""));
    }
    if let Some(ip) = address(value) {
        return Some(ip);
    }
    let (left, _port) = value.rsplit_once(':')?;
    address(left)
}

fn address(s: &str) -> Option<IpAddr> {
    s.trim().parse().ok()
}

/// [`parse_viewer_ip`] as canonical text (`Display` of the address), for front ends that hand
/// the address on as a string (Django's `REMOTE_ADDR`, ASGI's `client`).
pub fn viewer_ip_text(value: &[u8]) -> Option<String> {
    parse_viewer_ip(value).map(|ip| ip.to_string())
}

/// A new origin-verify secret: 32 bytes from `rng` as 64 lowercase hex characters, the format
/// of magic-pocket's `origin_verify_secret` managed secret (`secrets.token_hex(32)`).
pub fn origin_verify_secret(rng: &mut impl CryptoRngCore) -> String {
    crate::keygen::spa_token_secret(rng)
}

/// [`origin_verify_secret`] with the operating system's random generator.
#[cfg(feature = "std")]
pub fn generate_origin_verify_secret() -> String {
    origin_verify_secret(&mut rand_core::OsRng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn ip(s: &str) -> Option<String> {
        viewer_ip_text(s.as_bytes())
    }

    #[test]
    fn viewer_ip_forms() {
        assert_eq!(ip("198.51.100.10").as_deref(), Some("198.51.100.10"));
        assert_eq!(ip("198.51.100.10:443").as_deref(), Some("198.51.100.10"));
        assert_eq!(ip("2001:db8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("[2001:db8::1]:8080").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("[2001:db8::1]").as_deref(), Some("2001:db8::1"));
        // As the original: the part after `[` up to `]` or the end.
        assert_eq!(ip("[2001:db8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("2001:db8::1:60776").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("  198.51.100.10  ").as_deref(), Some("198.51.100.10"));
        assert_eq!(ip("2001:0DB8:0000::0001").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("::ffff:192.0.2.1").as_deref(), Some("::ffff:192.0.2.1"));
        for bad in [
            "",
            "   ",
            "not-an-ip",
            "999.999.999.999",
            "01.2.3.4",
            "1.2.3",
            "[not]:80",
            "fe80::1%eth0",
            ":80",
            "198.51.100.10:443:1",
            "1.2.3.4\u{0}",
        ] {
            assert_eq!(ip(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn viewer_ip_hostile_bytes() {
        let cases: [&[u8]; 4] = [
            &b"\xff\xfe198.51.100.10"[..],
            &b"\xc3\x28"[..],
            "１９８.51.100.10".as_bytes(),
            "198.51.100.10\u{2028}".as_bytes(),
        ];
        for v in cases {
            let _ = parse_viewer_ip(v); // never panics
        }
        assert_eq!(parse_viewer_ip(b"\xff1.2.3.4"), None);
        let mut long: Vec<u8> = b" ".repeat(MAX_VIEWER_IP_LEN);
        long.extend_from_slice(b"1.2.3.4");
        assert_eq!(parse_viewer_ip(&long), None);
        let big = alloc::vec![b'['; 1 << 20];
        assert_eq!(parse_viewer_ip(&big), None);
    }

    #[test]
    fn decisions() {
        let s_vec = b"a".repeat(64);
        let s: &[u8] = &s_vec;
        assert_eq!(
            verify_origin(None, Some(b"x"), Some(b"1.2.3.4")),
            OriginDecision::Disabled
        );
        assert_eq!(
            verify_origin(Some(b""), None, None),
            OriginDecision::Disabled
        );
        assert_eq!(
            verify_origin(Some(s), None, Some(b"1.2.3.4")),
            OriginDecision::Forbidden
        );
        assert_eq!(
            verify_origin(Some(s), Some(b""), None),
            OriginDecision::Forbidden
        );
        let other = b"b".repeat(64);
        assert_eq!(
            verify_origin(Some(s), Some(other.as_slice()), None),
            OriginDecision::Forbidden
        );
        assert_eq!(
            verify_origin(Some(s), Some(&s[..63]), None),
            OriginDecision::Forbidden
        );
        let longer = b"a".repeat(65);
        assert_eq!(
            verify_origin(Some(s), Some(longer.as_slice()), None),
            OriginDecision::Forbidden
        );
        assert_eq!(
            verify_origin(Some(s), Some("ａ".repeat(64).as_bytes()), None),
            OriginDecision::Forbidden
        );
        assert_eq!(
            verify_origin(Some(s), Some(b"\xff\x00\x80"), None),
            OriginDecision::Forbidden
        );
        assert_eq!(
            verify_origin(Some(s), Some(s), Some(b"198.51.100.10:54321")),
            OriginDecision::Verified {
                viewer_ip: Some("198.51.100.10".parse().unwrap())
            }
        );
        assert_eq!(
            verify_origin(Some(s), Some(s), None),
            OriginDecision::Verified { viewer_ip: None }
        );
        assert_eq!(
            verify_origin(Some(s), Some(s), Some(b"\xff")),
            OriginDecision::Verified { viewer_ip: None }
        );
        // A non-ASCII secret compares as bytes too.
        let u = "秘密".as_bytes();
        assert!(matches!(
            verify_origin(Some(u), Some(u), None),
            OriginDecision::Verified { .. }
        ));
    }

    #[cfg(feature = "std")]
    #[test]
    fn secret_format() {
        let mut rng = rand_core::OsRng;
        let a = origin_verify_secret(&mut rng);
        let b = origin_verify_secret(&mut rng);
        assert_eq!(a.len(), 64);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        assert_ne!(a, b);
    }
}
