// The CloudFront Functions `crypto` subset, implemented on node's crypto for both runners:
// createHash / createHmac only, algorithms md5 / sha1 / sha256, digest encodings hex / base64 /
// base64url, or a Buffer when no encoding is given (runtime 2.0). Nothing else is exposed.
// Source: AWS CloudFront Developer Guide, "JavaScript runtime 2.0 features", built-in modules.
import nodeCrypto from 'node:crypto';

export const ALGORITHMS = ['md5', 'sha1', 'sha256'];
export const ENCODINGS = ['hex', 'base64', 'base64url'];

function checkAlgorithm(alg) {
  if (!ALGORITHMS.includes(alg)) throw new Error(`crypto: algorithm ${alg} is not supported by CloudFront Functions`);
}
function checkEncoding(enc) {
  if (enc !== undefined && !ENCODINGS.includes(enc)) {
    throw new Error(`crypto: digest encoding ${enc} is not supported by CloudFront Functions`);
  }
}

// Node-side digest over parts given as { s: utf8 string } or { h: hex bytes }.
export function hostDigest(kind, alg, key, parts, enc) {
  checkAlgorithm(alg);
  checkEncoding(enc);
  const toBuf = (p) => (p.h !== undefined ? Buffer.from(p.h, 'hex') : Buffer.from(p.s, 'utf8'));
  const h = kind === 'hmac' ? nodeCrypto.createHmac(alg, toBuf(key)) : nodeCrypto.createHash(alg);
  for (const p of parts) h.update(toBuf(p));
  return h.digest(enc ?? 'hex');
}

// The module object handed to code running in node's vm.
export function cryptoModule() {
  const part = (d) => {
    if (typeof d === 'string') return { s: d };
    if (d instanceof Uint8Array) return { h: Buffer.from(d).toString('hex') };
    throw new TypeError('crypto: data must be a string or a Buffer');
  };
  const make = (kind, alg, key) => {
    checkAlgorithm(alg);
    const parts = [];
    let done = false;
    return {
      update(d) {
        if (done) throw new Error('crypto: digest already called');
        parts.push(part(d));
        return this;
      },
      digest(enc) {
        if (done) throw new Error('crypto: digest already called');
        done = true;
        const out = hostDigest(kind, alg, key, parts, enc);
        return enc === undefined ? Buffer.from(out, 'hex') : out;
      },
    };
  };
  return Object.freeze({
    createHash: (alg) => make('hash', alg, null),
    createHmac: (alg, key) => make('hmac', alg, part(key)),
  });
}
