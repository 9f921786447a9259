// Small text helpers shared by the commands' outputs.

/** A plain-text table: columns as wide as their widest cell (at most 60 characters, longer cells cut with …). */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: readonly string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

/** `key=value` pairs, strings bare unless they hold blanks, other values as JSON; epoch-ms `*Time` values also as ISO. */
export const keyValues = (attributes: Readonly<Record<string, unknown>>): string[] =>
  Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => {
      if (typeof value === 'string') return `${key}=${/[\s"]/.test(value) || value === '' ? JSON.stringify(value) : value}`;
      if (typeof value === 'number' && /Time$/.test(key) && value > 0 && value < 8.64e15) return `${key}=${new Date(value).toISOString()}`;
      return `${key}=${JSON.stringify(value)}`;
    });

/** Joins items into lines of at most `width` characters, each prefixed with `indent`. */
export const wrap = (items: readonly string[], indent: string, width = 110): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line !== '' && indent.length + line.length + 1 + item.length > width) {
      lines.push(indent + line);
      line = item;
    } else {
      line = line === '' ? item : `${line} ${item}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
};

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
