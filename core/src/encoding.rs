//! Encodings shared by several modules (CloudFront base64, strict base64url, hex).
