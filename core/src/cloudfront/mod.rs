//! CloudFront signed URLs and signed cookies (canned and custom policies).
