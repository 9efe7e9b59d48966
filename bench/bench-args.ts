/**
 * Command-line options of a bench script: node:util `parseArgs`, strict, with `--help`. A bad option
 * (unknown flag, missing value, a number that is not one) prints what is wrong and the usage and exits
 * 2 before the script touches anything; `--help` prints the usage and exits 0. `command` is the run's
 * full command line with every option's effective value, for the results file.
 *
 * ```ts
 * const args = benchArgs('sd-slim', { steps: '200', teacher: 'examples/sd-slim/teacher/model.json', resume: false });
 * const steps = args.integer('steps', 1);
 * ```
 */
import { parseArgs } from 'node:util';

/** The parsed options of one bench run. */
export interface BenchArgs {
  /** A string option's value (its default if not given). */
  string(name: string): string;
  /** A numeric option's value; exits 2 if it is not a finite number ≥ `min`. */
  number(name: string, min?: number): number;
  /** An integer option's value; exits 2 if it is not an integer ≥ `min`. */
  integer(name: string, min?: number): number;
  /** A string option that must be one of `allowed`; exits 2 otherwise. */
  choice<T extends string>(name: string, allowed: readonly T[]): T;
  /** A comma-separated option whose every item must be one of `allowed`; exits 2 otherwise. */
  list<T extends string>(name: string, allowed: readonly T[]): T[];
  /** A boolean flag: whether it was given. */
  flag(name: string): boolean;
  /** Exits 2 with `message` and the usage (for checks across options). */
  fail(message: string): never;
  /** `node bench/dist/<script>.js` with every option's effective value. */
  readonly command: string;
}

function usageOf(script: string, defaults: Readonly<Record<string, string | boolean>>): string {
  const options = Object.entries(defaults).map(([name, value]) => (typeof value === 'boolean' ? `[--${name}]` : `[--${name} ${value === '' ? '<value>' : value}]`));
  return `usage: pnpm exec tsc -b bench && node bench/dist/${script}.js ${options.join(' ')}`;
}

/** Exits 2 with `message` and the usage: a bad option is the user's input error, not a crash. */
function fail(script: string, defaults: Readonly<Record<string, string | boolean>>, message: string): never {
  console.error(`bench/${script}: ${message}\n${usageOf(script, defaults)}`);
  process.exit(2);
}

/** Parses `process.argv` against `defaults` (a string default: a valued option; a boolean: a flag). */
export function benchArgs(script: string, defaults: Readonly<Record<string, string | boolean>>, argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const options = Object.fromEntries([
    ...Object.entries(defaults).map(([name, value]) => [name, typeof value === 'boolean' ? { type: 'boolean' as const } : { type: 'string' as const, default: value }]),
    ['help', { type: 'boolean' as const }],
  ]);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    fail(script, defaults, (error as Error).message);
  }
  if (values['help'] === true) {
    console.log(usageOf(script, defaults));
    process.exit(0);
  }
  const string = (name: string): string => {
    const value = values[name];
    if (typeof value !== 'string') throw new Error(`bench/${script}: --${name} is not a declared valued option`);
    return value;
  };
  const number = (name: string, min = -Infinity): number => {
    const value = Number(string(name));
    if (string(name).trim() === '' || !Number.isFinite(value) || value < min) fail(script, defaults, `--${name} must be a number${min > -Infinity ? ` ≥ ${min}` : ''}, got "${string(name)}"`);
    return value;
  };
  const integer = (name: string, min = -Infinity): number => {
    const value = number(name, min);
    if (!Number.isInteger(value)) fail(script, defaults, `--${name} must be an integer, got "${string(name)}"`);
    return value;
  };
  const choice = <T extends string>(name: string, allowed: readonly T[]): T => {
    const value = string(name);
    if (!(allowed as readonly string[]).includes(value)) fail(script, defaults, `--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  };
  const list = <T extends string>(name: string, allowed: readonly T[]): T[] => {
    const items = string(name).split(',').map((item) => item.trim());
    const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
    if (unknown.length > 0) fail(script, defaults, `--${name}: unknown ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${allowed.join(', ')})`);
    return items as T[];
  };
  const flag = (name: string): boolean => values[name] === true;
  const command = [`node bench/dist/${script}.js`, ...Object.entries(defaults).flatMap(([name, value]) => (typeof value === 'boolean' ? (flag(name) ? [`--${name}`] : []) : [`--${name} ${string(name)}`]))].join(' ');
  return { string, number, integer, choice, list, flag, fail: (message: string) => fail(script, defaults, message), command };
}
