// A stand-in for the CloudFront KeyValueStore handle (`cf.kvs()`): `get(key, {format})` resolves
// the test value or rejects like the real one does for a missing key; `fail: true` makes every
// read reject (store unreachable). `exists(key)` and `meta()` as documented.
// Source: AWS CloudFront Developer Guide, "Helper methods for key value stores".
// `exists(key)`: whether the key is in the store (rejects only when the store is unavailable).
export function kvsExists(values, fail, key) {
  if (fail) return { err: 'KeyValueStore read failed (test: unavailable)' };
  return { ok: typeof key === 'string' && Object.prototype.hasOwnProperty.call(values, key) };
}

// `misses` (optional array): every key a get() was refused for, so tests can assert that a
// function takes no exception path for an absent optional key.
export function kvsLookup(values, fail, key, format, misses) {
  if (fail) return { err: 'KeyValueStore read failed (test: unavailable)' };
  if (typeof key !== 'string') return { err: 'key must be a string' };
  if (!Object.prototype.hasOwnProperty.call(values, key)) {
    if (misses) misses.push(key);
    return { err: `Key ${key} not found` };
  }
  const v = values[key];
  if (format === 'json') return { ok: JSON.parse(v) };
  if (format !== undefined && format !== 'string') return { err: `format ${format} not supported by the test store` };
  return { ok: String(v) };
}
