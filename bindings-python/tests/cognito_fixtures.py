"""A real Cognito peer for the tests: moto's server on 127.0.0.1, pools, clients and users,
plus a token minter using moto's own signing key (for expired / unknown-kid / foreign-issuer
cases that the server cannot produce)."""

from __future__ import annotations

import base64
import gzip
import json
import pathlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict

import boto3
import moto
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from moto.server import ThreadedMotoServer

REGION = "ap-northeast-1"
PASSWORD = "Passw0rd!Passw0rd"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def moto_private_key() -> rsa.RSAPrivateKey:
    path = pathlib.Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-private.json.gz"
    jwk = json.loads(gzip.decompress(path.read_bytes()))
    n, e, d = b64url_int(jwk["n"]), b64url_int(jwk["e"]), b64url_int(jwk["d"])
    p, q = rsa.rsa_recover_prime_factors(n, e, d)
    priv = rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(e, n)
    )
    return priv.private_key()


@dataclass
class Pool:
    id: str
    client_id: str
    issuer: str
    jwks_uri: str
    tokens: Dict[str, Dict[str, str]] = field(default_factory=dict)  # email -> {access, id}


@dataclass
class CognitoPeer:
    server: ThreadedMotoServer
    endpoint: str
    client: Any
    pools: Dict[str, Pool]
    secret_client_id: str
    secret_client_secret: str
    key: rsa.RSAPrivateKey

    def mint(self, claims: Dict[str, Any], *, kid: str = "dummy", alg: str = "RS256") -> str:
        header = {"kid": kid, "alg": alg}
        signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
        sig = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(sig)}"

    def access_claims(self, pool: Pool, **overrides: Any) -> Dict[str, Any]:
        now = int(time.time())
        claims = {
            "sub": str(uuid.uuid4()),
            "iss": pool.issuer,
            "client_id": pool.client_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "username": "minted",
            "iat": now,
            "exp": now + 600,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}


def start_peer() -> CognitoPeer:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "cognito-idp",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    pools: Dict[str, Pool] = {}
    secret_client_id = secret_client_secret = ""
    for name in ("main", "other"):
        pool_id = client.create_user_pool(
            PoolName=f"pocket-{name}",
            UsernameAttributes=["email"],
            Schema=[{"Name": "tenant_id", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
        app = client.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="server",
            ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            ReadAttributes=["email", "custom:tenant_id"],
        )["UserPoolClient"]
        pool = Pool(
            id=pool_id,
            client_id=app["ClientId"],
            issuer=f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}",
            jwks_uri=f"{endpoint}/{pool_id}/.well-known/jwks.json",
        )
        pools[name] = pool
        if name == "main":
            client.create_group(UserPoolId=pool_id, GroupName="admins")
            secret_app = client.create_user_pool_client(
                UserPoolId=pool_id,
                ClientName="with-secret",
                GenerateSecret=True,
                ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            )["UserPoolClient"]
            secret_client_id = secret_app["ClientId"]
            secret_client_secret = secret_app["ClientSecret"]
        users = {"alice@example.com": "acme", "bob@example.com": None} if name == "main" else {"carol@example.com": "zeta"}
        for email, tenant in users.items():
            attrs = [{"Name": "email", "Value": email}]
            if tenant:
                attrs.append({"Name": "custom:tenant_id", "Value": tenant})
            client.admin_create_user(UserPoolId=pool_id, Username=email, UserAttributes=attrs, MessageAction="SUPPRESS")
            client.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD, Permanent=True)
            if email == "alice@example.com":
                client.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName="admins")
            result = client.admin_initiate_auth(
                UserPoolId=pool_id,
                ClientId=pool.client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
            )["AuthenticationResult"]
            pool.tokens[email] = {"access": result["AccessToken"], "id": result["IdToken"]}
    return CognitoPeer(server, endpoint, client, pools, secret_client_id, secret_client_secret, moto_private_key())
