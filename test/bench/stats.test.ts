// The bench's own arithmetic (bench/lib/stats.ts): percentiles, ratios and budget verdicts.
import { describe, expect, it } from 'vitest';
import {
  figure, formatBytes, formatNumber, formatRatio, meetsBudget, median, percentile, ratio, renderTable,
} from '../../bench/lib/stats.js';

describe('percentile', () => {
  it('is the nearest rank of the sorted samples, whatever their order', () => {
    const samples = [15, 20, 35, 40, 50];
    expect(percentile(samples, 30)).toBe(20);
    expect(percentile(samples, 40)).toBe(20);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 100)).toBe(50);
    expect(percentile([50, 40, 35, 20, 15], 0)).toBe(15);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('gives p99 of 100 samples as the 99th smallest, and p99 of 10 as the largest', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  });

  it('is NaN without samples and refuses percentiles outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder the caller\'s array', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('ratio and formatting', () => {
  it('divides by the baseline, and is NaN on a zero or missing baseline', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
  });

  it('formats ratios with three significant digits, large ones whole', () => {
    expect(formatRatio(0.3333333)).toBe('0.333×');
    expect(formatRatio(0.046)).toBe('0.046×');
    expect(formatRatio(21.24)).toBe('21.2×');
    expect(formatRatio(4252.4)).toBe('4,252×');
    expect(formatRatio(Number.NaN)).toBe('n/a');
  });

  it('formats numbers and bytes', () => {
    expect(formatNumber(1234.5678)).toBe('1,234.57');
    expect(formatNumber(2, 2)).toBe('2');
    expect(formatBytes(189)).toBe('189 B');
    expect(formatBytes(256_000)).toBe('250 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MB');
  });
});

describe('budgets', () => {
  it('checks a maximum on the value and a minimum on the ratio', () => {
    expect(meetsBudget({ on: 'value', max: 50, text: '', gatesCi: false }, 50, 7)).toBe(true);
    expect(meetsBudget({ on: 'value', max: 50, text: '', gatesCi: false }, 50.1, 7)).toBe(false);
    expect(meetsBudget({ on: 'ratio', min: 1 / 3, text: '', gatesCi: false }, 1, 0.34)).toBe(true);
    expect(meetsBudget({ on: 'ratio', min: 1 / 3, text: '', gatesCi: false }, 1, 0.33)).toBe(false);
    expect(meetsBudget({ on: 'ratio', min: 1, text: '', gatesCi: false }, 1, Number.NaN)).toBe(false);
  });

  it('builds figures with their ratio and verdict, and renders them as a table', () => {
    const f = figure({
      section: '1', name: 'throughput', value: 10, unit: 'events/s', baselineName: 'JSON', baseline: 40,
      budget: { on: 'ratio', min: 1 / 3, text: '≥ 0.33×', gatesCi: false },
    });
    expect(f.ratio).toBe(0.25);
    expect(f.pass).toBe(false);
    const g = figure({ section: '2', name: 'calls', value: 2, unit: 'calls', baselineName: 'per entity', baseline: 8 });
    expect(g.pass).toBeUndefined();
    const table = renderTable([f, g]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toContain('0.25×');
    expect(table[2]).toContain('**MISSED**');
    expect(table[3]).toContain('per entity: 8 calls');
  });
});
