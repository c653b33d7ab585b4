// The demo page's script: imports the package by name (import map → /pkg/index.js) and shows
// a decoded token, a verified JWT and a generated function. Inputs come from the query string
// and /fixture.toml, served by test/browser.test.mjs.
import {
  buildCustomPolicy, decodeJwt, generateCloudFrontFunctions, parseSpaToken, spaTokenExpiresIn,
  verifyJwt, version,
} from 'pocket-sign';

const $ = (id) => document.getElementById(id);
const q = new URLSearchParams(location.search);

try {
  $('version').textContent = version();

  const spa = q.get('spa');
  const info = parseSpaToken(spa);
  $('spa-user').textContent = info.userId;
  $('spa-expiry').textContent = String(info.expiry);
  $('spa-expires-in').textContent = String(spaTokenExpiresIn(spa, Number(q.get('now'))));
  try {
    parseSpaToken('only:two');
  } catch (e) {
    $('spa-error').textContent = `${e.name}/${e.domain}/${e.kind}`;
  }

  const jwt = q.get('jwt');
  const jwks = await (await fetch('/jwks.json')).text();
  const decoded = decodeJwt(jwt);
  $('jwt-decoded').textContent = `${decoded.header.alg} / ${decoded.payload.username} (verified: ${decoded.verified})`;
  const options = JSON.parse(q.get('jwtOptions'));
  const claims = verifyJwt(jwt, jwks, options);
  $('jwt-verified').textContent = `ok: ${claims.username} (${claims.token_use})`;
  const [h, p, s] = jwt.split('.');
  try {
    verifyJwt(`${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`, jwks, options);
    $('jwt-tampered').textContent = 'ACCEPTED (bug)';
  } catch (e) {
    $('jwt-tampered').textContent = `refused: ${e.kind}`;
  }

  $('policy').textContent = buildCustomPolicy({
    resource: 'https://d111111abcdef8.cloudfront.net/media/*', dateLessThan: 1767290400,
  });

  const toml = await (await fetch('/fixture.toml')).text();
  const [fn] = generateCloudFrontFunctions(toml, { distribution: 'main' });
  $('fn-meta').textContent = `${fn.name} / ${fn.runtime} / ${fn.behavior} / [${fn.kvsKeys.join(', ')}]`;
  $('fn-code').textContent = fn.code;

  $('status').textContent = 'ready';
} catch (e) {
  $('status').textContent = `error: ${e && e.kind} ${e && e.message}`;
  throw e;
}
