import { describe, expect, it } from 'vitest';
import { AUTH_VARIABLES, describePolicy, HTTP_ROUTES, parseAuthPolicy } from '../../../lib/security/authPolicy.js';

describe('parseAuthPolicy', () => {
  it('parses one mode, both, or an explicit none, case and spacing aside', () => {
    expect(parseAuthPolicy('signature')).toEqual({ kind: 'required', modes: ['signature'] });
    expect(parseAuthPolicy('API-KEY')).toEqual({ kind: 'required', modes: ['api-key'] });
    expect(parseAuthPolicy('signature,api-key')).toEqual({ kind: 'required', modes: ['signature', 'api-key'] });
    expect(parseAuthPolicy(' signature | api-key ')).toEqual({ kind: 'required', modes: ['signature', 'api-key'] });
    expect(parseAuthPolicy('signature,signature')).toEqual({ kind: 'required', modes: ['signature'] });
    expect(parseAuthPolicy('None')).toEqual({ kind: 'none' });
  });

  it('refuses anything else, saying what it got', () => {
    expect(parseAuthPolicy('hmac')).toBe('must be signature, api-key, signature,api-key or none (got "hmac")');
    expect(parseAuthPolicy(' ')).toBe('must be signature, api-key, signature,api-key or none (got nothing)');
    expect(parseAuthPolicy('none,signature')).toMatch(/got "none"/);
    expect(typeof parseAuthPolicy('off')).toBe('string');
  });
});

describe('describePolicy', () => {
  it('writes a policy back as it is configured', () => {
    expect(describePolicy({ kind: 'none' })).toBe('none');
    expect(describePolicy({ kind: 'required', modes: ['signature', 'api-key'] })).toBe('signature,api-key');
  });
});

describe('AUTH_VARIABLES', () => {
  it('names one distinct variable per HTTP route', () => {
    const variables = HTTP_ROUTES.map((route) => AUTH_VARIABLES[route]);
    expect(variables).toEqual(['AUTH_FLINK_EVENTS', 'AUTH_OPENLINEAGE', 'AUTH_FLINK_JOBS']);
  });
});
