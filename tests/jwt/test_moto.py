"""End to end against moto's Cognito: real user pool, app client, user, NEW_PASSWORD_REQUIRED
login, and the real access and id tokens verified by `pocket-sign jwt verify` with the JWKS
fetched over HTTP from moto."""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest

from conftest import run_cli

REGION = "eu-west-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto():
    port = _free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "moto_server")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("moto server did not start")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def login(moto):
    c = boto3.client("cognito-idp", region_name=REGION, endpoint_url=moto,
                     aws_access_key_id="testing", aws_secret_access_key="testing")
    pool = c.create_user_pool(PoolName="pocket-sign-test")["UserPool"]["Id"]
    client = c.create_user_pool_client(UserPoolId=pool, ClientName="app",
                                       ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                                          "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    c.admin_create_user(UserPoolId=pool, Username="alice@example.com", TemporaryPassword="Temp-Pass-1!",
                        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}])
    r = c.admin_initiate_auth(UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_NO_SRP_AUTH",
                              AuthParameters={"USERNAME": "alice@example.com", "PASSWORD": "Temp-Pass-1!"})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    r = c.admin_respond_to_auth_challenge(
        UserPoolId=pool, ClientId=client, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
        ChallengeResponses={"USERNAME": "alice@example.com", "NEW_PASSWORD": "New-Pass-123!"})
    ar = r["AuthenticationResult"]
    jwks_url = f"{moto}/{pool}/.well-known/jwks.json"
    return {"pool": pool, "client": client, "access": ar["AccessToken"], "id": ar["IdToken"],
            "jwks_url": jwks_url, "moto": moto}


def _claims(token):
    p = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


def test_moto_issuer_is_the_aws_issuer(login):
    # moto writes the real AWS issuer into its tokens, so only the JWKS URL needs overriding.
    assert _claims(login["access"])["iss"] == f"https://cognito-idp.{REGION}.amazonaws.com/{login['pool']}"


@pytest.mark.parametrize("use", ["access", "id"])
def test_moto_tokens_verify(login, use):
    r = run_cli("jwt", "verify", login[use], "--user-pool-id", login["pool"], "--client-id", login["client"],
                "--token-use", use, "--jwks-url", login["jwks_url"])
    assert r.code == 0, r
    claims = json.loads(r.out)
    assert claims["token_use"] == use
    assert claims == _claims(login[use])


def test_moto_wrong_token_use_and_client(login):
    r = run_cli("jwt", "verify", login["access"], "--user-pool-id", login["pool"], "--client-id", login["client"],
                "--token-use", "id", "--jwks-url", login["jwks_url"])
    assert r.code == 1 and "pocket-sign: InvalidTokenUse: " in r.err, r
    r = run_cli("jwt", "verify", login["id"], "--user-pool-id", login["pool"], "--client-id", "someone-else",
                "--token-use", "id", "--jwks-url", login["jwks_url"])
    assert r.code == 1 and "pocket-sign: InvalidClientId: " in r.err, r


def test_moto_other_pool_rejected(login):
    # Right keys, wrong pool: the issuer check fails (and nothing is fetched for it).
    r = run_cli("jwt", "verify", login["access"], "--user-pool-id", "eu-west-1_Other", "--client-id",
                login["client"], "--token-use", "access", "--jwks-url", login["jwks_url"])
    assert r.code == 1 and "pocket-sign: InvalidIssuer: " in r.err, r


def test_moto_tampered(login):
    h, p, s = login["access"].split(".")
    c = _claims(login["access"])
    c["username"] = "admin"
    p2 = base64.urlsafe_b64encode(json.dumps(c).encode()).decode().rstrip("=")
    r = run_cli("jwt", "verify", f"{h}.{p2}.{s}", "--user-pool-id", login["pool"], "--client-id", login["client"],
                "--token-use", "access", "--jwks-url", login["jwks_url"])
    assert r.code == 1 and "pocket-sign: InvalidSignature: " in r.err, r


def test_moto_decode_is_labelled_unverified(login):
    r = run_cli("jwt", "decode", login["id"])
    assert r.code == 0, r
    out = json.loads(r.out)
    assert "UNVERIFIED" in out and out["claims"]["token_use"] == "id" and out["header"]["alg"] == "RS256"
    assert "UNVERIFIED" in r.err


def test_moto_tokens_differential(login):
    """aws-jwt-verify accepts the same moto tokens with moto's JWKS, and rejects the same misuse."""
    from test_differential import node_decisions
    jwks_doc = json.loads(urllib.request.urlopen(login["jwks_url"], timeout=10).read())
    cases = [("access", login["access"], "access"), ("id", login["id"], "id"),
             ("access as id", login["access"], "id"), ("id as access", login["id"], "access")]
    theirs = node_decisions(jwks_doc, cases, pool=login["pool"], client=login["client"])
    for (name, token, use), t in zip(cases, theirs):
        r = run_cli("jwt", "verify", token, "--user-pool-id", login["pool"], "--client-id", login["client"],
                    "--token-use", use, "--jwks-url", login["jwks_url"])
        assert (r.code == 0) == t["ok"], (name, r, t)
    assert [t["ok"] for t in theirs] == [True, True, False, False]
