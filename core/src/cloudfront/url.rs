//! Signed URL assembly: input checks, `?` vs `&`, parameter order, length limit.
//!
//! Parameter order follows AWS's "Create a signed URL using a canned policy" / "custom policy"
//! pages and botocore: `Expires` (canned) or `Policy` (custom), then `Signature`,
//! `Key-Pair-Id`, then `Hash-Algorithm=SHA256` when SHA-256 is used.

use alloc::string::String;

use super::error::SigningError;

/// CloudFront's maximum request URL length in bytes; longer signed URLs are refused.
pub const MAX_URL_LEN: usize = 8192;

/// Query parameter names CloudFront reserves for signing.
const RESERVED: [&str; 5] = [
    "Expires",
    "Policy",
    "Signature",
    "Key-Pair-Id",
    "Hash-Algorithm",
];

/// Checks that `url` can carry a signature: non-empty, at most [`MAX_URL_LEN`] bytes, no ASCII
/// whitespace or control characters, no `#` fragment, and no CloudFront signing parameter
/// already in its query. Non-ASCII characters are accepted and signed as given (as botocore
/// does); CloudFront compares against the URL it receives, so percent-encode them if the
/// client will.
pub(crate) fn check_url(url: &str) -> Result<(), SigningError> {
    if url.is_empty() {
        return Err(SigningError::InvalidUrl(String::from("the URL is empty")));
    }
    if url.len() > MAX_URL_LEN {
        return Err(SigningError::UrlTooLong {
            len: url.len(),
            max: MAX_URL_LEN,
        });
    }
    if url.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(SigningError::InvalidUrl(String::from(
            "the URL contains whitespace or control characters (percent-encode them)",
        )));
    }
    if url.contains('#') {
        return Err(SigningError::InvalidUrl(String::from(
            "the URL has a #fragment, which is never sent to CloudFront",
        )));
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split('&') {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            if RESERVED.contains(&name) {
                return Err(SigningError::InvalidUrl(alloc::format!(
                    "the URL already has the CloudFront signing parameter {name}"
                )));
            }
        }
    }
    Ok(())
}

/// Appends `params` to `url` with `?` or `&` (botocore's `_build_url`: `&` when the URL
/// contains `?` anywhere) and enforces [`MAX_URL_LEN`].
pub(crate) fn join(url: &str, params: &str) -> Result<String, SigningError> {
    let len = url.len().saturating_add(1).saturating_add(params.len());
    if len > MAX_URL_LEN {
        return Err(SigningError::UrlTooLong {
            len,
            max: MAX_URL_LEN,
        });
    }
    let mut out = String::with_capacity(len);
    out.push_str(url);
    out.push(if url.contains('?') { '&' } else { '?' });
    out.push_str(params);
    Ok(out)
}

/// Checks a key pair id: 1–64 ASCII letters, digits, `-` and `_` (CloudFront public key ids
/// such as `K2JCJMDEHXQW5F`, legacy `APKA…` ids; `-` / `_` are URL-unreserved and cookie-safe,
/// and botocore's own tests use ids like `MY_KEY_ID`). It is put in URLs and cookies unescaped.
pub(crate) fn check_key_pair_id(id: &str) -> Result<(), SigningError> {
    if id.is_empty() || id.len() > 64 {
        return Err(SigningError::InvalidKeyPairId(String::from(
            "it must be 1 to 64 characters long",
        )));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(SigningError::InvalidKeyPairId(String::from(
            "only ASCII letters, digits, '-' and '_' are allowed",
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_follows_botocore() {
        assert_eq!(join("https://d/a", "X=1").unwrap(), "https://d/a?X=1");
        assert_eq!(
            join("https://d/a?b=2", "X=1").unwrap(),
            "https://d/a?b=2&X=1"
        );
        assert_eq!(join("https://d/a?", "X=1").unwrap(), "https://d/a?&X=1");
    }

    #[test]
    fn url_checks() {
        assert!(check_url("https://d/a?b=2&ExpiresX=3").is_ok());
        assert!(check_url("https://d/日本.jpg").is_ok());
        for bad in [
            "",
            "https://d/a b",
            "https://d/a\n",
            "https://d/a#x",
            "https://d/a?Signature=x",
            "https://d/a?x=1&Key-Pair-Id",
        ] {
            assert!(
                matches!(check_url(bad), Err(SigningError::InvalidUrl(_))),
                "{bad:?}"
            );
        }
        let long = alloc::format!("https://d/{}", "a".repeat(MAX_URL_LEN));
        assert!(matches!(
            check_url(&long),
            Err(SigningError::UrlTooLong { .. })
        ));
        let edge = "a".repeat(MAX_URL_LEN - 4);
        assert_eq!(join(&edge, "X=1").unwrap().len(), MAX_URL_LEN);
        assert!(matches!(
            join(&edge, "X=12"),
            Err(SigningError::UrlTooLong {
                len: 8193,
                max: 8192
            })
        ));
    }

    #[test]
    fn key_pair_ids() {
        assert!(check_key_pair_id("K2JCJMDEHXQW5F").is_ok());
        assert!(check_key_pair_id("APKAEIBAERJR2EXAMPLE").is_ok());
        assert!(check_key_pair_id("MY_KEY_ID").is_ok());
        assert!(check_key_pair_id("k-1").is_ok());
        for bad in [
            "",
            "K2&x=1",
            "K 2",
            "K2é",
            "K2;",
            "K2=",
            "K2%41",
            "K.2",
            "K2~",
            &"K".repeat(65),
        ] {
            assert!(
                matches!(
                    check_key_pair_id(bad),
                    Err(SigningError::InvalidKeyPairId(_))
                ),
                "{bad:?}"
            );
        }
    }
}
