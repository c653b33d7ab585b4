// Runs a generated CloudFront Function in QuickJS (quickjs-emscripten), a non-node engine: no
// Buffer, require or process unless provided. The shim below provides only the CloudFront pieces
// the generated code may use: Buffer.from(hex|utf8|base64) / toString, the crypto subset (computed
// by the host through hostDigest), the cloudfront module with kvs(), one-argument console.log.
import { getQuickJS } from 'quickjs-emscripten';
import { hostDigest } from './hostcrypto.mjs';
import { kvsLookup, kvsExists } from './kvs.mjs';

let quickjs;
async function engine() {
  quickjs ??= await getQuickJS();
  return quickjs;
}

const SHIM = String.raw`
(function () {
  var HEX = '0123456789abcdef';
  class Buffer extends Uint8Array {
    static from(v, enc) {
      if (v instanceof Uint8Array) return new Buffer(v);
      if (typeof v !== 'string') throw new TypeError('Buffer.from: unsupported input');
      enc = enc || 'utf8';
      if (enc === 'hex') {
        var n = Math.floor(v.length / 2), b = new Buffer(n);
        for (var i = 0; i < n; i++) {
          var hi = HEX.indexOf(v.charAt(2 * i).toLowerCase()), lo = HEX.indexOf(v.charAt(2 * i + 1).toLowerCase());
          if (hi < 0 || lo < 0) return b.subarray(0, i);
          b[i] = hi * 16 + lo;
        }
        return b;
      }
      if (enc === 'utf8' || enc === 'utf-8') {
        var bytes = [];
        var s = unescape(encodeURIComponent(v));
        for (var j = 0; j < s.length; j++) bytes.push(s.charCodeAt(j));
        return new Buffer(bytes);
      }
      throw new TypeError('Buffer.from: encoding ' + enc + ' not provided by the test shim');
    }
    toString(enc) {
      if (enc === 'hex') {
        var out = '';
        for (var i = 0; i < this.length; i++) out += HEX.charAt(this[i] >> 4) + HEX.charAt(this[i] & 15);
        return out;
      }
      var s = '';
      for (var k = 0; k < this.length; k++) s += String.fromCharCode(this[k]);
      return decodeURIComponent(escape(s));
    }
  }
  function part(d) {
    if (typeof d === 'string') return { s: d };
    if (d instanceof Uint8Array) return { h: Buffer.from(d).toString('hex') };
    throw new TypeError('crypto: data must be a string or a Buffer');
  }
  function make(kind, alg, key) {
    var parts = [], done = false;
    return {
      update: function (d) { if (done) throw new Error('digest already called'); parts.push(part(d)); return this; },
      digest: function (enc) {
        if (done) throw new Error('digest already called');
        done = true;
        var r = JSON.parse(__host_digest(JSON.stringify({ kind: kind, alg: alg, key: key, parts: parts, enc: enc })));
        if (r.err) throw new Error(r.err);
        return enc === undefined ? Buffer.from(r.ok, 'hex') : r.ok;
      }
    };
  }
  var kvsHandle = Object.freeze({
    get: async function (key, options) {
      var r = JSON.parse(__host_kvs(JSON.stringify({ key: key, format: options ? options.format : undefined })));
      if (r.err) throw new Error(r.err);
      return r.ok;
    },
    exists: async function (key) {
      var r = JSON.parse(__host_kvs_exists(JSON.stringify({ key: key })));
      if (r.err) throw new Error(r.err);
      return r.ok;
    }
  });
  globalThis.Buffer = Buffer;
  globalThis.__cf_crypto = Object.freeze({
    createHash: function (alg) { return make('hash', alg, null); },
    createHmac: function (alg, key) { return make('hmac', alg, part(key)); }
  });
  globalThis.__cf_cloudfront = Object.freeze({ kvs: function () { return kvsHandle; } });
  globalThis.console = Object.freeze({
    log: function () {
      if (arguments.length !== 1) throw new Error('console.log takes exactly one argument in CloudFront Functions');
      __host_log(String(arguments[0]));
    }
  });
})();
`;

const MODULES = {
  crypto: 'export default globalThis.__cf_crypto;\n',
  cloudfront: 'export default globalThis.__cf_cloudfront;\n',
};

function check(vm, res, what) {
  if (res.error) {
    const e = vm.dump(res.error);
    res.error.dispose();
    throw new Error(`QuickJS ${what}: ${typeof e === 'object' ? `${e.name}: ${e.message}` : e}`);
  }
  res.value.dispose();
}

/** Same contract as runNode. */
export async function runQuickJS(code, event, opts = {}) {
  const QuickJS = await engine();
  const rt = QuickJS.newRuntime();
  rt.setMemoryLimit(64 * 1024 * 1024);
  rt.setMaxStackSize(1024 * 1024);
  const deadline = Date.now() + 5000;
  rt.setInterruptHandler(() => Date.now() > deadline);
  rt.setModuleLoader((name) => {
    if (!Object.prototype.hasOwnProperty.call(MODULES, name)) throw new Error(`module '${name}' is not available in CloudFront Functions`);
    return MODULES[name];
  });
  const vm = rt.newContext();
  const logs = [];
  try {
    const values = opts.kvs ?? {};
    const kvsMisses = [];
    const fns = {
      __host_digest: (json) => {
        const a = JSON.parse(json);
        try {
          return { ok: hostDigest(a.kind, a.alg, a.key, a.parts, a.enc) };
        } catch (e) {
          return { err: String(e.message) };
        }
      },
      __host_kvs: (json) => {
        const a = JSON.parse(json);
        return kvsLookup(values, opts.kvsFail, a.key, a.format, kvsMisses);
      },
      __host_kvs_exists: (json) => kvsExists(values, opts.kvsFail, JSON.parse(json).key),
      __host_log: (s) => { logs.push(s); return null; },
    };
    for (const [name, f] of Object.entries(fns)) {
      const h = vm.newFunction(name, (arg) => {
        const out = f(vm.getString(arg));
        return out === null ? vm.undefined : vm.newString(JSON.stringify(out));
      });
      vm.setProp(vm.global, name, h);
      h.dispose();
    }
    check(vm, vm.evalCode(SHIM, 'shim.js'), 'shim');
    if (opts.nowMs !== undefined) {
      check(vm, vm.evalCode(`Date.now = function () { return ${Number(opts.nowMs)}; };`, 'clock.js'), 'clock');
    }
    check(vm, vm.evalCode(`${code}\nglobalThis.__pocket_handler = handler;\n`, 'cloudfront-function.js', { type: 'module' }), 'load');
    const call = `globalThis.__pocket_out = undefined; globalThis.__pocket_err = undefined;
Promise.resolve(__pocket_handler(${JSON.stringify(event)})).then(
  function (v) { globalThis.__pocket_out = JSON.stringify(v); },
  function (e) { globalThis.__pocket_err = String(e && e.stack ? e + ' ' + e.stack : e); });`;
    check(vm, vm.evalCode(call, 'call.js'), 'call');
    const jobs = rt.executePendingJobs(-1);
    if (jobs.error) {
      const e = vm.dump(jobs.error);
      jobs.error.dispose();
      throw new Error(`QuickJS jobs: ${JSON.stringify(e)}`);
    }
    const read = (name) => {
      const h = vm.getProp(vm.global, name);
      const v = vm.dump(h);
      h.dispose();
      return v;
    };
    const err = read('__pocket_err');
    if (err !== undefined) throw new Error(`QuickJS handler threw: ${err}`);
    const out = read('__pocket_out');
    if (out === undefined) throw new Error('QuickJS handler did not settle');
    return { result: JSON.parse(out), logs, charCodeAtCalls: undefined, kvsMisses };
  } finally {
    vm.dispose();
    rt.dispose();
  }
}
