// Bundling only (serverless.yml, custom.esbuild.alias): axios's Node adapter imports follow-redirects (and with it
// the debug package) for requests that may follow redirects. The Atlas client sets maxRedirects: 0, for which the
// adapter uses node:http and node:https directly, so this stands in for it. axios reads `http` and `https` off it
// when it is imported; a request through them would be a bug of the client's configuration, and says so.
const unused = (): never => {
  throw new Error('the Atlas client follows no redirects (maxRedirects: 0): follow-redirects is not bundled');
};
const transport = { request: unused, get: unused };

export default { http: transport, https: transport };
