//! Encodings shared by several modules (CloudFront base64, strict base64url, hex).
//!
//! CloudFront base64 is standard base64 (RFC 4648 §4, with `=` padding) with three characters
//! replaced so the value is safe in a query string or cookie without percent-encoding:
//! `+` → `-`, `=` → `_`, `/` → `~`. This is what botocore's `CloudFrontSigner._url_b64encode`
//! produces and what AWS's "Create a signed URL using a canned policy" page describes.

use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine as _;

/// An error decoding one of the encodings of this module.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    /// The input is not CloudFront base64 (alphabet `A-Z a-z 0-9 - ~`, padding `_`, length a
    /// multiple of 4).
    #[error("the value is not valid CloudFront base64")]
    InvalidCloudFrontBase64,
}

impl EncodingError {
    /// The stable machine-readable kind: the variant name (`"InvalidCloudFrontBase64"`), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(
            self,
            EncodingError {
                InvalidCloudFrontBase64
            }
        )
    }
}

/// Maps one byte of standard base64 output to the CloudFront alphabet.
#[inline]
const fn to_cloudfront(b: u8) -> u8 {
    match b {
        b'+' => b'-',
        b'=' => b'_',
        b'/' => b'~',
        other => other,
    }
}

/// Appends the CloudFront base64 encoding of `data` to `out` (no allocation besides `out`
/// growing). Output length is `4 * ceil(len / 3)` ASCII characters.
pub fn cloudfront_b64_encode_into(data: &[u8], out: &mut String) {
    // 48 input bytes → 64 output characters per round, on the stack.
    const IN: usize = 48 * 4;
    const OUT: usize = 64 * 4;
    out.reserve(data.len().div_ceil(3).saturating_mul(4));
    let mut buf = [0u8; OUT];
    for chunk in data.chunks(IN) {
        // Only the last chunk can be shorter than IN; a full chunk is a multiple of 3 so no
        // padding appears in the middle of the output.
        let written = match base64::engine::general_purpose::STANDARD.encode_slice(chunk, &mut buf)
        {
            Ok(n) => n,
            Err(_) => return, // unreachable: OUT is large enough for IN input bytes
        };
        let part = &mut buf[..written];
        for b in part.iter_mut() {
            *b = to_cloudfront(*b);
        }
        if let Ok(s) = core::str::from_utf8(part) {
            out.push_str(s);
        }
    }
}

/// Encodes `data` as CloudFront base64 (`+`→`-`, `=`→`_`, `/`→`~`), as botocore's
/// `CloudFrontSigner._url_b64encode` does. Infallible.
pub fn cloudfront_b64_encode(data: &[u8]) -> String {
    let mut out = String::new();
    cloudfront_b64_encode_into(data, &mut out);
    out
}

/// Decodes CloudFront base64 (the inverse of [`cloudfront_b64_encode`]).
///
/// Strict: the characters `+`, `/` and `=` of standard base64 are refused, padding (`_`) is
/// required, and non-canonical trailing bits are refused.
///
/// # Errors
/// [`EncodingError::InvalidCloudFrontBase64`] for any other input.
pub fn cloudfront_b64_decode(text: &str) -> Result<Vec<u8>, EncodingError> {
    let mut std_form = Vec::with_capacity(text.len());
    for &b in text.as_bytes() {
        let mapped = match b {
            b'-' => b'+',
            b'_' => b'=',
            b'~' => b'/',
            b'+' | b'/' | b'=' => return Err(EncodingError::InvalidCloudFrontBase64),
            other => other,
        };
        std_form.push(mapped);
    }
    base64::engine::general_purpose::STANDARD
        .decode(&std_form)
        .map_err(|_| EncodingError::InvalidCloudFrontBase64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_the_three_characters() {
        // 0xfb 0xff → "+/8=" in standard base64.
        assert_eq!(cloudfront_b64_encode(&[0xfb, 0xff]), "-~8_");
        assert_eq!(cloudfront_b64_decode("-~8_").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).cycle().take(700).collect();
        for n in 0..data.len() {
            let enc = cloudfront_b64_encode(&data[..n]);
            assert_eq!(enc.len(), n.div_ceil(3) * 4);
            assert!(!enc.contains(['+', '/', '=']));
            let std = base64::engine::general_purpose::STANDARD.encode(&data[..n]);
            let expected: String = std
                .chars()
                .map(|c| match c {
                    '+' => '-',
                    '=' => '_',
                    '/' => '~',
                    c => c,
                })
                .collect();
            assert_eq!(enc, expected);
            assert_eq!(cloudfront_b64_decode(&enc).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn decode_rejects_standard_alphabet_and_garbage() {
        for bad in ["+~8_", "/w==", "-~8=", "abc", "ab!d", "-~9_"] {
            assert_eq!(
                cloudfront_b64_decode(bad),
                Err(EncodingError::InvalidCloudFrontBase64),
                "{bad}"
            );
        }
    }
}
