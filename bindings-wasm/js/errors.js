// The one error class of the package, shared by every entry point (`pocket-sign`,
// `pocket-sign/spa`, node and browsers), so `e instanceof PocketSignError` works whichever
// entry threw. The wasm code constructs it (wasm-bindgen `raw_module` import of this file).
export class PocketSignError extends Error {
  /**
   * @param {string} message one sentence for a person; never contains secrets
   * @param {string} kind stable machine-readable name (see the README's error table)
   * @param {string} domain where it comes from: input, spaToken, jwt, cloudfront, codegen, load
   */
  constructor(message, kind, domain) {
    super(message);
    this.kind = kind;
    this.domain = domain;
  }
}
Object.defineProperty(PocketSignError.prototype, 'name', {
  value: 'PocketSignError', writable: true, configurable: true,
});
