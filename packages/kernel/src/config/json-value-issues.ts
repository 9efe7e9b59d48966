import type { ConfigIssue } from './config-error.js';

/** Nesting deeper than this is refused: no pipeline needs it, and the validator recurses. */
export const MAX_PIPELINE_DEPTH = 100;

function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * What JSON Schema validation cannot see or would crash on, found without recursion: numbers that
 * are not finite (`JSON.parse` reads `1e400` as Infinity, which a `"type": "number"` accepts) and
 * nesting deeper than `maxDepth` (a 200,000-deep array overflows the stack of any recursive walk).
 * Each issue carries the JSON pointer of the value.
 *
 * ```ts
 * jsonValueIssues(JSON.parse('{"epochs": 1e400}')); // [{ path: '/epochs', message: 'must be a finite number; …' }]
 * ```
 */
export function jsonValueIssues(value: unknown, maxDepth = MAX_PIPELINE_DEPTH): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value: v, path, depth } = next;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      issues.push({ path, message: `must be a finite number; got ${String(v)} (a number too large for a float, such as 1e400, reads as Infinity)` });
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) {
      const segments = path.split('/').slice(1);
      const shown = segments.length > 12 ? `/${segments.slice(0, 12).join('/')}/…` : path;
      return [...issues, { path: shown, message: `nested more than ${maxDepth} levels deep; a pipeline needs far fewer, so the file is refused before it is validated` }];
    }
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    // Pushed in reverse so that issues come out in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i] as [string | number, unknown];
      stack.push({ value: item, path: `${path}/${pointerSegment(key)}`, depth: depth + 1 });
    }
  }
  return issues;
}
