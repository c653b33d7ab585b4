"""pocket_sign.cognito against tokens issued by moto's Cognito server (a real peer over HTTP)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time

import pytest

from pocket_sign import errors
from pocket_sign.cognito import ANY_CLIENT_ID, CognitoJwtVerifier, secret_hash, verify_cognito_jwt


def verifier_for(pool, **kwargs):
    kwargs.setdefault("jwks_uri", pool.jwks_uri)
    client_id = kwargs.pop("client_id", pool.client_id)
    token_use = kwargs.pop("token_use", "access")
    return CognitoJwtVerifier(pool.id, client_id, token_use, **kwargs)


@pytest.fixture(scope="module")
def main(cognito):
    return cognito.pools["main"]


@pytest.fixture(scope="module")
def other(cognito):
    return cognito.pools["other"]


def test_access_token_from_moto_verifies(main):
    claims = verifier_for(main).verify(main.tokens["alice@example.com"]["access"])
    assert claims["token_use"] == "access"
    assert claims["client_id"] == main.client_id
    assert claims["iss"] == main.issuer
    assert claims["scope"] == "aws.cognito.signin.user.admin"
    assert claims["cognito:groups"] == ["admins"]
    assert isinstance(claims["exp"], int)


def test_id_token_from_moto_verifies(main):
    claims = verifier_for(main, token_use="id").verify(main.tokens["alice@example.com"]["id"])
    assert claims["aud"] == main.client_id
    assert claims["email"] == "alice@example.com"
    assert claims["custom:tenant_id"] == "acme"


def test_token_use_none_accepts_both(main):
    v = verifier_for(main, token_use=None)
    assert v.verify(main.tokens["bob@example.com"]["access"])["token_use"] == "access"
    assert v.verify(main.tokens["bob@example.com"]["id"])["token_use"] == "id"


def test_wrong_token_use(main):
    with pytest.raises(errors.CognitoJwtInvalidTokenUseError) as info:
        verifier_for(main, token_use="access").verify(main.tokens["alice@example.com"]["id"])
    assert isinstance(info.value, errors.JwtInvalidClaimError)
    assert isinstance(info.value, errors.JwtBaseError) and isinstance(info.value, errors.PocketSignError)
    assert info.value.kind == "InvalidTokenUse"
    assert type(info.value).__name__ == "CognitoJwtInvalidTokenUseError"
    with pytest.raises(errors.CognitoJwtInvalidTokenUseError):
        verifier_for(main, token_use="id").verify(main.tokens["alice@example.com"]["access"])


def test_client_id_checks(main):
    token = main.tokens["alice@example.com"]["access"]
    with pytest.raises(errors.CognitoJwtInvalidClientIdError):
        verifier_for(main, client_id="someone-else").verify(token)
    assert verifier_for(main, client_id=["x", main.client_id]).verify(token)["sub"]
    assert verifier_for(main, client_id=ANY_CLIENT_ID).verify(token)["sub"]
    with pytest.raises(errors.CognitoJwtInvalidClientIdError):
        verifier_for(main, client_id="someone-else", token_use="id").verify(main.tokens["alice@example.com"]["id"])


def test_groups(main):
    v = verifier_for(main, groups=["admins", "ops"])
    assert v.verify(main.tokens["alice@example.com"]["access"])["sub"]
    with pytest.raises(errors.CognitoJwtInvalidGroupError):
        v.verify(main.tokens["bob@example.com"]["access"])


def test_scope(main):
    token = main.tokens["alice@example.com"]["access"]
    assert verifier_for(main, scope="aws.cognito.signin.user.admin").verify(token)
    with pytest.raises(errors.JwtInvalidScopeError):
        verifier_for(main, scope=["orders/read"]).verify(token)


def test_other_pool_token_rejected(main, other):
    with pytest.raises(errors.JwtInvalidIssuerError):
        verifier_for(main).verify(other.tokens["carol@example.com"]["access"])


def test_multiple_pools(main, other):
    v = CognitoJwtVerifier.create(
        [
            {"user_pool_id": main.id, "client_id": main.client_id, "token_use": "access", "jwks_uri": main.jwks_uri},
            {"user_pool_id": other.id, "client_id": other.client_id, "token_use": "id", "jwks_uri": other.jwks_uri},
        ]
    )
    assert v.verify(main.tokens["alice@example.com"]["access"])["iss"] == main.issuer
    assert v.verify(other.tokens["carol@example.com"]["id"])["iss"] == other.issuer
    with pytest.raises(errors.CognitoJwtInvalidTokenUseError):
        v.verify(other.tokens["carol@example.com"]["access"])
    single = CognitoJwtVerifier.create(
        {"user_pool_id": main.id, "client_id": main.client_id, "token_use": "access"}, jwks_uri=main.jwks_uri
    )
    assert single.verify(main.tokens["bob@example.com"]["access"])["sub"]


def test_tampered_and_malformed(main):
    v = verifier_for(main)
    token = main.tokens["alice@example.com"]["access"]
    h, p, s = token.split(".")
    payload = base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).replace(b"admins", b"admin2")
    forged = f"{h}.{base64.urlsafe_b64encode(payload).rstrip(b'=').decode()}.{s}"
    with pytest.raises(errors.JwtInvalidSignatureError):
        v.verify(forged)
    for bad in ["", "abc", "a.b.c", token + ".x", "x" * 20000]:
        with pytest.raises(errors.JwtParseError) as info:
            v.verify(bad)
        assert isinstance(info.value, ValueError)


def test_minted_expired_not_before_unknown_kid(cognito, main):
    v = verifier_for(main)
    now = int(time.time())
    ok = cognito.mint(cognito.access_claims(main))
    assert v.verify(ok)["username"] == "minted"
    with pytest.raises(errors.JwtExpiredError):
        v.verify(cognito.mint(cognito.access_claims(main, exp=now - 30)))
    assert verifier_for(main, grace_seconds=60).verify(cognito.mint(cognito.access_claims(main, exp=now - 30)))
    with pytest.raises(errors.JwtNotBeforeError):
        v.verify(cognito.mint(cognito.access_claims(main, nbf=now + 300)))
    # Unknown kid: KidNotFoundInJwks, or WaitPeriodNotYetEnded while the refetch cool-down runs
    # (the JWKS was fetched moments ago), as aws-jwt-verify reports it.
    with pytest.raises((errors.KidNotFoundInJwksError, errors.WaitPeriodNotYetEndedJwkError)):
        v.verify(cognito.mint(cognito.access_claims(main), kid="not-in-jwks"))
    with pytest.raises(errors.KidNotFoundInJwksError):
        verifier_for(main).verify(cognito.mint(cognito.access_claims(main), kid="not-in-jwks-either"))
    with pytest.raises(errors.JwtInvalidIssuerError):
        v.verify(cognito.mint(cognito.access_claims(main, iss="https://evil.example/pool")))
    with pytest.raises(errors.JwtBaseError):
        v.verify(cognito.mint(cognito.access_claims(main), alg="HS256"))


def test_custom_jwt_check(main):
    seen = {}

    def check(*, header, payload, jwk):
        seen.update(header=header, payload=payload, jwk=jwk)
        if payload.get("username") == "blocked":
            raise PermissionError("blocked user")

    v = verifier_for(main, custom_jwt_check=check)
    claims = v.verify(main.tokens["alice@example.com"]["access"])
    assert seen["header"]["kid"] == "dummy" and seen["header"]["alg"] == "RS256"
    assert seen["payload"] == claims
    assert seen["jwk"] is None


def test_custom_jwt_check_can_reject(cognito, main):
    def check(*, header, payload, jwk):
        raise PermissionError("nope")

    with pytest.raises(PermissionError):
        verifier_for(main, custom_jwt_check=check).verify(main.tokens["alice@example.com"]["access"])


def test_hydrate_and_verify_cached(main):
    v = verifier_for(main)
    with pytest.raises(errors.JwksNotAvailableInCacheError):
        v.verify_cached(main.tokens["alice@example.com"]["access"])
    v.hydrate()
    assert v.verify_cached(main.tokens["alice@example.com"]["access"])["sub"]


def test_fetch_error(main):
    v = verifier_for(main, jwks_uri="http://127.0.0.1:9/nothing/jwks.json")
    with pytest.raises(errors.FetchError):
        v.verify(main.tokens["alice@example.com"]["access"])


def test_parameter_validation():
    with pytest.raises(errors.ParameterValidationError) as info:
        CognitoJwtVerifier("", "c", "access")
    assert isinstance(info.value, ValueError)
    with pytest.raises(ValueError):
        CognitoJwtVerifier("ap-northeast-1_x", "c", "refresh")
    with pytest.raises(ValueError):
        CognitoJwtVerifier("ap-northeast-1_x", "c", "access", grace_seconds=-1)
    with pytest.raises(ValueError):
        CognitoJwtVerifier.create([])


@pytest.mark.parametrize("client_id", [None, "", [], [""], ["ok", ""], ()])
def test_client_id_is_required(main, client_id):
    """A missing or empty client id is a configuration error at construction, never a
    silently skipped check (aws-jwt-verify requires clientId; only an explicit choice disables)."""
    with pytest.raises(errors.ParameterValidationError) as info:
        verifier_for(main, client_id=client_id)
    assert "client" in str(info.value)
    with pytest.raises(errors.ParameterValidationError):
        CognitoJwtVerifier.create({"user_pool_id": main.id, "client_id": client_id, "token_use": "access"})
    # The native layer refuses a pool without a client id unless any_client_id is explicit.
    from pocket_sign import _native

    with pytest.raises(errors.ParameterValidationError):
        _native.CognitoVerifier([{"user_pool_id": main.id, "token_use": "access"}])
    assert _native.CognitoVerifier([{"user_pool_id": main.id, "token_use": "access", "any_client_id": True}])


def test_any_client_id_is_explicit(main):
    token = main.tokens["alice@example.com"]["access"]
    with pytest.raises(errors.CognitoJwtInvalidClientIdError):
        verifier_for(main, client_id="another-app-client").verify(token)
    # ANY_CLIENT_ID really disables the check (the token's client is not named anywhere).
    assert verifier_for(main, client_id=ANY_CLIENT_ID).verify(token)["client_id"] == main.client_id
    assert repr(ANY_CLIENT_ID) == "ANY_CLIENT_ID"


def test_verify_cognito_jwt_needs_a_client_id_setting(main, dj_settings):
    """Magic-pocket's Django Ninja example accepted every app client when COGNITO_APP_CLIENT_ID
    was unset; the drop-in raises ImproperlyConfigured unless COGNITO_ANY_CLIENT_ID = True."""
    from django.core.exceptions import ImproperlyConfigured

    dj_settings.AWS_REGION = "ap-northeast-1"
    dj_settings.COGNITO_USER_POOL_ID = main.id
    dj_settings.COGNITO_JWKS_URL = main.jwks_uri
    token = main.tokens["alice@example.com"]["access"]
    for unset in [None, "", "  ", [], [""]]:
        dj_settings.COGNITO_APP_CLIENT_ID = unset
        with pytest.raises(ImproperlyConfigured, match="COGNITO_APP_CLIENT_ID"):
            verify_cognito_jwt(token)
    dj_settings.COGNITO_ANY_CLIENT_ID = True
    assert verify_cognito_jwt(token)["client_id"] == main.client_id
    dj_settings.COGNITO_APP_CLIENT_ID = "someone-else"
    with pytest.raises(ImproperlyConfigured, match="mutually exclusive"):
        verify_cognito_jwt(token)
    dj_settings.COGNITO_ANY_CLIENT_ID = False
    with pytest.raises(errors.CognitoJwtInvalidClientIdError):
        verify_cognito_jwt(token)
    dj_settings.COGNITO_APP_CLIENT_ID = ["x", main.client_id]
    assert verify_cognito_jwt(token)["client_id"] == main.client_id


def test_concurrent_verification(main):
    v = verifier_for(main)
    tokens = [t["access"] for t in main.tokens.values()] * 10
    failures = []

    def work(tok):
        try:
            v.verify(tok)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_secret_hash_matches_stdlib_and_moto(cognito, main):
    expected = base64.b64encode(
        hmac.new(b"secret", b"user@example.comclient", hashlib.sha256).digest()
    ).decode()
    assert secret_hash("user@example.com", "client", "secret") == expected
    cognito.client.admin_create_user(
        UserPoolId=main.id,
        Username="dave@example.com",
        UserAttributes=[{"Name": "email", "Value": "dave@example.com"}],
        MessageAction="SUPPRESS",
    )
    cognito.client.admin_set_user_password(
        UserPoolId=main.id, Username="dave@example.com", Password="Passw0rd!Passw0rd", Permanent=True
    )
    # moto checks SECRET_HASH (as Cognito does) before starting an SRP exchange.
    def start_srp(hash_value):
        return cognito.client.initiate_auth(
            ClientId=cognito.secret_client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "dave@example.com", "SRP_A": "1234abcd", "SECRET_HASH": hash_value},
        )

    good = start_srp(secret_hash("dave@example.com", cognito.secret_client_id, cognito.secret_client_secret))
    assert good["ChallengeName"] == "PASSWORD_VERIFIER"
    with pytest.raises(cognito.client.exceptions.NotAuthorizedException):
        start_srp(secret_hash("dave@example.com", cognito.secret_client_id, "wrong-secret"))
    with pytest.raises(cognito.client.exceptions.NotAuthorizedException):
        start_srp(secret_hash("someone@example.com", cognito.secret_client_id, cognito.secret_client_secret))


def test_verify_cognito_jwt_reads_django_settings(main, dj_settings):
    dj_settings.AWS_REGION = "ap-northeast-1"
    dj_settings.COGNITO_USER_POOL_ID = main.id
    dj_settings.COGNITO_APP_CLIENT_ID = main.client_id
    dj_settings.COGNITO_JWKS_URL = main.jwks_uri
    claims = verify_cognito_jwt(main.tokens["alice@example.com"]["access"])
    assert claims["client_id"] == main.client_id
    claims = verify_cognito_jwt(main.tokens["alice@example.com"]["id"], token_use="id")
    assert claims["aud"] == main.client_id
    with pytest.raises(errors.CognitoJwtInvalidTokenUseError):
        verify_cognito_jwt(main.tokens["alice@example.com"]["id"])
    dj_settings.AWS_REGION = "us-east-1"  # issuer no longer matches the pool's tokens
    with pytest.raises(errors.JwtInvalidIssuerError):
        verify_cognito_jwt(main.tokens["alice@example.com"]["access"])
