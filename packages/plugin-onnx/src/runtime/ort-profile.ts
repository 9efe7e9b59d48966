import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeError } from '@whittle/kernel';
import type { OnnxExport } from '../export/export-onnx.js';
import { OrtSession, type OrtFeed } from './ort-session.js';

/** One event of ORT's JSON profile (Chrome trace format); only what is read here. */
interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly dur?: number;
}

/** What ORT's profiler saw of one model: each node's median kernel time and the runs' median (ms). */
export interface NodeProfile {
  /** Node name (as optimised: `conv1/Conv_nchwc`, `ReorderOutput` …) → median kernel time over the runs, ms. */
  readonly nodes: ReadonlyMap<string, number>;
  /** Median of the profiled `model_run` events, ms (profiling adds a little per node). */
  readonly runMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Runs an exported model `warmup + runs` times in ONNX Runtime with its profiler on and returns
 * each executed node's median kernel time over the last `runs` (the warm-up runs are dropped).
 * Nodes are ORT's after its optimisations: a Conv with the Add and Relu fused into it is one node,
 * named after the last of them. The trace is written to a temporary folder and removed.
 *
 * ```ts
 * const { nodes } = await profileNodes(exported, feeds, { warmup: 5, runs: 30, intraOpThreads: 1 });
 * ```
 */
export async function profileNodes(exported: OnnxExport, feeds: readonly OrtFeed[], options: { readonly warmup: number; readonly runs: number; readonly intraOpThreads: number }): Promise<NodeProfile> {
  const dir = await mkdtemp(join(tmpdir(), 'whittle-ort-profile-'));
  try {
    const session = await OrtSession.create(exported.bytes, exported, { intraOpThreads: options.intraOpThreads, profileFilePrefix: join(dir, 'profile') });
    try {
      for (let i = 0; i < options.warmup + options.runs; i++) await session.run(feeds);
      session.endProfiling();
    } finally {
      await session.release();
    }
    const file = (await readdir(dir)).find((name) => name.endsWith('.json'));
    if (file === undefined) throw runtimeError('ORT_PROFILE_MISSING', `ONNX Runtime wrote no profile into ${dir}`);
    const events = JSON.parse(await readFile(join(dir, file), 'utf8')) as TraceEvent[];
    const byNode = new Map<string, number[]>();
    const runs: number[] = [];
    for (const event of events) {
      if (event.dur === undefined || event.name === undefined) continue;
      if (event.cat === 'Session' && event.name === 'model_run') runs.push(event.dur / 1000);
      if (event.cat === 'Node' && event.name.endsWith('_kernel_time')) {
        const node = event.name.slice(0, -'_kernel_time'.length);
        byNode.set(node, [...(byNode.get(node) ?? []), event.dur / 1000]);
      }
    }
    // The first `warmup` runs of every node are dropped.
    const nodes = new Map([...byNode].map(([name, times]) => [name, median(times.slice(Math.min(options.warmup, Math.max(0, times.length - 1))))]));
    return { nodes, runMs: median(runs.slice(Math.min(options.warmup, Math.max(0, runs.length - 1)))) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
