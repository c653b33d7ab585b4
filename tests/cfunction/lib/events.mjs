// CloudFront Functions viewer-request events ("CloudFront Functions event structure"): lowercase
// header names, `{value}` entries, `multiValue` when a name repeats, empty objects when absent.

function entries(obj, lower) {
  const out = {};
  for (const [k0, v] of Object.entries(obj ?? {})) {
    const k = lower ? k0.toLowerCase() : k0;
    if (Array.isArray(v)) {
      out[k] = { value: v[0], multiValue: v.map((value) => ({ value })) };
    } else {
      out[k] = { value: v };
    }
  }
  return out;
}

/**
 * @param {{uri?: string, query?: object, headers?: object, cookies?: object, ip?: string, method?: string}} o
 *   query/cookies/headers: name -> value or [values]; query values as they appear in the URL.
 */
export function viewerRequest(o = {}) {
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'test' },
    viewer: { ip: o.ip ?? '203.0.113.7' },
    request: {
      method: o.method ?? 'GET',
      uri: o.uri ?? '/',
      querystring: entries(o.query, false),
      headers: entries({ host: 'example.com', ...(o.headers ?? {}) }, true),
      cookies: entries(o.cookies, false),
    },
  };
}

/** CloudFront path pattern match: `*` any run of characters, `?` one character, case-sensitive. */
export function matchesPattern(pattern, path) {
  const p = pattern.startsWith('/') ? pattern : `/${pattern}`;
  const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(path);
}

/** The behavior (`default` or a pattern) serving `path`, given the non-default patterns in order. */
export function behaviorFor(patterns, path) {
  for (const p of patterns) if (p !== 'default' && matchesPattern(p, path)) return p;
  return 'default';
}
