//! CloudFront policy statements (canned and custom) with botocore's exact JSON bytes.
//!
//! Follows AWS's "Create a signed URL using a canned policy" / "... using a custom policy" pages
//! and botocore's `CloudFrontSigner.build_policy`, which serializes with
//! `json.dumps(policy, separators=(',', ':'))` (so `ensure_ascii=True`): no whitespace, keys in
//! the order `Statement` → `Resource`, `Condition` → `DateLessThan`, `IpAddress`,
//! `DateGreaterThan`, and every character outside printable ASCII escaped as `\uXXXX`
//! (lowercase hex, UTF-16 surrogate pairs above U+FFFF).

use alloc::string::String;
use core::fmt::Write as _;

use super::error::SigningError;
use super::url::MAX_URL_LEN;

/// A custom policy: a resource (URL or pattern with `*` / `?` wildcards) and conditions.
///
/// Times are unix seconds. Build it with [`CustomPolicy::new`], then optionally
/// [`CustomPolicy::starting_at`] and [`CustomPolicy::from_ip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomPolicy {
    /// The `Resource`: the URL, or a pattern where `*` matches any run of characters and `?`
    /// one character.
    pub resource: String,
    /// `DateLessThan` (`AWS:EpochTime`): the expiry, unix seconds. Required by CloudFront.
    pub date_less_than: u64,
    /// `DateGreaterThan`: the start of validity, unix seconds. Optional.
    pub date_greater_than: Option<u64>,
    /// `IpAddress` (`AWS:SourceIp`): an IPv4 CIDR block such as `192.0.2.0/24`. A bare address
    /// is written with `/32` appended, as botocore does. Optional.
    pub ip_address: Option<String>,
}

impl CustomPolicy {
    /// A custom policy for `resource` expiring at `date_less_than` (unix seconds).
    pub fn new(resource: &str, date_less_than: u64) -> Self {
        CustomPolicy {
            resource: String::from(resource),
            date_less_than,
            date_greater_than: None,
            ip_address: None,
        }
    }

    /// Sets `DateGreaterThan` (unix seconds): the policy is valid only after this time.
    #[must_use]
    pub fn starting_at(mut self, date_greater_than: u64) -> Self {
        self.date_greater_than = Some(date_greater_than);
        self
    }

    /// Sets `IpAddress` to an IPv4 address (`/32` is appended) or IPv4 CIDR block.
    ///
    /// # Errors
    /// [`SigningError::Ipv6NotSupported`] for an IPv6 value, [`SigningError::InvalidIpAddress`]
    /// for anything that is not `a.b.c.d` or `a.b.c.d/n` (decimal octets 0–255 without leading
    /// zeros, prefix 0–32).
    pub fn from_ip(mut self, ip: &str) -> Result<Self, SigningError> {
        self.ip_address = Some(normalize_ipv4_cidr(ip)?);
        Ok(self)
    }

    /// Checks what CloudFront requires: the start is before the expiry, the `IpAddress` is an
    /// IPv4 CIDR, the resource is at most [`MAX_URL_LEN`] bytes.
    ///
    /// # Errors
    /// [`SigningError::StartNotBeforeExpiry`], [`SigningError::Ipv6NotSupported`],
    /// [`SigningError::InvalidIpAddress`], [`SigningError::InvalidUrl`].
    pub fn validate(&self) -> Result<(), SigningError> {
        if let Some(starts) = self.date_greater_than {
            if starts >= self.date_less_than {
                return Err(SigningError::StartNotBeforeExpiry {
                    starts,
                    expires: self.date_less_than,
                });
            }
        }
        if let Some(ip) = &self.ip_address {
            normalize_ipv4_cidr(ip)?;
        }
        check_resource(&self.resource)
    }

    /// The policy JSON exactly as botocore's `build_policy` produces it (see the module docs).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.resource.len() + 160);
        self.write_json(&mut out);
        out
    }

    /// Appends the policy JSON (as [`CustomPolicy::to_json`]) to `out`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"Statement\":[{\"Resource\":");
        write_json_string(out, &self.resource);
        out.push_str(",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":");
        let _ = write!(out, "{}", self.date_less_than);
        out.push('}');
        if let Some(ip) = self.ip_address.as_deref().filter(|ip| !ip.is_empty()) {
            out.push_str(",\"IpAddress\":{\"AWS:SourceIp\":");
            if ip.contains('/') {
                write_json_string(out, ip);
            } else {
                out.push('"');
                write_json_string_body(out, ip);
                out.push_str("/32\"");
            }
            out.push('}');
        }
        if let Some(starts) = self.date_greater_than {
            let _ = write!(out, ",\"DateGreaterThan\":{{\"AWS:EpochTime\":{starts}}}");
        }
        out.push_str("}}]}");
    }
}

/// A CloudFront policy: canned (expiry only, resource = the signed URL) or custom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// Canned policy: `Expires` (unix seconds) only; the resource is exactly the URL being
    /// signed. A `*` in that URL is signed as the literal character, as botocore's
    /// `generate_presigned_url(url, date_less_than=...)` does: a canned signature is valid for
    /// one URL and is never widened into a wildcard. Wildcards come only from a
    /// [`Policy::Custom`] (for signed cookies see [`super::CloudFrontSigner::signed_cookies`]).
    Canned {
        /// The expiry (`DateLessThan`), unix seconds.
        expires: u64,
    },
    /// Custom policy (`Policy` parameter carries the JSON).
    Custom(CustomPolicy),
}

impl Policy {
    /// The expiry (`DateLessThan`) in unix seconds.
    pub fn expires(&self) -> u64 {
        match self {
            Policy::Canned { expires } => *expires,
            Policy::Custom(c) => c.date_less_than,
        }
    }
}

/// Builds a [`Policy`] from optional parts, choosing canned vs custom the way the CLI and AWS
/// describe it: custom when a start time, an IP range, or an explicitly set resource
/// ([`PolicyBuilder::resource`]) that differs from the URL or contains a `*` wildcard is
/// present; canned otherwise. A `*` in the URL itself never makes the policy custom (it is
/// signed literally under the canned policy, as botocore does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyBuilder {
    resource: Option<String>,
    expires: Option<u64>,
    starts: Option<u64>,
    ip: Option<String>,
}

impl PolicyBuilder {
    /// An empty builder (no expiry yet: [`PolicyBuilder::build_for`] fails until one is set).
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the policy `Resource` (defaults to the URL being signed).
    #[must_use]
    pub fn resource(mut self, resource: &str) -> Self {
        self.resource = Some(String::from(resource));
        self
    }
    /// Sets the expiry (`DateLessThan`), unix seconds.
    #[must_use]
    pub fn expires_at(mut self, unix: u64) -> Self {
        self.expires = Some(unix);
        self
    }
    /// Sets the start (`DateGreaterThan`), unix seconds.
    #[must_use]
    pub fn starts_at(mut self, unix: u64) -> Self {
        self.starts = Some(unix);
        self
    }
    /// Sets the `IpAddress` (IPv4 address or CIDR; validated by `build_for`).
    #[must_use]
    pub fn ip(mut self, ip: &str) -> Self {
        self.ip = Some(String::from(ip));
        self
    }

    /// Builds the policy for signing the URL `url`. Canned unless a start time, an IP range or
    /// an explicit [`PolicyBuilder::resource`] (different from `url`, or containing `*`) asks
    /// for a custom policy; a `*` in `url` alone keeps the policy canned.
    ///
    /// # Errors
    /// [`SigningError::MissingExpiry`] without an expiry, and the errors of
    /// [`CustomPolicy::validate`].
    pub fn build_for(self, url: &str) -> Result<Policy, SigningError> {
        let expires = self.expires.ok_or(SigningError::MissingExpiry)?;
        let explicit_wildcard = self.resource.as_deref().is_some_and(|r| r.contains('*'));
        let resource = self.resource.unwrap_or_else(|| String::from(url));
        if self.starts.is_none() && self.ip.is_none() && resource == url && !explicit_wildcard {
            // The canned resource is the URL itself: its length is checked once, on the signed
            // URL ([`SigningError::UrlTooLong`]), as every other URL-signing entry point does.
            return Ok(Policy::Canned { expires });
        }
        let mut policy = CustomPolicy {
            resource,
            date_less_than: expires,
            date_greater_than: self.starts,
            ip_address: None,
        };
        if let Some(ip) = self.ip.as_deref() {
            policy = policy.from_ip(ip)?;
        }
        policy.validate()?;
        Ok(Policy::Custom(policy))
    }

    /// Builds the policy whose `Resource` is `resource` itself, for signed cookies and for
    /// printing a policy: here the argument *is* the policy resource, so a `*` in it is a
    /// wildcard and makes the policy custom (as do a start time or an IP range). Any resource
    /// set with [`PolicyBuilder::resource`] is replaced by `resource`.
    ///
    /// # Errors
    /// As [`PolicyBuilder::build_for`].
    pub fn build_for_resource(self, resource: &str) -> Result<Policy, SigningError> {
        self.resource(resource).build_for(resource)
    }
}

/// The canned policy JSON for `resource` (the URL) and `expires` (unix seconds): botocore's
/// `build_policy(url, date_less_than)` bytes, appended to `out`.
pub(crate) fn write_canned_json(out: &mut String, resource: &str, expires: u64) {
    out.push_str("{\"Statement\":[{\"Resource\":");
    write_json_string(out, resource);
    let _ = write!(
        out,
        ",\"Condition\":{{\"DateLessThan\":{{\"AWS:EpochTime\":{expires}}}}}}}]}}"
    );
}

fn check_resource(resource: &str) -> Result<(), SigningError> {
    if resource.len() > MAX_URL_LEN {
        return Err(SigningError::InvalidUrl(alloc::format!(
            "the policy resource is longer than {MAX_URL_LEN} bytes"
        )));
    }
    Ok(())
}

/// Writes `s` as a JSON string literal with Python's `json.dumps(ensure_ascii=True)` escaping.
pub(crate) fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    write_json_string_body(out, s);
    out.push('"');
}

fn write_json_string_body(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let plain = matches!(c, ' '..='~') && c != '"' && c != '\\';
        if plain {
            continue;
        }
        out.push_str(s.get(start..i).unwrap_or_default());
        start = i + c.len_utf8();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units).iter() {
                    out.push_str("\\u");
                    for shift in [12u16, 8, 4, 0] {
                        let nibble = usize::from((unit >> shift) & 0xf);
                        out.push(char::from(HEX[nibble]));
                    }
                }
            }
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// Validates an IPv4 address or CIDR block and returns it in policy form (`/32` appended to a
/// bare address). Strict: four decimal octets 0–255 without leading zeros, prefix 0–32.
pub(crate) fn normalize_ipv4_cidr(ip: &str) -> Result<String, SigningError> {
    let ipv6_like = ip.contains(':')
        && ip
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.' | b'/'));
    if ipv6_like {
        return Err(SigningError::Ipv6NotSupported);
    }
    let bad = || {
        SigningError::InvalidIpAddress(String::from(
            "expected an IPv4 address or CIDR block such as 192.0.2.0/24",
        ))
    };
    if ip.len() > 18 {
        return Err(bad());
    }
    let (addr, prefix) = match ip.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (ip, None),
    };
    let mut octets = 0;
    for part in addr.split('.') {
        octets += 1;
        if !decimal_in_range(part, 255) {
            return Err(bad());
        }
    }
    if octets != 4 {
        return Err(bad());
    }
    match prefix {
        Some(p) if !decimal_in_range(p, 32) => Err(bad()),
        Some(_) => Ok(String::from(ip)),
        None => Ok(alloc::format!("{ip}/32")),
    }
}

/// `s` is 1–3 ASCII digits without a leading zero (except "0") and at most `max`.
fn decimal_in_range(s: &str, max: u32) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 3 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if b.len() > 1 && b.first() == Some(&b'0') {
        return false;
    }
    s.parse::<u32>().is_ok_and(|v| v <= max)
}

/// CloudFront resource matching: `*` matches any run of characters (also none), `?` exactly one
/// character, everything else itself. Linear space, O(len(pattern) · len(text)) worst case.
pub(crate) fn resource_matches(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let width = |i: usize| -> usize {
        match t.get(i) {
            Some(&b) if b >= 0xf0 => 4,
            Some(&b) if b >= 0xe0 => 3,
            Some(&b) if b >= 0xc0 => 2,
            _ => 1,
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some(b'?') => {
                pi += 1;
                ti += width(ti);
                continue;
            }
            Some(&c) if t.get(ti) == Some(&c) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                let next = st + width(st);
                star = Some((sp, next));
                pi = sp + 1;
                ti = next;
            }
            None => return false,
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len() && ti == t.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escaping_matches_python_ensure_ascii() {
        let mut out = String::new();
        write_json_string(&mut out, "a\"b\\c/d\n\t\u{1}\u{7f}é€😀~ ");
        assert_eq!(
            out,
            r#""a\"b\\c/d\n\t\u0001\u007f\u00e9\u20ac\ud83d\ude00~ ""#
        );
    }

    #[test]
    fn condition_order_is_botocores() {
        let p = CustomPolicy::new("https://x/*", 20)
            .starting_at(10)
            .from_ip("10.0.0.1")
            .unwrap();
        assert_eq!(
            p.to_json(),
            r#"{"Statement":[{"Resource":"https://x/*","Condition":{"DateLessThan":{"AWS:EpochTime":20},"IpAddress":{"AWS:SourceIp":"10.0.0.1/32"},"DateGreaterThan":{"AWS:EpochTime":10}}}]}"#
        );
        let mut canned = String::new();
        write_canned_json(&mut canned, "https://x/a", 20);
        assert_eq!(canned, CustomPolicy::new("https://x/a", 20).to_json());
    }

    #[test]
    fn ip_validation() {
        assert_eq!(
            normalize_ipv4_cidr("192.168.0.1").unwrap(),
            "192.168.0.1/32"
        );
        assert_eq!(normalize_ipv4_cidr("0.0.0.0/0").unwrap(), "0.0.0.0/0");
        assert_eq!(normalize_ipv4_cidr("10.0.0.0/8").unwrap(), "10.0.0.0/8");
        assert_eq!(
            normalize_ipv4_cidr("::1"),
            Err(SigningError::Ipv6NotSupported)
        );
        assert_eq!(
            normalize_ipv4_cidr("2001:db8::/32"),
            Err(SigningError::Ipv6NotSupported)
        );
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.4/33",
            "01.2.3.4",
            "1.2.3.4/",
            "1.2.3.4/08",
            "a.b.c.d",
            "1.2.3.4 ",
            "192.168.0.0/24\",\"x",
            "1..2.3",
            "+1.2.3.4",
        ] {
            assert!(
                matches!(
                    normalize_ipv4_cidr(bad),
                    Err(SigningError::InvalidIpAddress(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn start_must_precede_expiry() {
        let p = CustomPolicy::new("r", 10).starting_at(10);
        assert_eq!(
            p.validate(),
            Err(SigningError::StartNotBeforeExpiry {
                starts: 10,
                expires: 10
            })
        );
        assert!(CustomPolicy::new("r", 10).starting_at(9).validate().is_ok());
    }

    #[test]
    fn builder_chooses_canned_or_custom() {
        let u = "https://d/a.jpg";
        assert_eq!(
            PolicyBuilder::new().build_for(u),
            Err(SigningError::MissingExpiry)
        );
        assert_eq!(
            PolicyBuilder::new().expires_at(5).build_for(u).unwrap(),
            Policy::Canned { expires: 5 }
        );
        assert!(matches!(
            PolicyBuilder::new().expires_at(5).starts_at(1).build_for(u),
            Ok(Policy::Custom(_))
        ));
        assert!(matches!(
            PolicyBuilder::new()
                .expires_at(5)
                .ip("1.2.3.4")
                .build_for(u),
            Ok(Policy::Custom(_))
        ));
        assert!(matches!(
            PolicyBuilder::new()
                .expires_at(5)
                .resource("https://d/*")
                .build_for(u),
            Ok(Policy::Custom(_))
        ));
        // A `*` in the URL being signed stays literal under a canned policy (botocore).
        assert_eq!(
            PolicyBuilder::new().expires_at(5).build_for("https://d/*"),
            Ok(Policy::Canned { expires: 5 })
        );
        // Wildcards only from an explicit resource (`--resource`, cookies, `policy`).
        assert!(matches!(
            PolicyBuilder::new()
                .expires_at(5)
                .resource("https://d/*")
                .build_for("https://d/*"),
            Ok(Policy::Custom(_))
        ));
        assert!(matches!(
            PolicyBuilder::new()
                .expires_at(5)
                .build_for_resource("https://d/*"),
            Ok(Policy::Custom(_))
        ));
        assert_eq!(
            PolicyBuilder::new().expires_at(5).build_for_resource(u),
            Ok(Policy::Canned { expires: 5 })
        );
        assert_eq!(
            PolicyBuilder::new().expires_at(5).starts_at(6).build_for(u),
            Err(SigningError::StartNotBeforeExpiry {
                starts: 6,
                expires: 5
            })
        );
    }

    #[test]
    fn wildcard_matching() {
        assert!(resource_matches(
            "https://d/images/*",
            "https://d/images/a.jpg"
        ));
        assert!(resource_matches("https://d/*.jpg", "https://d/x/y.jpg"));
        assert!(resource_matches("https://d/?.jpg", "https://d/é.jpg"));
        assert!(resource_matches("*", ""));
        assert!(resource_matches("a*b*c", "aXbYbZc"));
        assert!(!resource_matches(
            "https://d/images/*",
            "https://d/video/a.jpg"
        ));
        assert!(!resource_matches("https://d/a", "https://d/a?x=1"));
        assert!(!resource_matches("a?", "a"));
        assert!(resource_matches("https://d/a?x=1", "https://d/a?x=1"));
    }
}
