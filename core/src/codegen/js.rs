//! JavaScript source assembly for CloudFront Functions (runtime `cloudfront-js-2.0`).
//!
//! Only constructs the CloudFront Functions runtime documents are used ("JavaScript runtime 2.0
//! features for CloudFront Functions", AWS CloudFront Developer Guide): `var`/`const`, ES 5.1
//! statements, regular expressions, `async function handler` with `await` directly in it (no
//! async arrows or closures), `import crypto from 'crypto'` (`createHmac` only) and
//! `import cf from 'cloudfront'` (`cf.kvs()`, `await kvs.get(key)`, which throws for a missing
//! key), `Buffer.from(hex, 'hex')`, `encodeURIComponent`, `Date.now()`. No timers, no `require`,
//! no `process`, no `eval`, no `console.log` at all. The event shape is the one of
//! "CloudFront Functions event structure": `event.request.{uri, querystring, headers, cookies}`
//! with `{value, multiValue?}` entries and lowercase header names, `event.viewer.ip`.

use alloc::string::String;
use core::fmt::Write;

/// Which parts the single viewer-request function of one cache behavior contains, in the order
/// they run: host redirect, path guard, basic auth, token gate, SPA fallback, API headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Canonical domain: 301 to `https://{domain}{uri}{?query}` when Host differs.
    pub host_redirect: Option<String>,
    /// 403 for URIs with an encoded slash or backslash (`%2F`, `%5C`, any case), a raw `\`,
    /// or a `..` segment (also spelt with `%2E`): set on ungated S3 behaviors whose keys
    /// overlap a gated route's ([`super::functions::needs_path_guard`]).
    pub path_guard: bool,
    /// Basic auth against KVS key `basic_auth`.
    pub basic_auth: bool,
    /// Token gate with this login path (KVS key `token_secret`, and `token_secret_previous`
    /// when present: tokens signed with either secret pass, for secret rotation).
    pub token_gate: Option<String>,
    /// SPA fallback to this URI.
    pub spa_fallback: Option<String>,
    /// Set `x-forwarded-host` and `x-pocket-viewer-ip`.
    pub api_headers: bool,
    /// `enable_origin_verify`: also drop a client-sent `x-pocket-origin-verify` (the secret
    /// origin custom header is CloudFront's alone to add).
    pub origin_verify: bool,
}

impl Plan {
    /// True when the behavior needs no function.
    pub fn is_empty(&self) -> bool {
        *self == Plan::default()
    }
    /// True when the function reads the KeyValueStore (and so is async).
    pub fn uses_kvs(&self) -> bool {
        self.basic_auth || self.token_gate.is_some()
    }
}

/// A JavaScript string literal for `s`: double quotes, every character outside printable ASCII
/// (and `"`, `\`, `<`, `>`) escaped as `\uXXXX`, so no value can end the literal, start a
/// comment or a new line (U+2028/U+2029 included).
pub fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for unit in s.encode_utf16() {
        let printable = (0x20..0x7f).contains(&unit);
        let special = matches!(unit, 0x22 | 0x5c | 0x3c | 0x3e);
        if printable && !special {
            out.push(char::from(unit as u8));
        } else {
            let _ = write!(out, "\\u{unit:04x}");
        }
    }
    out.push('"');
    out
}

/// Makes a one-line comment text safe: printable ASCII only, no `*/` concerns (line comment).
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect()
}

const EQ: &str = r#"function eq(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length) return false;
  var d = 0;
  for (var i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}
"#;

const QUERY: &str = r#"function enc(s) {
  return encodeURIComponent(s).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
}
function query(q) {
  var out = [];
  for (var k in q || {}) {
    var e = q[k], vs = e && e.multiValue ? e.multiValue : [e];
    for (var i = 0; i < vs.length; i++) {
      var v = vs[i] && vs[i].value !== undefined ? String(vs[i].value) : '';
      out.push(enc(k) + (v === '' ? '' : '=' + enc(v)));
    }
  }
  return out.join('&');
}
"#;

const HOST_REDIRECT: &str = r#"function hostRedirect(r) {
  var h = r.headers.host ? String(r.headers.host.value).toLowerCase() : '';
  if (h === '' || h === DOMAIN) return null;
  var q = '';
  try { q = query(r.querystring); } catch (e) { q = ''; }
  return { statusCode: 301, statusDescription: 'Moved Permanently',
    headers: { location: { value: 'https://' + DOMAIN + r.uri + (q ? '?' + q : '') } } };
}
"#;

const PATH_GUARD: &str = r#"function pathOk(u) {
  u = String(u);
  if (/%(?:2[fF]|5[cC])|\\/.test(u)) return false;
  var s = u.replace(/%2[eE]/g, '.').split('/');
  for (var i = 0; i < s.length; i++) if (s[i] === '..') return false;
  return true;
}
"#;

const BASIC_AUTH: &str = r#"function basicAuth(r, want) {
  want = typeof want === 'string' ? want.trim() : '';
  if (want !== '' && want.indexOf('Basic ') !== 0) want = 'Basic ' + want;
  var got = r.headers.authorization ? String(r.headers.authorization.value) : '';
  if (want !== '' && eq(got, want)) return null;
  return { statusCode: 401, statusDescription: 'Unauthorized',
    headers: { 'www-authenticate': { value: 'Basic realm="Restricted"' }, 'cache-control': { value: 'no-store' } } };
}
"#;

const TOKEN_GATE: &str = r#"function tokenOk(t, keys, now) {
  if (typeof t !== 'string' || t.length > 1024) return false;
  if (t.length > 1 && t.charAt(0) === '"' && t.charAt(t.length - 1) === '"') t = t.substring(1, t.length - 1);
  var p = t.split(':');
  if (p.length !== 3 || p[0] === '' || !/^[0-9]{1,15}$/.test(p[1]) || !/^[0-9a-f]{64}$/.test(p[2])) return false;
  if (now > parseInt(p[1], 10)) return false;
  var m = p[0] + ':' + p[1], ok = 0;
  for (var i = 0; i < keys.length; i++) ok |= eq(crypto.createHmac('sha256', keys[i]).update(m).digest('hex'), p[2]) ? 1 : 0;
  return ok === 1;
}
function keyOf(s) {
  s = typeof s === 'string' ? s.trim() : '';
  return /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : null;
}
function gate(r, secret, prev, now) {
  var k = keyOf(secret), pk = keyOf(prev);
  if (!k) return false;
  var keys = pk ? [k, pk] : [k];
  var c = r.cookies ? r.cookies['pocket-spa-token'] : undefined;
  if (!c) return false;
  var vs = c.multiValue ? c.multiValue : [c];
  for (var i = 0; i < vs.length && i < 4; i++) {
    if (vs[i] && tokenOk(vs[i].value, keys, now)) return true;
  }
  return false;
}
function isLogin(u) {
  return u === LOGIN || u === LOGIN + '/';
}
function nextOf(r) {
  var p = String(r.uri).replace(/[\u0000-\u001f\u007f]/g, '').replace(/\\/g, '/');
  p = p.replace(/^(?:\/|%2[fF]|%5[cC])+/, '/').replace(/\/\/+/g, '/');
  if (p.charAt(0) !== '/') p = '/' + p;
  var q = query(r.querystring);
  return encodeURIComponent(q ? p + '?' + q : p);
}
function toLogin(r) {
  var n;
  try { n = nextOf(r); } catch (e) { n = '%2F'; }
  return { statusCode: 302, statusDescription: 'Found',
    headers: { location: { value: LOGIN + '?next=' + n }, 'cache-control': { value: 'no-store' } } };
}
"#;

const SPA: &str = r#"function spa(r) {
  var u = r.uri;
  if (u.substring(u.lastIndexOf('/') + 1).indexOf('.') === -1) r.uri = FALLBACK;
}
"#;

const API: &str = r#"function apiHeaders(r, ev) {
  var h = r.headers;
  if (h.host) h['x-forwarded-host'] = { value: h.host.value }; else delete h['x-forwarded-host'];
  h['x-pocket-viewer-ip'] = { value: ev.viewer && ev.viewer.ip ? String(ev.viewer.ip) : '' };
}
"#;

/// Renders the viewer-request function for `plan`. `title` goes into the leading comment.
pub(crate) fn render(plan: &Plan, title: &str) -> String {
    let mut s = String::new();
    if plan.token_gate.is_some() {
        s.push_str("import crypto from 'crypto';\n");
    }
    if plan.uses_kvs() {
        s.push_str("import cf from 'cloudfront';\n");
    }
    let _ = writeln!(
        s,
        "// {} (pocket-sign {}, cloudfront-js-2.0, viewer-request). Generated from pocket.toml; do not edit.",
        comment_text(title),
        env!("CARGO_PKG_VERSION")
    );
    if plan.origin_verify {
        s.push_str("// enable_origin_verify: CloudFront adds origin custom header X-Pocket-Origin-Verify; the app checks it against POCKET_ORIGIN_VERIFY_SECRET.\n");
    }
    if plan.uses_kvs() {
        s.push_str("const kvs = cf.kvs();\n");
    }
    if let Some(d) = &plan.host_redirect {
        let _ = writeln!(s, "const DOMAIN = {};", literal(d));
    }
    if let Some(l) = &plan.token_gate {
        let _ = writeln!(s, "const LOGIN = {};", literal(l));
    }
    if let Some(f) = &plan.spa_fallback {
        let _ = writeln!(s, "const FALLBACK = {};", literal(f));
    }
    if plan.basic_auth || plan.token_gate.is_some() {
        s.push_str(EQ);
    }
    if plan.host_redirect.is_some() || plan.token_gate.is_some() {
        s.push_str(QUERY);
    }
    if plan.host_redirect.is_some() {
        s.push_str(HOST_REDIRECT);
    }
    if plan.path_guard {
        s.push_str(PATH_GUARD);
    }
    if plan.basic_auth {
        s.push_str(BASIC_AUTH);
    }
    if plan.token_gate.is_some() {
        s.push_str(TOKEN_GATE);
    }
    if plan.spa_fallback.is_some() {
        s.push_str(SPA);
    }
    if plan.api_headers {
        s.push_str(API);
    }
    s.push_str(if plan.uses_kvs() {
        "async function handler(event) {\n"
    } else {
        "function handler(event) {\n"
    });
    s.push_str("  var r = event.request, x;\n");
    if plan.host_redirect.is_some() {
        s.push_str("  x = hostRedirect(r);\n  if (x) return x;\n");
    }
    if plan.path_guard {
        s.push_str(
            "  if (!pathOk(r.uri)) return { statusCode: 403, statusDescription: 'Forbidden', headers: { 'cache-control': { value: 'no-store' } } };\n",
        );
    }
    if plan.basic_auth {
        s.push_str(
            "  var ba = '';\n  try { ba = await kvs.get('basic_auth'); } catch (e) { ba = ''; }\n  x = basicAuth(r, ba);\n  if (x) return x;\n",
        );
    }
    if plan.token_gate.is_some() {
        s.push_str(
            "  if (!isLogin(r.uri)) {\n    var s = '', sp = '';\n    try { s = await kvs.get('token_secret'); } catch (e) { s = ''; }\n    try { if (await kvs.exists('token_secret_previous')) sp = await kvs.get('token_secret_previous'); } catch (e) { sp = ''; }\n    if (!gate(r, s, sp, Math.floor(Date.now() / 1000))) return toLogin(r);\n  }\n",
        );
    }
    if plan.spa_fallback.is_some() {
        s.push_str("  spa(r);\n");
    }
    if plan.api_headers {
        s.push_str("  apiHeaders(r, event);\n");
    }
    if plan.origin_verify {
        s.push_str("  delete r.headers['x-pocket-origin-verify'];\n");
    }
    s.push_str("  return r;\n}\n");
    s
}

/// The KVS keys a plan reads, in read order.
pub(crate) fn kvs_keys(plan: &Plan) -> alloc::vec::Vec<String> {
    let mut v = alloc::vec::Vec::new();
    if plan.basic_auth {
        v.push(String::from("basic_auth"));
    }
    if plan.token_gate.is_some() {
        v.push(String::from("token_secret"));
        v.push(String::from(TOKEN_SECRET_PREVIOUS));
    }
    v
}

/// The KVS key holding the previous SPA token secret during a rotation. Optional: the gate
/// checks it with `kvs.exists` (no exception when it is absent) and then accepts tokens signed
/// with either secret.
pub(crate) const TOKEN_SECRET_PREVIOUS: &str = "token_secret_previous";

/// The subset of [`kvs_keys`] that may be absent from the KeyValueStore.
pub(crate) fn optional_kvs_keys(plan: &Plan) -> alloc::vec::Vec<String> {
    let mut v = alloc::vec::Vec::new();
    if plan.token_gate.is_some() {
        v.push(String::from(TOKEN_SECRET_PREVIOUS));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_escapes_everything_dangerous() {
        assert_eq!(literal("/api/auth/login"), "\"/api/auth/login\"");
        assert_eq!(literal("a\"b\\c"), "\"a\\u0022b\\u005cc\"");
        assert_eq!(
            literal("x\ny\u{2028}</script>"),
            "\"x\\u000ay\\u2028\\u003c/script\\u003e\""
        );
        assert_eq!(literal("é😀"), "\"\\u00e9\\ud83d\\ude00\"");
    }

    #[test]
    fn comment_text_is_one_printable_line() {
        assert_eq!(comment_text("a\nb\u{2028}c"), "a?b?c");
    }

    #[test]
    fn empty_plan_and_kvs_usage() {
        assert!(Plan::default().is_empty());
        let p = Plan {
            token_gate: Some("/login".into()),
            basic_auth: true,
            ..Plan::default()
        };
        assert!(p.uses_kvs());
        assert_eq!(
            kvs_keys(&p),
            ["basic_auth", "token_secret", "token_secret_previous"]
        );
        assert_eq!(optional_kvs_keys(&p), ["token_secret_previous"]);
    }
}
