"""pocket_sign.fastapi.AlbCognitoAuth: a FastAPI app behind simulated ALB headers (the
FastAPI-behind-ALB layout: ECS Fargate, nginx pass-through).

Access tokens come from moto's Cognito server; x-amzn-oidc-data is signed here with ES256 the
way an ALB signs it (padded base64url segments, raw r||s signature), and its public key is
served by a local HTTP server standing in for public-keys.auth.elb.{region}.amazonaws.com.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
import time
import uuid

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from pocket_sign import errors
from pocket_sign.fastapi import AlbCognitoAuth

ALB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/front-alb/50dc6c495c0c9188"
OTHER_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/other-alb/1111111111111111"
KID = str(uuid.uuid4())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()  # ALB keeps the '=' padding


class AlbKeys:
    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.requests = []
        keys = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                keys.requests.append(self.path)
                if self.path == f"/{KID}":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(keys.pem)))
                    self.end_headers()
                    self.wfile.write(keys.pem)
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def data(self, claims, *, signer=ALB_ARN, client, kid=KID, exp=None, key=None, issuer="https://issuer.example"):
        exp = exp if exp is not None else int(time.time()) + 120
        header = {"alg": "ES256", "kid": kid, "signer": signer, "iss": issuer, "client": client, "exp": exp}
        body = dict(claims, exp=exp, iss=issuer)
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
        der = (key or self.key).sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return f"{signing_input}.{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


@pytest.fixture(scope="module")
def alb_keys():
    keys = AlbKeys()
    yield keys
    keys.server.shutdown()


@pytest.fixture(scope="module")
def setup(cognito, alb_keys):
    pool = cognito.pools["main"]
    auth = AlbCognitoAuth(
        user_pool_id=pool.id,
        client_id=pool.client_id,
        region="ap-northeast-1",
        alb_arn=ALB_ARN,
        jwks_uri=pool.jwks_uri,
        alb_keys_url=alb_keys.url,
    )
    app = FastAPI()

    @app.get("/me")
    def me(user: dict = Depends(auth)):
        return {"sub": user["sub"], "email": user["email"], "username": user["username"], "data": user["data"]}

    token_only = AlbCognitoAuth(user_pool_id=pool.id, client_id=pool.client_id, jwks_uri=pool.jwks_uri)

    @app.get("/token-only")
    def token_only_route(user: dict = Depends(token_only)):
        return {"sub": user["sub"], "data": user["data"]}

    return pool, TestClient(app)


def alice(pool, cognito):
    token = pool.tokens["alice@example.com"]["access"]
    sub = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==="))["sub"]
    return token, sub


def test_valid_alb_request(setup, cognito, alb_keys):
    pool, client = setup
    token, sub = alice(pool, cognito)
    data = alb_keys.data({"sub": sub, "email": "alice@example.com"}, client=pool.client_id)
    r = client.get("/me", headers={"x-amzn-oidc-accesstoken": token, "x-amzn-oidc-identity": sub, "x-amzn-oidc-data": data})
    assert r.status_code == 200, r.text
    assert r.json()["sub"] == sub and r.json()["email"] == "alice@example.com"
    assert r.json()["data"]["sub"] == sub
    assert alb_keys.requests.count(f"/{KID}") == 1
    # the key is cached: a second request fetches nothing
    client.get("/me", headers={"x-amzn-oidc-accesstoken": token, "x-amzn-oidc-data": data})
    assert alb_keys.requests.count(f"/{KID}") == 1


def headers_for(pool, cognito, alb_keys, **data_kw):
    token, sub = alice(pool, cognito)
    claims = data_kw.pop("claims", {"sub": sub, "email": "alice@example.com"})
    data_kw.setdefault("client", pool.client_id)
    return {"x-amzn-oidc-accesstoken": token, "x-amzn-oidc-data": alb_keys.data(claims, **data_kw)}


@pytest.mark.parametrize(
    "case",
    ["no-token", "bad-token", "id-token", "no-data", "other-signer", "other-client", "expired", "tampered",
     "wrong-key", "other-sub", "identity-mismatch", "unknown-kid"],
)
def test_rejections_are_401(setup, cognito, alb_keys, case):
    pool, client = setup
    h = headers_for(pool, cognito, alb_keys)
    if case == "no-token":
        del h["x-amzn-oidc-accesstoken"]
    elif case == "bad-token":
        h["x-amzn-oidc-accesstoken"] = "a.b.c"
    elif case == "id-token":
        h["x-amzn-oidc-accesstoken"] = pool.tokens["alice@example.com"]["id"]
    elif case == "no-data":
        del h["x-amzn-oidc-data"]
    elif case == "other-signer":
        h = headers_for(pool, cognito, alb_keys, signer=OTHER_ARN)
    elif case == "other-client":
        h = headers_for(pool, cognito, alb_keys, client="someone-else")
    elif case == "expired":
        h = headers_for(pool, cognito, alb_keys, exp=int(time.time()) - 60)
    elif case == "tampered":
        head, payload, sig = h["x-amzn-oidc-data"].split(".")
        body = json.loads(base64.urlsafe_b64decode(payload))
        body["email"] = "mallory@example.com"
        h["x-amzn-oidc-data"] = f"{head}.{b64(json.dumps(body).encode())}.{sig}"
    elif case == "wrong-key":
        h = headers_for(pool, cognito, alb_keys, key=ec.generate_private_key(ec.SECP256R1()))
    elif case == "other-sub":
        h = headers_for(pool, cognito, alb_keys, claims={"sub": str(uuid.uuid4())})
    elif case == "identity-mismatch":
        h["x-amzn-oidc-identity"] = str(uuid.uuid4())
    elif case == "unknown-kid":
        h = headers_for(pool, cognito, alb_keys, kid=str(uuid.uuid4()))
    r = client.get("/me", headers=h)
    assert r.status_code == 401, (case, r.text)
    assert r.headers["www-authenticate"] == "Bearer"


def test_token_only_mode_ignores_data(setup, cognito):
    pool, client = setup
    token, sub = alice(pool, cognito)
    r = client.get("/token-only", headers={"x-amzn-oidc-accesstoken": token, "x-amzn-oidc-data": "garbage"})
    assert r.status_code == 200 and r.json() == {"sub": sub, "data": None}
    assert client.get("/token-only").status_code == 401


def test_env_configuration(monkeypatch, cognito):
    pool = cognito.pools["main"]
    monkeypatch.setenv("COGNITO_USER_POOL_ID", pool.id)
    monkeypatch.setenv("COGNITO_APP_CLIENT_ID", pool.client_id)
    monkeypatch.setenv("COGNITO_REGION", "ap-northeast-1")
    auth = AlbCognitoAuth(jwks_uri=pool.jwks_uri)
    user = auth.verify_headers({"x-amzn-oidc-accesstoken": pool.tokens["bob@example.com"]["access"]})
    assert user["claims"]["client_id"] == pool.client_id
    with pytest.raises(errors.CognitoJwtInvalidTokenUseError):
        auth.verify_headers({"x-amzn-oidc-accesstoken": pool.tokens["bob@example.com"]["id"]})
