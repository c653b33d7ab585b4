// Differential check: aws-jwt-verify (the reference Cognito verifier) on every JWKS case of
// tests/vectors/jwt/jwt_vectors.json. Its accept/reject decision must equal the case's
// `aws_jwt_verify_accepts` annotation; where both reject, the error class is compared with the
// case's expected kind and differences are listed (informative). Exit 1 on any decision mismatch.
import { readFileSync } from "node:fs";
import { CognitoJwtVerifier } from "aws-jwt-verify";

const vectors = JSON.parse(
  readFileSync(new URL("../../vectors/jwt/jwt_vectors.json", import.meta.url), "utf8"),
);
const userPoolId = vectors.issuer.split("/").pop();
const realNow = Date.now;
let mismatches = 0;
let compared = 0;
const classDiffs = [];

for (const c of vectors.cases) {
  if (c.aws_jwt_verify_accepts === null || c.verifier.type !== "jwks") continue;
  const o = c.options;
  const props = {
    userPoolId,
    tokenUse: o.token_use === "any" ? null : (o.token_use ?? null),
    clientId: o.client_ids ?? null,
  };
  if (o.groups) props.groups = o.groups;
  if (o.scopes) props.scope = o.scopes;
  if (o.grace_seconds) props.graceSeconds = o.grace_seconds;
  const verifier = CognitoJwtVerifier.create(props);
  verifier.cacheJwks(vectors.jwks);
  let accepted;
  let errorClass = "";
  Date.now = () => c.now * 1000; // the vectors carry a fixed "now"
  try {
    verifier.verifySync(c.token);
    accepted = true;
  } catch (e) {
    accepted = false;
    errorClass = e?.constructor?.name ?? String(e);
  } finally {
    Date.now = realNow;
  }
  compared += 1;
  if (accepted !== c.aws_jwt_verify_accepts) {
    mismatches += 1;
    console.error(
      `MISMATCH ${c.name}: aws-jwt-verify ${accepted ? "accepts" : `rejects (${errorClass})`}, ` +
        `vector says ${c.aws_jwt_verify_accepts ? "accepts" : "rejects"}`,
    );
  } else if (!accepted && errorClass !== c.expected) {
    classDiffs.push(`${c.name}: aws-jwt-verify ${errorClass}, pocket-sign ${c.expected}`);
  }
  if (accepted && c.expected !== "valid") {
    console.log(`deliberately stricter: ${c.name} (pocket-sign: ${c.expected})`);
  }
}
if (classDiffs.length) {
  console.log(`error class differences (both reject):\n  ${classDiffs.join("\n  ")}`);
}
console.log(`aws-jwt-verify differential: ${compared} cases, ${mismatches} decision mismatches`);
if (compared < 40) {
  console.error("too few cases compared");
  process.exit(1);
}
process.exit(mismatches ? 1 : 0);
