import { closest } from '../config/did-you-mean.js';
import { inputError, type WhittleError } from '../errors/whittle-error.js';

export interface Registered<T> {
  readonly value: T;
  /** The package that provided it. */
  readonly from: string;
}

/** What a `Providers` holds, for its errors: `latency model`, code `LATENCY_MODEL_UNKNOWN`, and how to fix a miss. */
export interface ProviderKind {
  /** The noun in messages, e.g. `latency model`, `metric`. */
  readonly noun: string;
  /** The code of the error `get` throws for a name nobody registered, e.g. `LATENCY_MODEL_UNKNOWN`. */
  readonly unknownCode: string;
  /** The fix shown under that error when the caller gives none. */
  readonly hint: string;
  /** Where the packages come from, in messages: `loaded` (a run's) or `installed` (the CLI's). Default `loaded`. */
  readonly packages?: 'loaded' | 'installed';
}

/** Context a caller adds to the error of a miss. */
export interface ProviderLookup {
  /** Why the caller needs it, shown in parentheses: `task "classification" measures it`. */
  readonly why?: string;
  /** A fix more specific than the kind's own. */
  readonly hint?: string;
}

/**
 * The named providers of one kind the loaded packages registered (latency models, metrics, tasks,
 * data providers, model builders, custom layers), with one way to look them up. Registered in
 * every run's DI container by token (`LATENCY_MODELS`, `METRICS`, …) and read by the kernel and the
 * CLI from `PluginRegistry`. `get` of a name nobody registered throws a `WhittleError` (exit 2)
 * naming the kind, the name, the closest registered name and all of them.
 *
 * ```ts
 * constructor(@inject(LATENCY_MODELS) private readonly latencyModels: Providers<LatencyModel>) {}
 * this.latencyModels.get('tfjs-profilr');
 * // WhittleError LATENCY_MODEL_UNKNOWN: no loaded package provides latency model "tfjs-profilr" (did you mean "tfjs-profiler"?); registered: tfjs-profiler
 * ```
 */
export class Providers<T> {
  constructor(
    readonly kind: ProviderKind,
    private readonly byName: ReadonlyMap<string, Registered<T>>,
  ) {}

  /** The provider registered under `name`; a `WhittleError` (`kind.unknownCode`) when there is none. */
  get(name: string, lookup: ProviderLookup = {}): T {
    const found = this.byName.get(name);
    if (found === undefined) throw this.unknown(name, lookup);
    return found.value;
  }

  /** The provider and the package it came from, or undefined. */
  entry(name: string): Registered<T> | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The registered names, in load order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Every provider with its package, in load order. */
  entries(): Registered<T>[] {
    return [...this.byName.values()];
  }

  /** `no loaded package provides latency model "x" (did you mean "y"?); registered: a, b`: the message of a miss. */
  unknownMessage(name: string, why?: string): string {
    const names = this.names();
    const near = closest(name, names);
    return `no ${this.kind.packages ?? 'loaded'} package provides ${this.kind.noun} "${name}"${why === undefined ? '' : ` (${why})`}` +
      `${near === undefined ? '' : ` (did you mean "${near}"?)`}; registered: ${names.join(', ') || 'none'}`;
  }

  /** The error `get` throws for `name`. */
  unknown(name: string, lookup: ProviderLookup = {}): WhittleError {
    return inputError(this.kind.unknownCode, this.unknownMessage(name, lookup.why), lookup.hint ?? this.kind.hint);
  }
}
