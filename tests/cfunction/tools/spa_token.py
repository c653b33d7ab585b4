#!/usr/bin/env python3
"""Python stdlib reimplementation of magic-pocket's SPA token (pocket.django.spa_auth), used by
the CloudFront Function harness while `pocket-sign token issue` is not available.

token = f"{user_id}:{expiry}:{hex(HMAC-SHA256(key=bytes.fromhex(secret_hex), msg=f'{user_id}:{expiry}'))}"

  spa_token.py issue --secret-hex HEX --user-id ID (--expiry UNIX | --max-age SECONDS)
"""
import argparse
import hashlib
import hmac
import sys
import time


def sign(secret_hex: str, user_id: str, expiry: int) -> str:
    if ":" in user_id:
        raise ValueError("user_id must not contain ':'")
    key = bytes.fromhex(secret_hex)
    msg = f"{user_id}:{expiry}".encode()
    return f"{user_id}:{expiry}:{hmac.new(key, msg, hashlib.sha256).hexdigest()}"


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    issue = sub.add_parser("issue")
    issue.add_argument("--secret-hex", required=True)
    issue.add_argument("--user-id", required=True)
    g = issue.add_mutually_exclusive_group(required=True)
    g.add_argument("--expiry", type=int)
    g.add_argument("--max-age", type=int)
    a = ap.parse_args()
    expiry = a.expiry if a.expiry is not None else int(time.time()) + a.max_age
    print(sign(a.secret_hex, a.user_id, expiry))
    return 0


if __name__ == "__main__":
    sys.exit(main())
