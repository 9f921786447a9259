// One readable text for the result of registerTypes, shared by `npm start` and `flink-atlas register-types`.
import type { TypeRegistrationReport } from '../lib/atlas/index.js';

const list = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

export const formatTypeReport = (report: TypeRegistrationReport): string =>
  [
    `  created:          ${list(report.created)}`,
    `  updated:          ${list(report.updated)}${report.addedAttributes.length > 0 ? ` (added ${report.addedAttributes.join(', ')})` : ''}`,
    `  already in Atlas: ${list(report.unchanged)}`,
    ...(report.conflicts.length > 0 ? [`  CONFLICTS:        ${report.conflicts.join('; ')}`] : []),
  ].join('\n');
