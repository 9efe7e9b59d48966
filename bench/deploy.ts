/**
 * What deploying buys, per model: the web folder's size stored as float32 / uint8 / float16 (the
 * stock-loader manifests of plugin-tfjs-web), tfjs-wasm latency at batch 1, ONNX Runtime latency
 * at batch 1 with 1 and 2 intra-op threads (the model exported by plugin-onnx), ORT's speed over
 * tfjs-wasm, and how far ORT's outputs are from tfjs's; for an SP-LAMP-pruned ResNet-20, pruned
 * inside this script to an ORT latency budget with the `onnxruntime` latency model, the speed-up
 * on tfjs-wasm and on ORT and where its measured ORT latency landed against the budget.
 *
 *   pnpm exec tsc -b bench && node bench/dist/deploy.js [--budget 0.5] [--windows 5] [--window-ms 1500] [--examples 8] [--step 8]
 *
 * Models: ResNet-20 (bench/sp-lamp/base-model: width 16, trained on Fashion-MNIST, 28×28×1), the
 * zoo's MobileNetV2-style network (32×32×3, seeded initial weights), nsfwjs's MobileNetV2 224 (a
 * real Keras-converted model with trained weights; it ships uint8-quantized, so its float32 is its
 * decoded weights) and ResNet-20 pruned by SP-LAMP (`sp-lamp` scores, `latency-knapsack` with
 * `latencyModel: onnxruntime`, `budgetFraction` --budget, calibrated against ORT measurements).
 * Timing: every model's tfjs-wasm, ORT 1-thread and ORT 2-thread medians are taken round-robin
 * over --windows windows (each a median of as many runs as fill --window-ms, at least 10), and the
 * lowest window is kept; so every ratio below compares figures from the same stretch of time.
 * Output errors: max |Δ| ÷ max |reference| on --examples inputs (Fashion-MNIST test images for the
 * ResNet-20s when Debian's dataset-fashion-mnist is installed, else uniform noise in [0, 1)).
 */
import * as tf from '@tensorflow/tfjs';
import { idxProvider } from '@whittle/data';
import { selectBackend } from '@whittle/engine';
import { plainLogger, runStage, SeededRng, type ClassificationSplits, type ScoreTable } from '@whittle/kernel';
import { countParams, measureLatency } from '@whittle/metrics';
import { loadModel } from '@whittle/model-io';
import { loadNsfwjsModel } from '@whittle/testing';
import onnx, { compareWithTfjs, ortLatencyRatios, ortModel, timeOrtSession, type OrtModel } from '@whittle/plugin-onnx';
import { LatencyKnapsackPlugin, SpLampScorePlugin } from '@whittle/plugin-sp-lamp';
import { compareStorage, type StorageRow } from '@whittle/plugin-tfjs-web';
import { buildMobileNetV2Style } from '@whittle/zoo';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    budget: { type: 'string', default: '0.5' },
    windows: { type: 'string', default: '5' },
    'window-ms': { type: 'string', default: '1500' },
    examples: { type: 'string', default: '8' },
    step: { type: 'string', default: '8' },
    out: { type: 'string', default: '' },
  },
});
const BUDGET = Number(args.budget);
if (!(BUDGET > 0 && BUDGET < 1)) throw new Error(`--budget must be a fraction in (0, 1) of the unpruned ORT latency, got ${args.budget}`);
const WINDOWS = Number(args.windows);
if (!Number.isInteger(WINDOWS) || WINDOWS < 1) throw new Error(`--windows must be an integer ≥ 1, got ${args.windows}`);
const WINDOW_MS = Number(args['window-ms']);
if (!(WINDOW_MS >= 100)) throw new Error(`--window-ms must be ≥ 100, got ${args['window-ms']}`);
const EXAMPLES = Number(args.examples);
if (!Number.isInteger(EXAMPLES) || EXAMPLES < 1) throw new Error(`--examples must be an integer ≥ 1, got ${args.examples}`);
const STEP = Number(args.step);
if (!Number.isInteger(STEP) || STEP < 1) throw new Error(`--step must be an integer ≥ 1, got ${args.step}`);
const THREADS = [1, 2] as const;
const BASE_MODEL = fileURLToPath(new URL('../sp-lamp/base-model/model.json', import.meta.url));
const RESULTS_DIR = args.out === '' ? fileURLToPath(new URL('../deploy', import.meta.url)) : args.out;
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const log = plainLogger();

interface Subject {
  readonly name: string;
  readonly model: tf.LayersModel;
  readonly inputs: tf.Tensor;
  readonly inputNote: string;
}

interface Timing {
  tfjsMs: number;
  ortMs: Record<number, number>;
}

interface Row {
  readonly name: string;
  readonly params: number;
  readonly storage: readonly StorageRow[];
  readonly onnxBytes: number;
  readonly ortRelativeError: number;
  readonly ortMaxAbsError: number;
  readonly inputNote: string;
  timing: Timing;
}

function noise(model: tf.LayersModel): tf.Tensor {
  return tf.randomUniform([EXAMPLES, ...(model.inputs[0]?.shape.slice(1).map((d) => d ?? 1) ?? [])], 0, 1, 'float32', 1);
}

/** Runs that fill about WINDOW_MS, from a quick first estimate (at least 10, at most 500). */
function runsFor(estimateMs: number): number {
  return Math.max(10, Math.min(500, Math.round(WINDOW_MS / Math.max(estimateMs, 1e-3))));
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg();
  const backend = await selectBackend('wasm');
  let data: ClassificationSplits | undefined;
  if (existsSync(FASHION_MNIST)) {
    data = await idxProvider.load({ dir: FASHION_MNIST }, { trainLimit: 1, validationSplit: 0, testLimit: EXAMPLES }, { baseDir: process.cwd(), rng: SeededRng.from(0, 'data') });
  }
  const test = data?.test;
  const fmnistInputs = (model: tf.LayersModel): tf.Tensor => (test === undefined ? noise(model) : tf.tidy(() => test.x.slice(0, EXAMPLES)));
  const fmnistNote = test === undefined ? 'uniform noise' : 'Fashion-MNIST test images';

  const base = await loadModel(BASE_MODEL);
  // SP-LAMP to an ORT latency budget: sp-lamp scores, then latency-knapsack with the onnxruntime latency model (calibrated against ORT measurements).
  log.info(`pruning ResNet-20 with SP-LAMP to ${(BUDGET * 100).toFixed(0)} % of its ORT latency (latency model onnxruntime, step ${STEP})`);
  const { value: scores } = await runStage<ScoreTable>(SpLampScorePlugin, { model: base, logger: log });
  const knapsack = await runStage<tf.LayersModel>(LatencyKnapsackPlugin, {
    model: base, scores, manifests: [onnx], logger: log,
    options: { latencyModel: 'onnxruntime', budgetFraction: BUDGET, step: STEP, warmup: 10, runs: 50 },
  });
  const pruned = knapsack.value;

  const zoo = buildMobileNetV2Style({ inputShape: [32, 32, 3], numClasses: 10, seed: 1 });
  const real = await loadNsfwjsModel('mobilenet_v2');
  const subjects: Subject[] = [
    { name: 'ResNet-20 (trained, Fashion-MNIST 28×28×1)', model: base, inputs: fmnistInputs(base), inputNote: fmnistNote },
    { name: 'MobileNetV2-style (zoo, 32×32×3, initial weights)', model: zoo, inputs: noise(zoo), inputNote: 'uniform noise' },
    { name: 'MobileNetV2 224 (nsfwjs, Keras-converted, trained)', model: real, inputs: noise(real), inputNote: 'uniform noise' },
    { name: `ResNet-20 SP-LAMP-pruned to ${(BUDGET * 100).toFixed(0)} % ORT latency`, model: pruned, inputs: fmnistInputs(pruned), inputNote: fmnistNote },
  ];

  // Sizes, and ORT against tfjs on the same inputs.
  const rows: Row[] = [];
  const sessions = new Map<number, OrtModel[]>();
  for (const t of THREADS) sessions.set(t, []);
  for (const s of subjects) {
    log.info(`${s.name}: storage, export, check`);
    const storage = await compareStorage(s.model, s.inputs, { dtypes: ['uint8', 'float16'] });
    for (const t of THREADS) sessions.get(t)?.push(await ortModel(s.model, { batchSize: 1, intraOpThreads: t }));
    const ort1 = sessions.get(1)?.at(-1) as OrtModel;
    const check = await compareWithTfjs(s.model, ort1.session, [s.inputs]);
    rows.push({ name: s.name, params: countParams(s.model), storage, onnxBytes: ort1.exported.bytes.length, ortRelativeError: check.relativeError, ortMaxAbsError: check.maxAbsError, inputNote: s.inputNote, timing: { tfjsMs: Infinity, ortMs: { 1: Infinity, 2: Infinity } } });
  }

  // Latency, round-robin: each window times every model on tfjs-wasm and on ORT at 1 and 2 threads.
  const tfjsRuns = new Map<number, number>();
  const ortRuns = new Map<string, number>();
  for (let w = 0; w < WINDOWS; w++) {
    log.info(`latency window ${w + 1}/${WINDOWS} (load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    for (const [i, s] of subjects.entries()) {
      const row = rows[i] as Row;
      if (!tfjsRuns.has(i)) tfjsRuns.set(i, runsFor((await measureLatency(s.model, { batchSize: 1, warmup: 2, runs: 3 })).medianMs));
      const stats = await measureLatency(s.model, { batchSize: 1, warmup: w === 0 ? 5 : 2, runs: tfjsRuns.get(i) as number });
      row.timing.tfjsMs = Math.min(row.timing.tfjsMs, stats.medianMs);
      for (const t of THREADS) {
        const ort = (sessions.get(t) as OrtModel[])[i] as OrtModel;
        const key = `${i}/${t}`;
        if (!ortRuns.has(key)) ortRuns.set(key, runsFor((await timeOrtSession(ort.session, ort.feeds, { warmup: 5, runs: 5 })).medianMs));
        const times = await timeOrtSession(ort.session, ort.feeds, { warmup: w === 0 ? 20 : 5, runs: ortRuns.get(key) as number });
        row.timing.ortMs[t] = Math.min(row.timing.ortMs[t] as number, times.medianMs);
      }
    }
  }
  // Where the pruned model landed against the budget: its ORT latency as a ratio to the unpruned model's, in the same windows.
  const baseOrt = (sessions.get(1) as OrtModel[])[0] as OrtModel;
  const prunedOrt = (sessions.get(1) as OrtModel[])[subjects.length - 1] as OrtModel;
  const [ortRatio] = await ortLatencyRatios(baseOrt.session, [prunedOrt.session], baseOrt.feeds, { warmup: 20, runs: ortRuns.get('0/1') as number, windows: WINDOWS });
  const landed = (ortRatio as number) / BUDGET;
  const loadAtEnd = loadavg();

  const out: string[] = [];
  const command = `node bench/dist/deploy.js ${process.argv.slice(2).join(' ')}`.trimEnd();
  out.push(`# command: ${command}`);
  out.push(`# ${new Date().toISOString()}, Node ${process.version}, tfjs ${tf.version.tfjs} (backend ${backend.name}), onnxruntime-node (CPU EP), load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`);
  out.push(`# latency: batch 1, lowest of ${WINDOWS} round-robin windows of each model's median (runs per window fill ~${WINDOW_MS} ms, ≥ 10), read-back included; tfjs-wasm single-threaded; ORT intra-op threads 1 and 2`);
  out.push(`# sizes: the served web folder's weight shards (model.json not counted; "all" counts it) as float32, uint8 (affine, zero exact) and float16; error = max |Δ| ÷ max |float32 output| on ${EXAMPLES} inputs`);
  out.push('');
  out.push('| model | params | f32 KiB | uint8 KiB (ratio w / all) | f16 KiB (ratio w / all) | uint8 rel. err | f16 rel. err | ONNX KiB | tfjs-wasm ms | ORT 1t ms | ORT 2t ms | ORT 1t speed-up vs tfjs | ORT 2t speed-up vs tfjs | ORT vs tfjs rel. err (max abs) | check inputs |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  const kib = (n: number): string => (n / 1024).toFixed(1);
  for (const r of rows) {
    const f32 = r.storage.find((s) => s.dtype === 'float32') as StorageRow;
    const u8 = r.storage.find((s) => s.dtype === 'uint8') as StorageRow;
    const f16 = r.storage.find((s) => s.dtype === 'float16') as StorageRow;
    const { tfjsMs, ortMs } = r.timing;
    out.push(`| ${r.name} | ${r.params.toLocaleString('en-US')} | ${kib(f32.weightBytes)} | ${kib(u8.weightBytes)} (${u8.weightRatio.toFixed(2)}× / ${u8.totalRatio.toFixed(2)}×) | ${kib(f16.weightBytes)} (${f16.weightRatio.toFixed(2)}× / ${f16.totalRatio.toFixed(2)}×) | ` +
      `${u8.output.relative.toExponential(2)} | ${f16.output.relative.toExponential(2)} | ${kib(r.onnxBytes)} | ${tfjsMs.toFixed(3)} | ${(ortMs[1] as number).toFixed(3)} | ${(ortMs[2] as number).toFixed(3)} | ` +
      `${(tfjsMs / (ortMs[1] as number)).toFixed(2)}× | ${(tfjsMs / (ortMs[2] as number)).toFixed(2)}× | ${r.ortRelativeError.toExponential(2)} (${r.ortMaxAbsError.toExponential(2)}) | ${r.inputNote} |`);
  }
  const baseRow = rows[0] as Row;
  const prunedRow = rows[rows.length - 1] as Row;
  const tfjsSpeedup = baseRow.timing.tfjsMs / prunedRow.timing.tfjsMs;
  const ortSpeedup = (baseRow.timing.ortMs[1] as number) / (prunedRow.timing.ortMs[1] as number);
  const ortSpeedup2 = (baseRow.timing.ortMs[2] as number) / (prunedRow.timing.ortMs[2] as number);
  const km = knapsack.metrics;
  out.push('');
  out.push(`## SP-LAMP-pruned ResNet-20 (latency-knapsack, latencyModel onnxruntime, budgetFraction ${BUDGET}, step ${STEP})`);
  out.push('');
  out.push(`- params ${baseRow.params.toLocaleString('en-US')} → ${prunedRow.params.toLocaleString('en-US')}; kept ${String(km['keptChannels'])}/${String(km['scoredChannels'])} channels; ${String(km['calibrationRounds'])} calibration round(s)`);
  out.push(`- stage's own figures: budget ${Number(km['budgetMs']).toFixed(3)} ms (of ${Number(km['predictedFullMs']).toFixed(3)} ms predicted unpruned), predicted ${Number(km['predictedMs']).toFixed(3)} ms, measured ${Number(km['measuredMs']).toFixed(3)} ms → measured / budget ${(Number(km['measuredMs']) / Number(km['budgetMs'])).toFixed(3)}`);
  out.push(`- measured here, afterwards (ORT 1 thread, pruned ÷ unpruned in the same windows, median of ${WINDOWS}): ${(ortRatio as number).toFixed(3)} → measured / budget ${landed.toFixed(3)}`);
  out.push(`- speed-up over the unpruned model: tfjs-wasm ${tfjsSpeedup.toFixed(2)}×, ORT 1 thread ${ortSpeedup.toFixed(2)}× (2 threads ${ortSpeedup2.toFixed(2)}×); ORT keeps ${(ortSpeedup / tfjsSpeedup * 100).toFixed(0)} % of the tfjs speed-up (1 thread), ${(ortSpeedup2 / tfjsSpeedup * 100).toFixed(0)} % (2 threads)`);

  const worstU8 = Math.min(...rows.map((r) => (r.storage.find((s) => s.dtype === 'uint8') as StorageRow).weightRatio));
  const slowest = Math.min(...rows.map((r) => r.timing.tfjsMs / Math.min(r.timing.ortMs[1] as number, r.timing.ortMs[2] as number)));
  const slowest1 = Math.min(...rows.map((r) => r.timing.tfjsMs / (r.timing.ortMs[1] as number)));
  const worstErr = Math.max(...rows.map((r) => r.ortRelativeError));
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push(`- uint8 ≥ 3.9× smaller (weight shards): ${worstU8.toFixed(2)}× at worst — ${verdict(worstU8 >= 3.9)}`);
  out.push(`- ORT faster than tfjs-wasm on every model at batch 1: slowest ratio ${slowest1.toFixed(2)}× at 1 thread (${slowest.toFixed(2)}× with the better of 1 and 2 threads) — ${verdict(slowest1 > 1)}; per model in the table`);
  out.push(`- pruned model keeps ≥ 80 % of its tfjs speed-up on ORT: ${(ortSpeedup / tfjsSpeedup * 100).toFixed(0)} % (1 thread) — ${verdict(ortSpeedup / tfjsSpeedup >= 0.8)}`);
  out.push(`- pruning to an ORT latency budget lands within 5 %: measured / budget ${landed.toFixed(3)} (here) and ${(Number(km['measuredMs']) / Number(km['budgetMs'])).toFixed(3)} (the stage's calibration) — ${verdict(Math.abs(landed - 1) <= 0.05)}`);
  out.push(`- ORT outputs match tfjs (≤ 1e-4 relative): worst ${worstErr.toExponential(2)} — ${verdict(worstErr <= 1e-4)}`);
  out.push(`# took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const text = out.join('\n');
  console.log(text);

  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}/results.md`, `# bench/deploy results\n\n${text}\n`);
  writeFileSync(`${RESULTS_DIR}/results.json`, `${JSON.stringify({
    command, date: new Date().toISOString(), loadAverage: { start: loadAtStart, end: loadAtEnd }, budgetFraction: BUDGET, windows: WINDOWS, examples: EXAMPLES,
    models: rows.map((r) => ({
      name: r.name, params: r.params, onnxBytes: r.onnxBytes, ortRelativeError: r.ortRelativeError, ortMaxAbsError: r.ortMaxAbsError, checkInputs: r.inputNote,
      storage: r.storage.map((s) => ({ dtype: s.dtype, weightBytes: s.weightBytes, modelJsonBytes: s.modelJsonBytes, weightRatio: s.weightRatio, totalRatio: s.totalRatio, outputRelativeError: s.output.relative, outputMaxAbsError: s.output.maxAbs })),
      tfjsWasmMs: r.timing.tfjsMs, ortMs: r.timing.ortMs, ortSpeedup: { 1: r.timing.tfjsMs / (r.timing.ortMs[1] as number), 2: r.timing.tfjsMs / (r.timing.ortMs[2] as number) },
    })),
    pruned: { knapsack: km, ortRatioToUnpruned: ortRatio, measuredOverBudget: landed, tfjsSpeedup, ortSpeedup: { 1: ortSpeedup, 2: ortSpeedup2 }, keptOfTfjsSpeedup: ortSpeedup / tfjsSpeedup },
  }, null, 2)}\n`);

  for (const list of sessions.values()) for (const o of list) await o.session.release();
  for (const s of subjects) {
    s.inputs.dispose();
    s.model.dispose();
  }
  data?.dispose();
}

await main();
