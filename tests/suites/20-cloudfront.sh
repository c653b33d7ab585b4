#!/usr/bin/env bash
# CloudFront signing against real peers: botocore's CloudFrontSigner (byte-for-byte signed
# URLs, cookies and policies for 240 seeded cases) and `openssl dgst -verify` (RSA and ECDSA
# P-256, SHA-1 and SHA-256), plus the CLI's error cases and the Rust conformance vectors.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
command -v openssl >/dev/null || apt_install openssl
pip_install botocore cryptography pytest
build_cli
cargo test -q --workspace --all-features --test cloudfront_vectors --test cloudfront_botocore
cd tests/cloudfront
python -m pytest -q -p no:cacheprovider .
