// The bench's arithmetic and its table: percentiles, ratios against a baseline, budget verdicts.
// Pure functions, unit-tested in test/bench/stats.test.ts.

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for no samples. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const sum = (samples: readonly number[]): number => samples.reduce((total, x) => total + x, 0);

export const max = (samples: readonly number[]): number => (samples.length === 0 ? Number.NaN : Math.max(...samples));

export const mean = (samples: readonly number[]): number => (samples.length === 0 ? Number.NaN : sum(samples) / samples.length);

/** value / baseline; NaN when the baseline is 0 or not a number, so no figure is ever divided by nothing silently. */
export const ratio = (value: number, baseline: number): number =>
  Number.isFinite(value) && Number.isFinite(baseline) && baseline !== 0 ? value / baseline : Number.NaN;

/** "0.42×", "12.3×", "1,234×"; "n/a" for NaN. Three significant digits below 100. */
export const formatRatio = (r: number): string => {
  if (!Number.isFinite(r)) return 'n/a';
  if (Math.abs(r) >= 100) return `${Math.round(r).toLocaleString('en-US')}×`;
  return `${Number(r.toPrecision(3)).toString()}×`;
};

/** A number for the table: thousands separators, at most `digits` decimals (trailing zeros dropped). */
export const formatNumber = (value: number, digits = 2): string => {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
};

export const formatBytes = (bytes: number): string => {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
};

/** A budget on a figure: `max` (the figure must not exceed it) or `min` (it must reach it). */
export interface Budget {
  /** What the budget is checked on: the figure itself or its ratio to the baseline. */
  on: 'value' | 'ratio';
  max?: number;
  min?: number;
  /** How it reads in the table, e.g. "≤ 50 ms" or "≥ 0.33×". */
  text: string;
  /**
   * The short CI run fails when this budget is missed (Atlas calls, leaks: they do not depend on the machine).
   * Timing and size budgets are reported there and fail only the full run.
   */
  gatesCi: boolean;
}

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** value / baseline. */
  ratio: number;
  budget?: Budget;
  /** Undefined when there is no budget. */
  pass?: boolean;
  note?: string;
}

export const meetsBudget = (budget: Budget, value: number, r: number): boolean => {
  const x = budget.on === 'value' ? value : r;
  if (!Number.isFinite(x)) return false;
  if (budget.max !== undefined && x > budget.max) return false;
  if (budget.min !== undefined && x < budget.min) return false;
  return true;
};

export const figure = (f: Omit<Figure, 'ratio' | 'pass'>): Figure => {
  const r = ratio(f.value, f.baseline);
  return { ...f, ratio: r, ...(f.budget === undefined ? {} : { pass: meetsBudget(f.budget, f.value, r) }) };
};

const formatValue = (value: number, unit: string): string => {
  if (unit === 'bytes') return formatBytes(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${formatNumber(value, digits)} ${unit}`.trim();
};

/** The figures as a Markdown table (also readable in a terminal). */
export const renderTable = (figures: readonly Figure[]): string => {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    formatValue(f.value, f.unit),
    `${f.baselineName}: ${formatValue(f.baseline, f.unit)}`,
    formatRatio(f.ratio),
    f.budget === undefined ? '' : `${f.budget.text} ${f.pass ? 'met' : '**MISSED**'}`,
  ]);
  const header = ['#', 'Figure', 'Value', 'Baseline (same run)', 'Ratio', 'Budget'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};
