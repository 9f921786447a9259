// The stand-ins the function bundles use for what of axios the Atlas client never uses (serverless.yml
// custom.esbuild alias and plugins): harmless when imported, as axios imports them, and a clear error if reached.
import { describe, expect, it } from 'vitest';
import debug from '../../../lib/atlas/debugUnused.js';
import fetchAdapter, { getFetch } from '../../../lib/atlas/fetchAdapterUnused.js';
import followRedirects from '../../../lib/atlas/followRedirectsUnused.js';
import http2 from '../../../lib/atlas/http2Unused.js';
import xhrAdapter from '../../../lib/atlas/xhrAdapterUnused.js';

describe('bundling stand-ins for axios', () => {
  it('follow-redirects: axios reads http and https off it; a request through them says why it fails', () => {
    const { http, https } = followRedirects;
    expect(() => http.request()).toThrow(/follows no redirects \(maxRedirects: 0\)/);
    expect(() => https.get()).toThrow(/follow-redirects is not bundled/);
  });

  it('node:http2: any use says the client speaks HTTP/1.1', () => {
    expect(() => http2.constants).toThrow(/speaks HTTP\/1\.1: node:http2 is not bundled \(http2\.constants\)/);
    expect(() => (http2.connect as () => void)()).toThrow(/http2\.connect/);
  });

  it('the fetch adapter: never chosen (adapter: http), and says so if it were', () => {
    expect(() => getFetch()).toThrow(/http adapter: the fetch adapter is not bundled/);
    expect(() => fetchAdapter()).toThrow(/not bundled/);
  });

  it('the XMLHttpRequest adapter is false, as axios evaluates it where XMLHttpRequest does not exist', () => {
    expect(xhrAdapter).toBe(false);
  });

  it('debug: loggers that do nothing, with the API the proxy agent uses', () => {
    const log = debug('https-proxy-agent:agent');
    expect(log('connecting %s', 'x')).toBeUndefined();
    expect(log.enabled).toBe(false);
    expect(log.extend('more').namespace).toBe('https-proxy-agent:agent:more');
  });
});
