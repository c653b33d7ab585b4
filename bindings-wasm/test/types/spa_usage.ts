// `pocket-sign/spa` declarations under tsc --strict without the DOM lib (test/types.test.mjs).
import {
  PocketSignError, decodeJwt, init, isInitialized, jwtExpiresIn, resourceMatches,
  session, sessionExpiresIn, version,
} from 'pocket-sign/spa';
import type { JwtPayload, SpaSession, UnverifiedJwt } from 'pocket-sign/spa';

interface Claims { sub: string; email: string }

export async function main(): Promise<string> {
  await init();
  const ready: boolean = isInitialized();
  const s: SpaSession | null = session();
  const s2: SpaSession | null = session('pocket-spa-session=u:1');
  const left: number | null = sessionExpiresIn() ?? sessionExpiresIn(5, 'a=b');
  const d: UnverifiedJwt<Claims> = decodeJwt<Claims>('a.b.c');
  const email: string = d.payload.email;
  const std: JwtPayload = decodeJwt('a.b.c').payload;
  const jl: number | null = jwtExpiresIn('a.b.c');
  const m: boolean = resourceMatches('https://d/*', 'https://d/a');
  try {
    session('pocket-spa-session=x');
  } catch (e) {
    if (e instanceof PocketSignError && e.domain === 'load') {
      const k: 'WasmHttpError' | 'WasmFetchFailed' | 'WasmNotWasm' | 'WasmBlockedByCsp' | 'WasmInstantiateFailed' | 'NotInitialized' = e.kind;
      void k;
    }
  }
  // @ts-expect-error: the SPA entry has no verification with a secret
  void (await import('pocket-sign/spa')).verifySpaToken;
  // @ts-expect-error: nor the token parsers (the token cookie is HttpOnly)
  void (await import('pocket-sign/spa')).parseSpaToken;
  // @ts-expect-error: decodeJwt's payload is typed by the caller
  const n: number = d.payload.email;
  return JSON.stringify([ready, s, s2, left, email, std, jl, m, n, version()]);
}
