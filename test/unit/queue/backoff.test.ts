import { describe, expect, it } from 'vitest';
import { backoffSeconds, DEFAULT_BACKOFF } from '../../../lib/queue/backoff.js';

const low = () => 0;
const high = () => 0.999_999;

describe('backoffSeconds', () => {
  it('doubles the delay with each receive, jittered between half and all of it', () => {
    expect(backoffSeconds(1, undefined, DEFAULT_BACKOFF, high)).toBe(5);
    expect(backoffSeconds(1, undefined, DEFAULT_BACKOFF, low)).toBe(3);
    expect(backoffSeconds(3, undefined, DEFAULT_BACKOFF, high)).toBe(20);
    expect(backoffSeconds(3, undefined, DEFAULT_BACKOFF, low)).toBe(10);
  });

  it('never exceeds the policy maximum however many receives', () => {
    expect(backoffSeconds(40, undefined, DEFAULT_BACKOFF, high)).toBe(900);
    expect(backoffSeconds(40, undefined, { baseSeconds: 5, maxSeconds: 60 }, high)).toBe(60);
  });

  it('waits at least what Retry-After asked, rounded up to whole seconds, but not past the maximum', () => {
    expect(backoffSeconds(1, 42_100, DEFAULT_BACKOFF, low)).toBe(43);
    expect(backoffSeconds(1, 5_000_000, DEFAULT_BACKOFF, low)).toBe(900);
  });

  it('treats a receive count of zero like the first receive and waits at least one second', () => {
    expect(backoffSeconds(0, undefined, DEFAULT_BACKOFF, high)).toBe(5);
    expect(backoffSeconds(1, undefined, { baseSeconds: 0, maxSeconds: 10 }, low)).toBe(1);
  });
});
