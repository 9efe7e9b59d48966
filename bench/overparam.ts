/**
 * Over-parameterised fine-tuning of pruned networks (Qian et al., "Boosting Pruned Networks with
 * Linear Over-parameterization") against its baselines, on Fashion-MNIST (Debian's dataset).
 *
 *   pnpm exec tsc -b bench && node bench/dist/overparam.js [--ratios 0.7,0.9] [--epochs 3] [--train-limit 9000]
 *     [--methods a,b,c,d,e] [--sp-lamp-methods a,c] [--gamma 3000] [--pairs <selectors>] [--expand-ratio 4] [--depth 0] [--lr 0.003]
 *
 * Starts from the committed base model (bench/sp-lamp/base-model: ResNet-20 width 16, trained by
 * `pnpm whittle run bench/sp-lamp/train-base.json --out runs/sp-lamp-base`). At each ratio it prunes
 * the base twice:
 *  - uniform L1: that fraction of every prunable group's channels removed, lowest filter L1 first;
 *  - SP-LAMP at the same measured latency: SP-LAMP scores, group knapsack under a per-layer latency
 *    table measured now (plugin-sp-lamp's `pruneToLatencyBudget`), the budget being the uniform
 *    model's measured latency, held to it by measuring and re-pruning (`calibrateToMeasured`).
 * Each pruned model is fine-tuned the same epochs, optimizer, schedule and data, several ways:
 *  (a) plain fine-tuning (`train`);
 *  (b) expansion only (`overparam`, gamma 0): expand → fine-tune → merge;
 *  (c) expansion + SP-KD from the unpruned model (`overparam`, gamma γ);
 *  (d) plain logit KD from the unpruned model (`kd`, T 4, α 0.9): the strong baseline;
 *  (e) (c) plus the logit KD of (d) (`overparam` with `logitKd`).
 * Then it measures every final model's test accuracy, params and latency (batch 8, round-robin,
 * together with the unpruned model), and the training wall time per epoch relative to (a).
 */
import type * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@whittle/engine';
import { totalMacs } from '@whittle/graph';
import { plainLogger, RunMemo, runStage, type ScoreTable } from '@whittle/kernel';
import { cloneModel } from '@whittle/model-io';
import metrics, { countParams, evaluateAccuracy, latencyRelativeTo, steadyLatency } from '@whittle/metrics';
import { KdPlugin, L1NormScore, TrainPlugin, UniformPrune } from '@whittle/plugin-baselines';
import { OverparamPlugin } from '@whittle/plugin-overparam';
import { LatencyPredictor } from '@whittle/plugin-profiler';
import { calibrateToMeasured, pruneToLatencyBudget, spLampScores } from '@whittle/plugin-sp-lamp';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadFashionMnistBase, SEED, trainSubset } from './fashion-mnist-base.js';

const { values: args } = parseArgs({
  options: {
    ratios: { type: 'string', default: '0.7,0.9' },
    epochs: { type: 'string', default: '3' },
    'train-limit': { type: 'string', default: '9000' },
    methods: { type: 'string', default: 'a,b,c,d,e' },
    'sp-lamp-methods': { type: 'string', default: 'a,c' },
    gamma: { type: 'string', default: '3000' },
    'pair-reduction': { type: 'string', default: 'mean' },
    pairs: { type: 'string', default: '' },
    'expand-ratio': { type: 'string', default: '4' },
    depth: { type: 'string', default: '0' },
    lr: { type: 'string', default: '0.003' },
    batch: { type: 'string', default: '8' },
    runs: { type: 'string', default: '30' },
    step: { type: 'string', default: '2' },
  },
});
const RATIOS = args.ratios.split(',').map(Number);
if (RATIOS.some((r) => !(r > 0 && r < 1))) throw new Error(`--ratios must be fractions in (0, 1), got ${args.ratios}`);
const EPOCHS = Number(args.epochs);
const TRAIN_LIMIT = Number(args['train-limit']);
const METHOD_NAMES = ['a', 'b', 'c', 'd', 'e'];
const methodList = (flag: string, text: string): string[] => {
  const list = text === '' ? [] : text.split(',');
  if (list.some((m) => !METHOD_NAMES.includes(m))) throw new Error(`--${flag} must list some of ${METHOD_NAMES.join(', ')}, got ${text}`);
  return list;
};
const METHODS = methodList('methods', args.methods);
const SP_LAMP_METHODS = methodList('sp-lamp-methods', args['sp-lamp-methods']);
const GAMMA = Number(args.gamma);
const PAIR_REDUCTION = args['pair-reduction'];
if (PAIR_REDUCTION !== 'mean' && PAIR_REDUCTION !== 'sum') throw new Error(`--pair-reduction must be mean or sum, got ${PAIR_REDUCTION}`);
const PAIRS = args.pairs === '' ? undefined : args.pairs.split(',');
const EXPAND_RATIO = Number(args['expand-ratio']);
const DEPTH = Number(args.depth);
const BATCH = Number(args.batch);
const RUNS = Number(args.runs);
const STEP = Number(args.step);
const FINE_TUNE = { epochs: EPOCHS, batchSize: 64, optimizer: 'adam', learningRate: Number(args.lr), schedule: 'cosine' } as const;
const EXPANSION = { ratio: EXPAND_RATIO, depth: DEPTH } as const;
const KD = { temperature: 4, alpha: 0.9 } as const;
const SP_KD = { gamma: GAMMA, pairReduction: PAIR_REDUCTION, ...(PAIRS === undefined ? {} : { pairs: PAIRS }) } as const;
const LABELS: Record<string, string> = {
  a: '(a) fine-tune',
  b: '(b) expansion only',
  c: '(c) expansion + SP-KD',
  d: '(d) logit KD',
  e: '(e) expansion + SP-KD + logit KD',
};

const log = plainLogger();

interface Row {
  ratio: number;
  pruner: string;
  method: string;
  model: tf.LayersModel;
  accuracyPruned: number;
  accuracy: number;
  secondsPerEpoch: number;
  note: string;
  latencyMs?: number;
}

interface Pruned {
  pruner: string;
  model: tf.LayersModel;
  measuredMs: number;
  setting: string;
  methods: readonly string[];
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg();
  const backend = await selectBackend('wasm');
  const { data, test, base, baseAccuracy } = await loadFashionMnistBase(log);
  const trainData = trainSubset(data, TRAIN_LIMIT);
  const { value: l1 } = await runStage<ScoreTable>(L1NormScore, { model: base });
  const predictor = SP_LAMP_METHODS.length === 0 ? undefined : await LatencyPredictor.build(base, { batchSize: BATCH, step: STEP, runs: RUNS, logger: log });
  const lamp = SP_LAMP_METHODS.length === 0 ? [] : [...(await spLampScores(base))].map(([id, scores]) => ({ id, scores }));
  const [baseMs] = await steadyLatency([base], { batchSize: BATCH, runs: 100, warmup: 50 });
  const measure = (model: tf.LayersModel): Promise<number> => latencyRelativeTo(base, baseMs!, model, { batchSize: BATCH, runs: RUNS });
  if (predictor !== undefined) log.info(`predictor: ${predictor.table.size} signatures, step ${STEP}; base ${baseMs!.toFixed(3)} ms at batch ${BATCH}`);
  const memo = new RunMemo();
  const rows: Row[] = [];
  for (const ratio of RATIOS) {
    const uniform = (await runStage(UniformPrune, { model: base, scores: l1, options: { ratio } })).value;
    const uniformMs = await measure(uniform);
    const prunedModels: Pruned[] = [{ pruner: 'uniform L1', model: uniform, measuredMs: uniformMs, setting: `ratio ${ratio}`, methods: METHODS }];
    if (predictor !== undefined) {
      try {
        const c = await calibrateToMeasured(uniformMs, async (budgetMs) => {
          const sp = await pruneToLatencyBudget(base, lamp, predictor, { budgetMs, step: STEP });
          return { model: sp.model, predictedMs: sp.result.predictedMs, extra: [...sp.result.widths.values()].reduce((a, b) => a + b, 0) };
        }, measure, { rounds: 3, tolerance: 0.03, original: base });
        prunedModels.push({ pruner: 'SP-LAMP', model: c.model, measuredMs: c.measuredMs, setting: `${c.extra} channels kept, ${c.rounds.length} calibration round${c.rounds.length === 1 ? '' : 's'}`, methods: SP_LAMP_METHODS });
      } catch (error) {
        log.warn(`SP-LAMP at ${(ratio * 100).toFixed(0)}%: ${(error as Error).message}`);
      }
    }
    for (const pruned of prunedModels) {
      const accuracyPruned = await evaluateAccuracy(pruned.model, test);
      log.info(`\n${(ratio * 100).toFixed(0)}%, ${pruned.pruner} (${pruned.setting}): ${countParams(pruned.model)} params, ${pruned.measuredMs.toFixed(3)} ms, ${(accuracyPruned * 100).toFixed(2)}% before fine-tuning`);
      for (const method of pruned.methods) {
        log.info(`${LABELS[method]}`);
        const student = await cloneModel(pruned.model);
        const t0 = performance.now();
        const common = { manifests: [metrics], data: trainData, seed: SEED, logger: log };
        let model = student;
        let note = '';
        if (method === 'a') {
          await runStage(TrainPlugin, { ...common, model: student, options: FINE_TUNE });
        } else if (method === 'd') {
          await runStage(KdPlugin, { ...common, model: student, teacher: base, memo, options: { ...FINE_TUNE, ...KD } });
        } else {
          const options = { ...FINE_TUNE, ...EXPANSION, ...(method === 'b' ? { gamma: 0 } : SP_KD), ...(method === 'e' ? { logitKd: KD } : {}) };
          const out = await runStage(OverparamPlugin, { ...common, model: student, teacher: base, options });
          model = out.value;
          student.dispose();
          const m = out.metrics;
          note = `${m['expandedLayers']} blocks, ${Number(m['expandedParams']).toLocaleString('en-US')} params while training${method === 'b' ? '' : `, ${m['similarityPairs']} SP-KD pairs, last-epoch SP-KD ${Number(m['finalSimilarityLoss']).toExponential(2)} (×γ ${(Number(m['finalSimilarityLoss']) * GAMMA).toFixed(3)}), last-epoch loss ${Number(m['finalLoss']).toFixed(3)}`}`;
        }
        const secondsPerEpoch = (performance.now() - t0) / 1000 / EPOCHS;
        const accuracy = await evaluateAccuracy(model, test);
        log.info(`  → ${(accuracy * 100).toFixed(2)}% (${secondsPerEpoch.toFixed(1)} s/epoch; load ${loadavg()[0]!.toFixed(1)})`);
        rows.push({ ratio, pruner: pruned.pruner, method, model, accuracyPruned, accuracy, secondsPerEpoch, note });
      }
      pruned.model.dispose();
    }
  }
  const latencies = await steadyLatency([base, ...rows.map((r) => r.model)], { batchSize: BATCH, runs: RUNS });
  rows.forEach((r, i) => (r.latencyMs = latencies[i + 1]));

  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const loadAtEnd = loadavg();
  const out: string[] = [];
  out.push(`# bench/overparam — ${new Date().toISOString()}`);
  out.push(`command: node bench/dist/overparam.js ${process.argv.slice(2).join(' ')}`.trimEnd());
  out.push(`${backend.summary}; node ${process.version}; latency at batch ${BATCH} (round-robin, lowest of the windows); ${minutes} min in all; load average (1, 5, 15 min) at start ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}, at end ${loadAtEnd.map((l) => l.toFixed(2)).join(', ')}`);
  out.push(`data: Fashion-MNIST (Debian dataset-fashion-mnist), seeded subset: ${trainData.train.x.shape[0]} train, ${test.x.shape[0]} test, 28×28×1`);
  out.push(`base: ResNet-20 width 16 (bench/sp-lamp/base-model), ${countParams(base).toLocaleString('en-US')} params, ${totalMacs(base).toLocaleString('en-US')} MACs, test accuracy ${(baseAccuracy * 100).toFixed(2)}%, ${latencies[0]!.toFixed(3)} ms`);
  out.push(`pruning, from the base each time: uniform L1 (every prunable group loses the ratio of its channels); SP-LAMP (knapsack over a ${predictor?.table.size ?? 0}-signature latency table, channel step ${STEP}) to the uniform model's measured latency, up to 3 prune-measure rounds, 3% tolerance`);
  out.push(`fine-tuning (every method): ${EPOCHS} epochs, Adam ${FINE_TUNE.learningRate}, cosine, batch 64; expansion r ${EXPAND_RATIO}, depth ${DEPTH}, Kaiming×0.01 extra filters; `
    + `SP-KD γ ${GAMMA} (${PAIR_REDUCTION} over pairs), pairs: ${PAIRS === undefined ? 'every expanded block with the unpruned layer of the same name' : PAIRS.join(', ')}; logit KD T ${KD.temperature}, α ${KD.alpha}`);
  out.push('');
  out.push('| pruned | pruner | method | params | MACs | latency ms | latency / (a) | accuracy pruned | accuracy fine-tuned | Δ vs (a) | s/epoch | time / (a) | notes |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const a = rows.find((x) => x.ratio === r.ratio && x.pruner === r.pruner && x.method === 'a');
    out.push(`| ${(r.ratio * 100).toFixed(0)}% | ${r.pruner} | ${LABELS[r.method]} | ${countParams(r.model).toLocaleString('en-US')} | ${totalMacs(r.model).toLocaleString('en-US')} | ${r.latencyMs!.toFixed(3)} | ${a === undefined ? '–' : (r.latencyMs! / a.latencyMs!).toFixed(3)} | `
      + `${(r.accuracyPruned * 100).toFixed(2)}% | ${(r.accuracy * 100).toFixed(2)}% | ${a === undefined ? '–' : ((r.accuracy - a.accuracy) * 100).toFixed(2)} | ${r.secondsPerEpoch.toFixed(1)} | ${a === undefined ? '–' : (r.secondsPerEpoch / a.secondsPerEpoch).toFixed(2)} | ${r.note} |`);
  }
  console.log(out.join('\n'));
  const json = {
    command: `node bench/dist/overparam.js ${process.argv.slice(2).join(' ')}`.trimEnd(), date: new Date().toISOString(), backend: backend.summary, minutes: Number(minutes), loadAtStart, loadAtEnd,
    trainImages: trainData.train.x.shape[0], testImages: test.x.shape[0], baseAccuracy, baseParams: countParams(base), baseLatencyMs: latencies[0],
    fineTune: FINE_TUNE, expansion: EXPANSION, spKd: SP_KD, logitKd: KD,
    rows: rows.map((r) => ({ ratio: r.ratio, pruner: r.pruner, method: LABELS[r.method], params: countParams(r.model), macs: totalMacs(r.model), latencyMs: r.latencyMs, accuracyPruned: r.accuracyPruned, accuracy: r.accuracy, secondsPerEpoch: r.secondsPerEpoch, note: r.note })),
  };
  console.log(`\nJSON ${JSON.stringify(json)}`);
  rows.forEach((r) => r.model.dispose());
  memo.dispose();
  base.dispose();
  if (trainData !== data) trainData.dispose();
  data.dispose();
}

await main();
