// Runs a generated CloudFront Function in a node `vm` context that exposes only what CloudFront
// Functions expose: ES builtins, `Buffer`, a one-argument `console.log`, and the modules
// `crypto` (createHash / createHmac) and `cloudfront` (kvs()). No require, process, timers,
// fetch or other node globals exist there, so node-only code fails. Needs
// --experimental-vm-modules (vm.SourceTextModule), like the runtime it loads `import` lines.
import vm from 'node:vm';
import { cryptoModule } from './hostcrypto.mjs';
import { kvsLookup, kvsExists } from './kvs.mjs';

const ALLOWED_MODULES = ['crypto', 'cloudfront'];

/**
 * @param {string} code generated function source
 * @param {object} event CloudFront Functions viewer-request event
 * @param {{kvs?: object, kvsFail?: boolean, nowMs?: number, countCharCodeAt?: boolean}} opts
 * @returns {Promise<{result: any, logs: string[], charCodeAtCalls: number}>}
 */
export async function runNode(code, event, opts = {}) {
  const logs = [];
  const values = opts.kvs ?? {};
  const kvsMisses = [];
  const ctx = vm.createContext(
    {
      console: Object.freeze({
        log(...args) {
          if (args.length !== 1) throw new Error('console.log takes exactly one argument in CloudFront Functions');
          logs.push(String(args[0]));
        },
      }),
      Buffer,
    },
    { codeGeneration: { strings: false, wasm: false } },
  );
  const counter = { n: 0 };
  if (opts.nowMs !== undefined) {
    vm.runInContext(`Date.now = function () { return ${Number(opts.nowMs)}; };`, ctx);
  }
  if (opts.countCharCodeAt) {
    ctx.__count = () => { counter.n += 1; };
    vm.runInContext(
      'var __cc = String.prototype.charCodeAt; String.prototype.charCodeAt = function (i) { __count(); return __cc.call(this, i); };',
      ctx,
    );
  }
  const kvsHandle = Object.freeze({
    async get(key, options) {
      const r = kvsLookup(values, opts.kvsFail, key, options?.format, kvsMisses);
      if (r.err) throw new Error(r.err);
      return r.ok;
    },
    async exists(key) {
      const r = kvsExists(values, opts.kvsFail, key);
      if (r.err) throw new Error(r.err);
      return r.ok;
    },
    async meta() {
      return { creationDateTime: '2024-01-01T00:00:00Z', lastUpdatedDateTime: '2024-01-01T00:00:00Z', keyCount: Object.keys(values).length };
    },
  });
  const modules = {
    crypto: new vm.SyntheticModule(['default'], function init() { this.setExport('default', cryptoModule()); }, { context: ctx, identifier: 'crypto' }),
    cloudfront: new vm.SyntheticModule(['default'], function init() { this.setExport('default', Object.freeze({ kvs: () => kvsHandle })); }, { context: ctx, identifier: 'cloudfront' }),
  };
  const mod = new vm.SourceTextModule(`${code}\nexport { handler };\n`, { context: ctx, identifier: 'cloudfront-function.js' });
  await mod.link((specifier) => {
    if (!ALLOWED_MODULES.includes(specifier)) throw new Error(`module '${specifier}' is not available in CloudFront Functions`);
    return modules[specifier];
  });
  await mod.evaluate({ timeout: 2000 });
  const handler = mod.namespace.handler;
  if (typeof handler !== 'function') throw new Error('the code defines no handler function');
  const result = await handler(structuredClone(event));
  return { result: JSON.parse(JSON.stringify(result)), logs, charCodeAtCalls: counter.n, kvsMisses };
}
