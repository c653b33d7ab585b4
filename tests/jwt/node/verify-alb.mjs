// Differential oracle for ALB data: reads {albArn, issuer, clientId, jwk, cases:[token]} on
// stdin, verifies each with aws-jwt-verify's AlbJwtVerifier (key given via cacheJwks, no
// network) and prints [{ok, error}] on stdout.
import { AlbJwtVerifier } from "aws-jwt-verify";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { albArn, issuer, clientId, jwk, cases } = JSON.parse(input);
const out = [];
for (const token of cases) {
  try {
    const v = AlbJwtVerifier.create({ albArn, issuer, clientId });
    v.cacheJwks({ keys: [jwk] });
    v.verifySync(token);
    out.push({ ok: true, error: null });
  } catch (e) {
    out.push({ ok: false, error: e.constructor.name + ": " + e.message });
  }
}
process.stdout.write(JSON.stringify(out));
