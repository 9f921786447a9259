import { describe, expect, it } from 'vitest';
import { answerValueOf, jsonResponse } from '../../../lib/http/responses.js';

describe('answerValueOf', () => {
  it('gives back the value jsonResponse serialized, without parsing the body again', () => {
    const value = { summary: { written: 1 }, results: [{ index: 0, outcome: 'written' }] };
    const response = jsonResponse(200, value);
    expect(answerValueOf(response)).toBe(value);
    expect(JSON.parse(String(response.body))).toEqual(value);
  });

  it('parses the body of an answer built elsewhere (a replayed answer is a copy)', () => {
    const response = { ...jsonResponse(200, { skipped: true }) };
    expect(answerValueOf(response)).toEqual({ skipped: true });
  });

  it('is undefined for a body that is not JSON', () => {
    expect(answerValueOf({ statusCode: 500, body: 'Internal Server Error' })).toBeUndefined();
  });
});
