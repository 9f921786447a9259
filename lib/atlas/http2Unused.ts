// Bundling only (lib/atlas/axiosBundling.cjs, a plugin of serverless.yml custom.esbuild): stands in for node:http2
// where axios imports it (its http adapter and Http2Sessions), which costs ~3 ms of every cold start. The Atlas
// client speaks HTTP/1.1 (axios's default httpVersion 1): axios touches http2 only for httpVersion 2.
export default new Proxy({} as Record<string, unknown>, {
  get(_target, property) {
    if (typeof property === 'symbol') return undefined;
    throw new Error(`the Atlas client speaks HTTP/1.1: node:http2 is not bundled (http2.${property})`);
  },
});
