// Compiled with `tsc --noEmit --strict` by test/types.test.mjs: the package's declarations must
// type real usage, and reject wrong usage (the @ts-expect-error lines must be errors).
import {
  buildCustomPolicy, cloudfrontBase64, decodeJwt, generateCloudFrontFunctions, issueSpaToken,
  parseSpaToken, resourceMatches, spaLoginSetCookie, spaLogoutSetCookie, spaTokenExpiresIn,
  verifyJwt, verifySpaToken, version,
} from 'pocket-sign';
import { JwksVerifier, PocketSignError, SpaTokenVerifier, session } from 'pocket-sign';
import type {
  CloudFrontFunction, JwtPayload, PocketSignErrorKind, SpaSession, SpaTokenInfo, UnverifiedJwt,
  VerifyJwtOptions,
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
interface MyClaims { sub: string; 'custom:tenant': string }
const mine: MyClaims = decodeJwt<MyClaims>('a.b.c').payload;
const tenant: string = verifyJwt<MyClaims>('a.b.c', { keys: [] }, opts)['custom:tenant'];
const std: JwtPayload = decodeJwt('a.b.c').payload;
const exp: number | undefined = std.exp;
const keeper = new JwksVerifier({ keys: [] }, { issuer: 'https://iss' });
const kept: JwtPayload = keeper.verify('a.b.c') ?? keeper.verify('a.b.c', 5);
const keyCount: number = keeper.keyCount;
const spaKeeper = new SpaTokenVerifier('ab');
const spaInfo: SpaTokenInfo = spaKeeper.verify('u:1:s', 5);
const sess: SpaSession | null = session('pocket-spa-session=u:1');
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
  if (e instanceof PocketSignError) {
    const kind: PocketSignErrorKind = e.kind;
    const domain: 'input' | 'spaToken' | 'jwt' | 'cloudfront' | 'codegen' | 'load' = e.domain;
    const isError: Error = e;
    if (e.domain === 'spaToken') {
      const k: 'Malformed' | 'BadSignature' | 'Expired' | 'InvalidSecret' | 'InvalidUserId' | 'ExpiryOverflow' = e.kind;
      void k;
    }
    // @ts-expect-error: not a kind of any domain
    const wrong: PocketSignErrorKind = 'NoSuchKind';
    void kind; void domain; void isError; void wrong;
  }
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

export const used = [user, expiry, left, verified, cookies, notVerified, claims, encoded, matches, keys, v, yes,
  mine, tenant, exp, kept, keyCount, spaInfo, sess];
