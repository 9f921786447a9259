// Bundling only (lib/atlas/axiosBundling.cjs): axios's XMLHttpRequest adapter is `false` wherever XMLHttpRequest
// does not exist, as in Node and Lambda, and axios then skips it; this module is that value without the adapter.
export default false;
