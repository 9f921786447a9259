// Bundling only (lib/atlas/axiosBundling.cjs, a plugin of serverless.yml custom.esbuild): stands in for axios's
// fetch adapter (axios/lib/adapters/fetch.js). That module probes Node's fetch classes (Request, Response,
// ReadableStream) when it is imported, which loads Node's bundled undici: about 15-20 ms of every cold start. The
// Atlas client uses the http adapter (adapter: 'http' in lib/atlas/client.ts), so the fetch adapter is never chosen.
const unused = (): never => {
  throw new Error("the Atlas client uses axios's http adapter: the fetch adapter is not bundled");
};

export const getFetch = unused;
export default unused;
