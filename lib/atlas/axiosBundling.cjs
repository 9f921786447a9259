// esbuild plugin of the function bundles (serverless.yml, custom.esbuild.plugins): what of axios the Atlas client
// never uses and an alias cannot leave out, because axios reaches it by a relative import or a Node built-in.
// Each replacement costs cold-start time otherwise (measured with bench/coldStart.ts; README, Performance):
// - axios/lib/adapters/fetch.js probes Node's fetch classes at import, which loads Node's bundled undici
//   (15-20 ms): replaced by lib/atlas/fetchAdapterUnused.ts (the client sets adapter: 'http');
// - axios/lib/utils.js reads globalThis.FormData at import (it also loads undici), only to recognise FormData
//   bodies by class: it recognises them by their tag as well (isFormData), and the client sends JSON only, so the
//   lookup is dropped; the build fails if an axios upgrade changes that line;
// - node:http2, imported by the http adapter for httpVersion 2 (~3 ms): lib/atlas/http2Unused.ts;
// - axios/lib/adapters/xhr.js, which is `false` without XMLHttpRequest (Node): lib/atlas/xhrAdapterUnused.ts.
// form-data, follow-redirects and debug are left out by custom.esbuild.alias.
const { readFile } = require('node:fs/promises');
const { join } = require('node:path');

const AXIOS_LIB = /[\\/]node_modules[\\/]axios[\\/]lib[\\/]/;
const FORM_DATA_LOOKUP = "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;";

const axiosNodeHttpOnly = {
  name: 'axios-node-http-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/fetch\.js$/ }, (args) =>
      AXIOS_LIB.test(args.importer) ? { path: join(__dirname, 'fetchAdapterUnused.ts') } : undefined,
    );
    build.onResolve({ filter: /^\.\/xhr\.js$/ }, (args) =>
      AXIOS_LIB.test(args.importer) ? { path: join(__dirname, 'xhrAdapterUnused.ts') } : undefined,
    );
    build.onResolve({ filter: /^(node:)?http2$/ }, (args) =>
      AXIOS_LIB.test(args.importer) ? { path: join(__dirname, 'http2Unused.ts') } : undefined,
    );
    build.onLoad({ filter: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]utils\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(FORM_DATA_LOOKUP)) {
        throw new Error(`axios changed: ${args.path} no longer holds "${FORM_DATA_LOOKUP}" (lib/atlas/axiosBundling.cjs)`);
      }
      return { contents: source.replace(FORM_DATA_LOOKUP, 'const FormDataCtor = undefined;'), loader: 'js' };
    });
  },
};

module.exports = [axiosNodeHttpOnly];
