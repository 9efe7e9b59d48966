/**
 * Does pruning buy latency? For ResNet-20, ResNet-56 and the zoo's MobileNetV2-style network at
 * 30/50/70% uniform L1 pruning, prints the MACs ratio and the measured latency ratio (dense ÷ pruned)
 * on the active backend, all in one run so the ratios share the machine's state. Dense and pruned
 * models are measured round-robin in three windows; the lowest median of each is kept.
 *
 *   pnpm tsc -b bench && node bench/dist/prune-speedup.js [--backend wasm] [--runs 30] [--batch 1,32]
 *
 * Random (seeded) weights: latency does not depend on training. Read-back included.
 */
import * as tf from '@tensorflow/tfjs';
import { dependencyGroups, totalMacs } from '@whittle/graph';
import { runStage, selectBackend, type BackendPreference, type ScoreTable } from '@whittle/kernel';
import { steadyLatency, countParams } from '@whittle/metrics';
import { L1NormScore, UniformPrune } from '@whittle/plugin-baselines';
import { buildMobileNetV2Style, buildResNet } from '@whittle/zoo';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    runs: { type: 'string', default: '30' },
    batch: { type: 'string', default: '1,32' },
    ratios: { type: 'string', default: '0.3,0.5,0.7' },
  },
});

const INPUT: [number, number, number] = [32, 32, 3];
const MODELS: { name: string; build: () => tf.LayersModel }[] = [
  { name: 'ResNet-20', build: () => buildResNet({ depth: 20, inputShape: INPUT, numClasses: 10, width: 16, seed: 1 }) },
  { name: 'ResNet-56', build: () => buildResNet({ depth: 56, inputShape: INPUT, numClasses: 10, width: 16, seed: 1 }) },
  { name: 'MobileNetV2-style', build: () => buildMobileNetV2Style({ inputShape: INPUT, numClasses: 10, alpha: 1, seed: 1 }) },
];

async function main(): Promise<void> {
  const backend = await selectBackend(args.backend as BackendPreference);
  const runs = Number(args.runs);
  const batches = args.batch.split(',').map(Number);
  const ratios = args.ratios.split(',').map(Number);
  console.log(`# bench/prune-speedup — ${new Date().toISOString()}`);
  console.log(`# command: node bench/dist/prune-speedup.js ${process.argv.slice(2).join(' ')}`.trimEnd());
  console.log(`# ${backend.summary}; node ${process.version}; input ${INPUT.join('×')}; lowest of 3 round-robin windows of the median of ${runs} runs (bs 1; a third of that at larger batches); random seeded weights`);
  console.log('| model | pruned | groups pruned | params | MACs ratio | ' + batches.map((b) => `latency ms bs${b} (dense → pruned) | latency ratio bs${b}`).join(' | ') + ' |');
  console.log('|---|---|---|---|---|' + batches.map(() => '---|---').join('|') + '|');
  for (const { name, build } of MODELS) {
    const dense = build();
    const { value: scores } = await runStage<ScoreTable>(L1NormScore, { model: dense });
    for (const ratio of ratios) {
      const { value: pruned } = await runStage(UniformPrune, { model: dense, scores, options: { ratio } });
      const cells: string[] = [];
      for (const batchSize of batches) {
        const batchRuns = batchSize > 1 ? Math.max(5, Math.round(runs / 3)) : runs;
        const [a, b] = (await steadyLatency([dense, pruned], { batchSize, runs: batchRuns, warmup: batchSize > 1 ? 3 : 20 })) as [number, number];
        cells.push(`${a.toFixed(2)} → ${b.toFixed(2)}`, `${(a / b).toFixed(2)}×`);
      }
      const prunable = dependencyGroups(dense).filter((g) => g.prunable).length;
      console.log(
        `| ${name} | ${Math.round(ratio * 100)}% | ${prunable} | ${countParams(dense).toLocaleString('en-US')} → ${countParams(pruned).toLocaleString('en-US')} | ` +
          `${(totalMacs(dense) / totalMacs(pruned)).toFixed(2)}× | ${cells.join(' | ')} |`,
      );
      pruned.dispose();
    }
    dense.dispose();
  }
}

await main();
