// Compiled with `tsc --noEmit --strict` by test/types.test.mjs: the package's declarations must
// type real usage, and reject wrong usage (the @ts-expect-error lines must be errors).
import {
  buildCustomPolicy, cloudfrontBase64, decodeJwt, generateCloudFrontFunctions, issueSpaToken,
  parseSpaToken, resourceMatches, spaLoginSetCookie, spaLogoutSetCookie, spaTokenExpiresIn,
  verifyJwt, verifySpaToken, version,
} from 'pocket-sign';
import type {
  CloudFrontFunction, PocketSignError, SpaTokenInfo, UnverifiedJwt, VerifyJwtOptions,
} from 'pocket-sign';

const info: SpaTokenInfo = parseSpaToken('u:1:s');
const user: string = info.userId;
const expiry: number = info.expiry;
const left: number = spaTokenExpiresIn('u:1:s') + spaTokenExpiresIn('u:1:s', 5);
const verified: SpaTokenInfo = verifySpaToken('u:1:s', 'ab', 5);
const token: string = issueSpaToken('u', 'ab') + issueSpaToken('u', 'ab', { now: 1, maxAge: 2 });
const cookies: string = spaLoginSetCookie(token) + spaLoginSetCookie(token, 60) + spaLogoutSetCookie();

const decoded: UnverifiedJwt = decodeJwt('a.b.c');
const notVerified: false = decoded.verified;
const opts: VerifyJwtOptions = { issuer: ['https://iss'], tokenUse: null, clientId: 'c', now: 1 };
const claims: Record<string, unknown> = verifyJwt('a.b.c', '{"keys":[]}', opts);
verifyJwt('a.b.c', { keys: [] }, { issuer: 'https://iss', tokenUse: 'access', clientId: null });

const policy: string = buildCustomPolicy({ resource: 'https://d/*', dateLessThan: 2, ipAddress: '1.2.3.4' });
const encoded: string = cloudfrontBase64(policy);
const matches: boolean = resourceMatches('https://d/*', 'https://d/a');

const fns: CloudFrontFunction[] = generateCloudFrontFunctions('', { distribution: 'web', stage: 'prd' });
const keys: string[] = fns.flatMap((f) => f.kvsKeys);
const v: string = version();

try {
  verifySpaToken('u:1:s', 'ab');
} catch (e) {
  const err = e as PocketSignError;
  const kind: string = err.kind;
  const domain: 'input' | 'spaToken' | 'jwt' | 'cloudfront' | 'codegen' = err.domain;
  const isError: Error = err;
  void kind; void domain; void isError;
}

// @ts-expect-error: token must be a string
parseSpaToken(5);
// @ts-expect-error: issuer is required
verifyJwt('a.b.c', '{}', { tokenUse: 'id' });
// @ts-expect-error: tokenUse is 'access' | 'id' | 'any' | null
verifyJwt('a.b.c', '{}', { issuer: 'i', tokenUse: 'refresh' });
// @ts-expect-error: dateLessThan is required
buildCustomPolicy({ resource: 'r' });
// @ts-expect-error: distribution is required
generateCloudFrontFunctions('', {});
// @ts-expect-error: decodeJwt's result is never verified
const yes: true = decoded.verified;

export const used = [user, expiry, left, verified, cookies, notVerified, claims, encoded, matches, keys, v, yes];
