/**
 * Graph-surgery benchmark: time to analyse a model's dependency groups and to physically prune 30%
 * of every prunable group (lowest-L1 channels), for ResNet-56 (CIFAR, 32×32) and a Keras-converted
 * MobileNetV2 (224×224). Targets: ResNet-56 < 1 s, MobileNetV2 < 5 s.
 *
 *   pnpm tsc -b bench && node bench/dist/graph-surgery.js [--runs 5]
 *
 * Median of N runs on the wasm backend (one warm-up run first). "analysis" is dependencyGroups();
 * "surgery" is pruneChannels() (topology edit, weight slicing, serialisation, tf.loadLayersModel).
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@whittle/engine';
import { countParams } from '@whittle/metrics';
import { dependencyGroups, magnitudeImportance, pruneChannels, pruningPlan, type DependencyGroup } from '@whittle/graph';
import { buildResNet, kerasMobileNetV2Artifacts } from '@whittle/zoo';

interface Case {
  name: string;
  target: number;
  load: () => Promise<tf.LayersModel>;
}

const CASES: Case[] = [
  { name: 'ResNet-56 (zoo, 32×32×3, width 16)', target: 1000, load: async () => buildResNet({ depth: 56, inputShape: [32, 32, 3], numClasses: 10, seed: 1 }) },
  { name: 'MobileNetV2 (Keras-converted, 224×224×3)', target: 5000, load: async () => tf.loadLayersModel(tf.io.fromMemory(kerasMobileNetV2Artifacts(0))) },
];

/** Per prunable group, the `ratio` share of channels with the lowest L1 norm over the group's producers. */
async function l1Plan(model: tf.LayersModel, groups: readonly DependencyGroup[], ratio: number): Promise<Map<string, number[]>> {
  const prunable = groups.filter((g) => g.prunable);
  const scores = await magnitudeImportance(model, prunable, { norm: 'l1' });
  return pruningPlan(scores, { kind: 'widths', widths: new Map(prunable.map((g) => [g.id, g.channels - Math.floor(ratio * g.channels)])) }).plan;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
  const backend = await selectBackend('wasm');
  console.log(`graph surgery benchmark — ${backend.summary}; median of ${runs} runs after 1 warm-up`);
  console.log(`command: pnpm tsc -b bench && node bench/dist/graph-surgery.js --runs ${runs}\n`);
  const rows: string[][] = [['model', 'layers', 'groups (prunable)', 'params before → after', 'analysis ms', 'surgery ms', 'total ms', 'target ms', 'ok']];
  for (const c of CASES) {
    const model = await c.load();
    const analysis: number[] = [];
    const surgery: number[] = [];
    let groups: DependencyGroup[] = [];
    let after = 0;
    for (let run = 0; run <= runs; run++) {
      const t0 = performance.now();
      groups = dependencyGroups(model);
      const t1 = performance.now();
      const plan = await l1Plan(model, groups, 0.3); // scoring is not graph work: not timed
      const t2 = performance.now();
      const pruned = await pruneChannels(model, plan);
      const t3 = performance.now();
      after = countParams(pruned);
      pruned.dispose();
      if (run === 0) continue;
      analysis.push(t1 - t0);
      surgery.push(t3 - t2);
    }
    const total = median(analysis) + median(surgery);
    rows.push([
      c.name, String(model.layers.length), `${groups.length} (${groups.filter((g) => g.prunable).length})`,
      `${countParams(model).toLocaleString('en')} → ${after.toLocaleString('en')}`,
      median(analysis).toFixed(0), median(surgery).toFixed(0), total.toFixed(0), String(c.target), total < c.target ? 'yes' : 'NO',
    ]);
    model.dispose();
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}

await main();
