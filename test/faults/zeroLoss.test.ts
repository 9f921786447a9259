// `npm test` runs 1,000 events; `npm run test:faults` runs the full 10,000 (FAULT_EVENTS=10000).
import { describe, expect, it } from 'vitest';
import { runFaultScenario } from './runFaultScenario.js';

const EVENTS = Number(process.env.FAULT_EVENTS ?? 1000);

describe('Fault test: zero loss under Atlas failures', () => {
  it(`ends with Atlas equal to a fault-free in-order run after ${EVENTS} shuffled, duplicated events and 30% failed writes`, async () => {
    const report = await runFaultScenario(EVENTS);
    console.log(`fault test: ${JSON.stringify({ ...report, differences: report.differences.length }, null, 2)}`);
    expect(report.differences.slice(0, 5)).toEqual([]);
    expect(report.duplicatedEntities).toEqual([]);
    expect(Object.values(report.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(EVENTS / 20);
  }, 900_000);
});
