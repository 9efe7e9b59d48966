/**
 * Over-parameterised fine-tuning of pruned networks (Qian et al., "Boosting Pruned Networks with
 * Linear Over-parameterization") against its baselines, on Fashion-MNIST (Debian's dataset).
 *
 *   pnpm tsc -b bench && node bench/dist/overparam.js [--ratios 0.7,0.9] [--epochs 3] [--train-limit 9000]
 *     [--methods a,b,c,d] [--gamma 3000] [--pair-reduction mean] [--expand-ratio 4] [--depth 0] [--lr 0.001]
 *
 * Starts from the committed base model (bench/sp-lamp/base-model: ResNet-20 width 16, trained by
 * `pnpm whittle run bench/sp-lamp/train-base.json --out runs/sp-lamp-base`), prunes it with uniform
 * L1 at each ratio (fraction of every prunable group's channels removed), and fine-tunes each pruned
 * model the same number of epochs, same optimizer and schedule, four ways:
 *  (a) plain fine-tuning (`train`);
 *  (b) expansion only (`overparam`, gamma 0): expand → fine-tune → merge;
 *  (c) expansion + SP-KD from the unpruned model (`overparam`, gamma γ);
 *  (d) plain logit KD from the unpruned model (`kd`, T 4, α 0.9).
 * Then it measures every final model's test accuracy, params and latency (batch 8, round-robin,
 * together with the unpruned model), and the training wall time per epoch relative to (a).
 */
import * as tf from '@tensorflow/tfjs';
import { idxProvider } from '@whittle/data';
import { selectBackend } from '@whittle/engine';
import { totalMacs } from '@whittle/graph';
import { plainLogger, RunMemo, runStage, SeededRng, type ClassificationSplits, type ScoreTable } from '@whittle/kernel';
import { loadModel } from '@whittle/model-io';
import metrics, { countParams, evaluateAccuracy, steadyLatency } from '@whittle/metrics';
import { KdPlugin, L1NormScore, TrainPlugin, UniformPrune } from '@whittle/plugin-baselines';
import { OverparamPlugin } from '@whittle/plugin-overparam';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    ratios: { type: 'string', default: '0.7,0.9' },
    epochs: { type: 'string', default: '3' },
    'train-limit': { type: 'string', default: '9000' },
    methods: { type: 'string', default: 'a,b,c,d' },
    gamma: { type: 'string', default: '3000' },
    'pair-reduction': { type: 'string', default: 'mean' },
    'expand-ratio': { type: 'string', default: '4' },
    depth: { type: 'string', default: '0' },
    lr: { type: 'string', default: '0.001' },
    batch: { type: 'string', default: '8' },
    runs: { type: 'string', default: '30' },
  },
});
const RATIOS = args.ratios.split(',').map(Number);
if (RATIOS.some((r) => !(r > 0 && r < 1))) throw new Error(`--ratios must be fractions in (0, 1), got ${args.ratios}`);
const EPOCHS = Number(args.epochs);
const TRAIN_LIMIT = Number(args['train-limit']);
if (!Number.isInteger(TRAIN_LIMIT) || TRAIN_LIMIT < 64 || TRAIN_LIMIT > 9000) throw new Error(`--train-limit must be an integer in [64, 9000], got ${args['train-limit']}`);
const METHODS = args.methods.split(',');
if (METHODS.some((m) => !['a', 'b', 'c', 'd'].includes(m))) throw new Error(`--methods must list a, b, c, d, got ${args.methods}`);
const GAMMA = Number(args.gamma);
const PAIR_REDUCTION = args['pair-reduction'];
if (PAIR_REDUCTION !== 'mean' && PAIR_REDUCTION !== 'sum') throw new Error(`--pair-reduction must be mean or sum, got ${PAIR_REDUCTION}`);
const EXPAND_RATIO = Number(args['expand-ratio']);
const DEPTH = Number(args.depth);
const BATCH = Number(args.batch);
const RUNS = Number(args.runs);
const BASE_MODEL = fileURLToPath(new URL('../sp-lamp/base-model/model.json', import.meta.url));
const DATA_DIR = '/usr/share/datasets/fashion-mnist';
// The split of bench/sp-lamp/train-base.json: same seed, same limits, so the test split is unseen.
const SEED = 2026;
const COMMON = { trainLimit: 10000, validationSplit: 0.1, testLimit: 2000 } as const;
const FINE_TUNE = { epochs: EPOCHS, batchSize: 64, optimizer: 'adam', learningRate: Number(args.lr), schedule: 'cosine' } as const;
const EXPANSION = { ratio: EXPAND_RATIO, depth: DEPTH } as const;
const KD = { temperature: 4, alpha: 0.9 } as const;
const LABELS: Record<string, string> = {
  a: '(a) fine-tune',
  b: '(b) expansion only',
  c: `(c) expansion + SP-KD (γ ${GAMMA}, ${PAIR_REDUCTION})`,
  d: '(d) logit KD (T 4, α 0.9)',
};

const log = plainLogger();

interface Row {
  ratio: number;
  method: string;
  model: tf.LayersModel;
  accuracyPruned: number;
  accuracy: number;
  secondsPerEpoch: number;
  note: string;
  latencyMs?: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const backend = await selectBackend('wasm');
  const data: ClassificationSplits = await idxProvider.load({ dir: DATA_DIR }, COMMON, { baseDir: process.cwd(), rng: SeededRng.from(SEED, 'data') });
  const test = data.test ?? data.validation;
  const base = await loadModel(BASE_MODEL);
  const baseAccuracy = await evaluateAccuracy(base, test);
  log.info(`base model: ${countParams(base)} params, test accuracy ${(baseAccuracy * 100).toFixed(2)}%`);
  const trainData: ClassificationSplits = TRAIN_LIMIT >= data.train.x.shape[0]
    ? data
    : (() => {
      const train = { x: data.train.x.slice(0, TRAIN_LIMIT), y: data.train.y.slice(0, TRAIN_LIMIT) };
      return { ...data, train, dispose: () => tf.dispose([train.x, train.y]) };
    })();
  const { value: l1 } = await runStage<ScoreTable>(L1NormScore, { model: base });
  const memo = new RunMemo();
  const rows: Row[] = [];
  for (const ratio of RATIOS) {
    for (const method of METHODS) {
      const { value: pruned } = await runStage(UniformPrune, { model: base, scores: l1, options: { ratio } });
      const accuracyPruned = await evaluateAccuracy(pruned, test);
      log.info(`\n${(ratio * 100).toFixed(0)}% pruned (uniform L1): ${countParams(pruned)} params, ${(accuracyPruned * 100).toFixed(2)}% before fine-tuning; ${LABELS[method]}`);
      const t0 = performance.now();
      const common = { manifests: [metrics], data: trainData, seed: SEED, logger: log };
      let model = pruned;
      let note = '';
      if (method === 'a') {
        await runStage(TrainPlugin, { ...common, model: pruned, options: FINE_TUNE });
      } else if (method === 'd') {
        await runStage(KdPlugin, { ...common, model: pruned, teacher: base, memo, options: { ...FINE_TUNE, ...KD } });
      } else {
        const gamma = method === 'b' ? 0 : GAMMA;
        const out = await runStage(OverparamPlugin, { ...common, model: pruned, teacher: base, options: { ...FINE_TUNE, ...EXPANSION, gamma, pairReduction: PAIR_REDUCTION } });
        model = out.value;
        pruned.dispose();
        const m = out.metrics;
        note = `${m['expandedLayers']} blocks, ${Number(m['expandedParams']).toLocaleString('en-US')} params while training${gamma > 0 ? `, ${m['similarityPairs']} SP-KD pairs, last SP-KD ${Number(m['finalSimilarityLoss']).toExponential(2)}` : ''}`;
      }
      const secondsPerEpoch = (performance.now() - t0) / 1000 / EPOCHS;
      const accuracy = await evaluateAccuracy(model, test);
      log.info(`  → ${(accuracy * 100).toFixed(2)}% (${secondsPerEpoch.toFixed(1)} s/epoch)`);
      rows.push({ ratio, method, model, accuracyPruned, accuracy, secondsPerEpoch, note });
    }
  }
  const latencies = await steadyLatency([base, ...rows.map((r) => r.model)], { batchSize: BATCH, runs: RUNS });
  rows.forEach((r, i) => (r.latencyMs = latencies[i + 1]));

  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const out: string[] = [];
  out.push(`# bench/overparam — ${new Date().toISOString()}`);
  out.push(`command: node bench/dist/overparam.js ${process.argv.slice(2).join(' ')}`.trimEnd());
  out.push(`${backend.summary}; node ${process.version}; latency at batch ${BATCH} (round-robin, lowest of the windows); ${minutes} min in all`);
  out.push(`data: Fashion-MNIST (Debian dataset-fashion-mnist), seeded subset: ${trainData.train.x.shape[0]} train, ${test.x.shape[0]} test, 28×28×1`);
  out.push(`base: ResNet-20 width 16 (bench/sp-lamp/base-model), ${countParams(base).toLocaleString('en-US')} params, ${totalMacs(base).toLocaleString('en-US')} MACs, test accuracy ${(baseAccuracy * 100).toFixed(2)}%, ${latencies[0]!.toFixed(3)} ms`);
  out.push(`pruning: uniform L1 (every prunable group loses the ratio of its channels), from the base each time`);
  out.push(`fine-tuning (all methods): ${EPOCHS} epochs, Adam ${FINE_TUNE.learningRate}, cosine, batch 64; expansion r ${EXPAND_RATIO}, depth ${DEPTH}, Kaiming×0.01 extra filters; SP-KD pairs: every expanded block with the unpruned layer of the same name`);
  out.push('');
  out.push('| pruned | method | params | MACs | latency ms | latency / (a) | accuracy pruned | accuracy fine-tuned | Δ vs (a) | s/epoch | time / (a) | notes |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const a = rows.find((x) => x.ratio === r.ratio && x.method === 'a');
    out.push(`| ${(r.ratio * 100).toFixed(0)}% | ${LABELS[r.method]} | ${countParams(r.model).toLocaleString('en-US')} | ${totalMacs(r.model).toLocaleString('en-US')} | ${r.latencyMs!.toFixed(3)} | ${a === undefined ? '–' : (r.latencyMs! / a.latencyMs!).toFixed(3)} | `
      + `${(r.accuracyPruned * 100).toFixed(2)}% | ${(r.accuracy * 100).toFixed(2)}% | ${a === undefined ? '–' : ((r.accuracy - a.accuracy) * 100).toFixed(2)} | ${r.secondsPerEpoch.toFixed(1)} | ${a === undefined ? '–' : (r.secondsPerEpoch / a.secondsPerEpoch).toFixed(2)} | ${r.note} |`);
  }
  console.log(out.join('\n'));
  rows.forEach((r) => r.model.dispose());
  memo.dispose();
  base.dispose();
  if (trainData !== data) trainData.dispose();
  data.dispose();
}

await main();
