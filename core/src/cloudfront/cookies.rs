//! Signed cookies and their `Set-Cookie` rendering.
//!
//! Follows AWS's "Set signed cookies using a canned policy" / "... custom policy" pages:
//! `CloudFront-Expires` (canned) or `CloudFront-Policy` (custom), `CloudFront-Signature`,
//! `CloudFront-Key-Pair-Id`, and optionally `CloudFront-Hash-Algorithm=SHA256`, one
//! `Set-Cookie` header each: `NAME=VALUE; Domain=…; Path=…; Secure; HttpOnly`.

use alloc::string::String;
use alloc::vec::Vec;

use super::error::SigningError;

/// Largest `name=value` length (bytes) of one signed cookie; browsers keep at most 4096.
pub const MAX_COOKIE_LEN: usize = 4096;

/// The signed cookies for one policy, as `(name, value)` pairs in AWS's documented order.
/// Values are ASCII (digits, CloudFront base64, the key pair id) and need no quoting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCookies {
    pub(crate) cookies: Vec<(String, String)>,
}

/// Attributes for [`SignedCookies::set_cookie_headers`].
///
/// `Default`: no `Domain`, `Path=/`, `Secure`, `HttpOnly`. AWS recommends leaving out
/// `Expires` / `Max-Age` so the browser drops the cookies when it closes, so there is no
/// option for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieAttributes {
    /// `Domain=` (e.g. `d111111abcdef8.cloudfront.net` or your alternate domain), or none.
    pub domain: Option<String>,
    /// `Path=` (e.g. `/` or `/images/`), or none.
    pub path: Option<String>,
    /// Adds `Secure` (HTTPS only).
    pub secure: bool,
    /// Adds `HttpOnly` (invisible to page scripts).
    pub http_only: bool,
}

impl Default for CookieAttributes {
    fn default() -> Self {
        CookieAttributes {
            domain: None,
            path: Some(String::from("/")),
            secure: true,
            http_only: true,
        }
    }
}

impl SignedCookies {
    /// The cookies as `(name, value)` pairs: `CloudFront-Expires` or `CloudFront-Policy`,
    /// `CloudFront-Signature`, `CloudFront-Key-Pair-Id`, then `CloudFront-Hash-Algorithm` in
    /// SHA-256 mode.
    pub fn cookies(&self) -> &[(String, String)] {
        &self.cookies
    }

    /// The value of the cookie called `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// One `Set-Cookie` header value per cookie (without the `Set-Cookie: ` prefix), e.g.
    /// `CloudFront-Signature=…; Domain=example.org; Path=/; Secure; HttpOnly`.
    ///
    /// Deviation from the agreed API sketch: returns a `Result`, because the attributes are
    /// checked.
    ///
    /// # Errors
    /// [`SigningError::InvalidCookieAttribute`] when `domain` or `path` is empty or contains
    /// `;`, `,`, whitespace, control or non-ASCII characters.
    pub fn set_cookie_headers(
        &self,
        attrs: &CookieAttributes,
    ) -> Result<Vec<String>, SigningError> {
        let mut suffix = String::new();
        if let Some(domain) = &attrs.domain {
            check_attribute("Domain", domain)?;
            suffix.push_str("; Domain=");
            suffix.push_str(domain);
        }
        if let Some(path) = &attrs.path {
            check_attribute("Path", path)?;
            suffix.push_str("; Path=");
            suffix.push_str(path);
        }
        if attrs.secure {
            suffix.push_str("; Secure");
        }
        if attrs.http_only {
            suffix.push_str("; HttpOnly");
        }
        Ok(self
            .cookies
            .iter()
            .map(|(name, value)| {
                let mut h = String::with_capacity(name.len() + value.len() + 1 + suffix.len());
                h.push_str(name);
                h.push('=');
                h.push_str(value);
                h.push_str(&suffix);
                h
            })
            .collect())
    }
}

fn check_attribute(what: &str, value: &str) -> Result<(), SigningError> {
    let ok = !value.is_empty()
        && value.len() <= 1024
        && value
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',');
    if ok {
        Ok(())
    } else {
        Err(SigningError::InvalidCookieAttribute(alloc::format!(
            "{what} must be non-empty printable ASCII without ';' or ','"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SignedCookies {
        SignedCookies {
            cookies: alloc::vec![
                (
                    String::from("CloudFront-Expires"),
                    String::from("1426500000")
                ),
                (
                    String::from("CloudFront-Signature"),
                    String::from("yXrS~CA8_")
                ),
                (
                    String::from("CloudFront-Key-Pair-Id"),
                    String::from("K2JCJMDEHXQW5F")
                ),
            ],
        }
    }

    #[test]
    fn renders_like_the_aws_example() {
        let attrs = CookieAttributes {
            domain: Some(String::from("d111111abcdef8.cloudfront.net")),
            path: Some(String::from("/images/*")),
            ..CookieAttributes::default()
        };
        let h = sample().set_cookie_headers(&attrs).unwrap();
        assert_eq!(
            h[0],
            "CloudFront-Expires=1426500000; Domain=d111111abcdef8.cloudfront.net; Path=/images/*; Secure; HttpOnly"
        );
        assert_eq!(h.len(), 3);
        let bare = CookieAttributes {
            domain: None,
            path: None,
            secure: false,
            http_only: false,
        };
        assert_eq!(
            sample().set_cookie_headers(&bare).unwrap()[2],
            "CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F"
        );
        assert_eq!(sample().get("CloudFront-Signature"), Some("yXrS~CA8_"));
    }

    #[test]
    fn refuses_header_injection() {
        for bad in ["a;b", "a b", "", "a\r\nSet-Cookie: x=y", "é", "a,b"] {
            let attrs = CookieAttributes {
                domain: Some(String::from(bad)),
                ..CookieAttributes::default()
            };
            assert!(
                matches!(
                    sample().set_cookie_headers(&attrs),
                    Err(SigningError::InvalidCookieAttribute(_))
                ),
                "{bad:?}"
            );
        }
    }
}
