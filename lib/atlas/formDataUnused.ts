// Bundling only (serverless.yml, custom.esbuild.alias): axios's Node build imports form-data, and with it
// mime-db (about 170 KB minified), for multipart bodies. The Atlas client only ever sends JSON.
export default class FormDataUnused {
  constructor() {
    throw new Error('the Atlas client sends JSON only; multipart bodies are not bundled');
  }
}
