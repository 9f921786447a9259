// Bundling only (serverless.yml, custom.esbuild.alias): the `debug` package, which axios's proxy agent
// (https-proxy-agent, agent-base) logs through when DEBUG names it. Its loggers are off in the functions: this
// no-op stands in for it, without supports-color's terminal probing at import. Proxies still work.
interface Debugger {
  (...args: unknown[]): void;
  enabled: boolean;
  namespace: string;
  log: (...args: unknown[]) => void;
  extend: (namespace: string) => Debugger;
}

const createDebug = (namespace: string): Debugger =>
  Object.assign(() => undefined, {
    enabled: false,
    namespace,
    log: () => undefined,
    extend: (more: string) => createDebug(`${namespace}:${more}`),
  });

export default Object.assign(createDebug, {
  enable: () => undefined,
  disable: () => '',
  enabled: () => false,
  debug: createDebug,
});
