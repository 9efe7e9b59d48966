/**
 * How far the latency predictor is from the measured latency of pruned models it did not see:
 * SP-LAMP knapsack picks (non-uniform widths, what a latency-budgeted pruner relies on), seeded
 * random widths, uniform widths between the fit points, and uniform cuts rounded to the channel (what
 * uniform L1 prunes to; off the table's multiples of 8, so priced by interpolation). Compares the fitted predictor
 * (model ≈ scale × Σ table + constant, fitted on whole models at 100/75/50/25 % width) with the same
 * table and a constant taken at full width alone (`fitFractions: []`), in one run.
 *
 *   pnpm tsc -b bench && node bench/dist/predictor-error.js [--batch 8] [--runs 20] [--seed 1]
 *
 * Model: bench/sp-lamp/base-model (ResNet-20 width 16, 28×28×1). Every pruned model and the
 * unpruned one are measured round-robin (lowest of 3 windows of `runs` × 2 runs), and each is
 * compared as its ratio to the unpruned model × the unpruned latency the predictor measured: the
 * machine's speed drifts between the table build and the round-robin (and a process that has built
 * many models runs a few percent slower on wasm), which the ratio cancels. Raw times are printed too.
 */
import type * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { loadModel } from '@whittle/model-io';
import { uniformKeep } from '@whittle/graph';
import { steadyLatency } from '@whittle/metrics';
import { LatencyPredictor, pruneToWidths, randomHalfWidths, uniformWidths } from '@whittle/plugin-profiler';
import { pruneToLatencyBudget, spLampScores } from '@whittle/plugin-sp-lamp';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { batch: { type: 'string', default: '8' }, runs: { type: 'string', default: '20' }, seed: { type: 'string', default: '1' } } });
const BATCH = Number(args.batch);
const RUNS = Number(args.runs);
const SEED = Number(args.seed);
const STEP = 8;

interface Config {
  readonly name: string;
  readonly model: tf.LayersModel;
  readonly widths: ReadonlyMap<string, number>;
}

async function main(): Promise<void> {
  const started = Date.now();
  const backend = await selectBackend('wasm');
  const base = await loadModel(fileURLToPath(new URL('../sp-lamp/base-model/model.json', import.meta.url)));
  const fitted = await LatencyPredictor.build(base, { batchSize: BATCH, step: STEP, runs: RUNS });
  const fullOnly = await LatencyPredictor.build(base, { batchSize: BATCH, step: STEP, runs: RUNS, table: fitted.table, fitFractions: [] });

  const lamp = [...(await spLampScores(base))].map(([id, scores]) => ({ id, scores }));
  const configs: Config[] = [];
  for (const fraction of [0.7, 0.5, 0.3]) {
    const sp = await pruneToLatencyBudget(base, lamp, fitted, { budgetFraction: fraction, step: STEP });
    configs.push({ name: `SP-LAMP knapsack, budget ${fraction * 100}%`, model: sp.model, widths: sp.result.widths });
  }
  const rng = SeededRng.from(SEED, 'predictor-error');
  for (let i = 1; i <= 3; i++) {
    const widths = randomHalfWidths(fitted.groups, rng);
    configs.push({ name: `random widths #${i}`, model: await pruneToWidths(base, widths), widths });
  }
  for (const fraction of [0.6, 0.4]) {
    const widths = uniformWidths(fitted.groups, fraction);
    configs.push({ name: `uniform ${fraction * 100}%`, model: await pruneToWidths(base, widths), widths });
  }
  // What uniform L1 prunes to: the same fraction of every group, rounded to the channel, mostly off the table's multiples of 8.
  for (const ratio of [0.2, 0.4]) {
    const widths = new Map(fitted.groups.map((g) => [g.id, uniformKeep(g.channels, ratio)]));
    configs.push({ name: `off-grid uniform, ${ratio * 100}% of each group cut`, model: await pruneToWidths(base, widths), widths });
  }
  const [baseMs, ...measured] = await steadyLatency([base, ...configs.map((c) => c.model)], { batchSize: BATCH, runs: RUNS * 2 });

  const total = fitted.groups.reduce((s, g) => s + g.channels, 0);
  const pct = (predicted: number, m: number): string => `${(((predicted - m) / m) * 100).toFixed(1)}%`;
  const out: string[] = [];
  out.push(`# bench/predictor-error — ${new Date().toISOString()}`);
  out.push(`command: node bench/dist/predictor-error.js ${process.argv.slice(2).join(' ')}`.trimEnd());
  out.push(`${backend.summary}; node ${process.version}; ResNet-20 width 16 (bench/sp-lamp/base-model), 28×28×1, batch ${BATCH}; table: ${fitted.table.size} signatures, step ${STEP}, ${RUNS} runs; ${((Date.now() - started) / 60000).toFixed(1)} min`);
  out.push(`fitted: model ≈ ${fitted.scale.toFixed(3)} × Σ table + ${fitted.constantMs.toFixed(3)} ms on ${fitted.fitPoints.map((p) => `${p.fraction * 100}% (${p.measuredMs.toFixed(3)} ms)`).join(', ')}; ` +
    `full-width constant alone: ${fullOnly.constantMs.toFixed(3)} ms; unpruned measured ${baseMs!.toFixed(3)} ms in the round-robin, ${fitted.fullMs.toFixed(3)} ms by the predictor`);
  out.push('');
  out.push('| pruned model | channels kept | measured ms (raw) | measured ms (ratio × unpruned) | fitted: predicted ms | error | constant at full width: predicted ms | error |');
  out.push('|---|---|---|---|---|---|---|---|');
  configs.forEach((c, i) => {
    const m = (measured[i]! / baseMs!) * fitted.fullMs;
    const kept = fitted.groups.reduce((s, g) => s + (c.widths.get(g.id) ?? g.channels), 0);
    const a = fitted.predict(c.widths);
    const b = fullOnly.predict(c.widths);
    out.push(`| ${c.name} | ${kept}/${total} | ${measured[i]!.toFixed(3)} | ${m.toFixed(3)} | ${a.toFixed(3)} | ${pct(a, m)} | ${b.toFixed(3)} | ${pct(b, m)} |`);
  });
  console.log(out.join('\n'));
  configs.forEach((c) => c.model.dispose());
  base.dispose();
}

await main();
