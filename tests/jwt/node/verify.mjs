// Differential oracle: reads {userPoolId, jwks, cases:[{token, tokenUse, clientId}]} on stdin,
// verifies each token with aws-jwt-verify's CognitoJwtVerifier (JWKS given via cacheJwks, no
// network) and prints [{ok, error}] on stdout.
import { CognitoJwtVerifier } from "aws-jwt-verify";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { userPoolId, jwks, cases } = JSON.parse(input);
const out = [];
for (const c of cases) {
  try {
    const v = CognitoJwtVerifier.create({ userPoolId, tokenUse: c.tokenUse, clientId: c.clientId });
    v.cacheJwks(jwks);
    v.verifySync(c.token);
    out.push({ ok: true, error: null });
  } catch (e) {
    out.push({ ok: false, error: e.constructor.name + ": " + e.message });
  }
}
process.stdout.write(JSON.stringify(out));
