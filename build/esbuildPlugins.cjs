// The esbuild plugins of the function bundles: serverless-esbuild requires this file (serverless.yml,
// custom.esbuild.plugins), and so do the bench and the bundle tests (bench/coldStart.ts, loadEsbuildPlugins).
const { axiosStandIns } = require('./axiosStandIns.cjs');

module.exports = [axiosStandIns];
