import type { ErrorObject } from 'ajv';
import type { ConfigIssue } from './config-error.js';
import { didYouMean } from './did-you-mean.js';

/**
 * Turns ajv's errors into one readable issue each, rooted at `basePath` (a JSON pointer).
 * Needs ajv's `verbose` option (for `data` and `parentSchema`).
 */
export function formatAjvErrors(errors: readonly ErrorObject[], basePath = ''): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const issue = formatOne(error, basePath);
    if (issue === undefined) continue;
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function formatOne(error: ErrorObject, basePath: string): ConfigIssue | undefined {
  const path = basePath + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, message: `missing required property "${String(params['missingProperty'])}"` };
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const known = Object.keys((error.parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {});
      const valid = known.length > 0 ? ` Valid properties: ${known.join(', ')}.` : '';
      return { path: `${path}/${name}`, message: `unknown property "${name}".${didYouMean(name, known)}${valid}` };
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v));
      const got = error.data;
      const hint = typeof got === 'string' ? didYouMean(got, (params['allowedValues'] as unknown[]).map(String)) : '';
      return { path, message: `must be one of ${allowed.join(', ')}; got ${JSON.stringify(got)}.${hint}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params['allowedValue'])}; got ${JSON.stringify(error.data)}` };
    case 'type':
      return { path, message: `must be ${String(params['type'])}; got ${describe(error.data)}` };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      // The branch errors that accompany these say what is wrong more precisely.
      return undefined;
    default:
      return { path, message: `${error.message ?? 'is invalid'}; got ${describe(error.data)}` };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
