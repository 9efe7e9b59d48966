/**
 * N3H-Core's design search on ResNet-20 / Fashion-MNIST (Debian's dataset), board XC7Z020: DDPG
 * against random search at equal episodes, beside uniform W8A8 and W4A4 on DSP-only, LUT-only and
 * split designs, every design fine-tuned the same way at the end.
 *
 *   pnpm exec tsc -b bench && node bench/dist/n3h.js [--episodes 60] [--warmup 15] [--episode-steps 0]
 *     [--updates 16] [--final-steps 30] [--search-train 1024] [--search-val 200] [--speedup 1.12] [--seed 2026] [--tune-limit 50] [--test-limit 2000]
 *     [--activation-bits 2..8] [--action-wall on|off]
 *
 * Starts from the committed base model (bench/sp-lamp/base-model: ResNet-20 width 16, 89.95 % test).
 * - Baselines: each uniform design (DSP-only = ratio 0; LUT-only = ratio 1; split = the balancing scan;
 *   W8A8 and W4A4, first and last layer 8/8) gets its own fastest hardware point on the board
 *   (`tuneHardware`: latency alone).
 * - Latency target = (fastest single-core design) / --speedup.
 * - Searches: `ddpgSearch` and `randomSearch`, same environment (six hardware actions narrowed to the
 *   board, then per layer weight bits 2..8 and activation bits --activation-bits, default 2..8 as the
 *   issue asks; the reference's is 2..4), same action wall (--action-wall on: HAQ's action limiting, a
 *   design that misses the latency target has its bits lowered until it meets it, so the reward is the
 *   accuracy alone wherever some bits can meet the target), same reward (−latency/target above the
 *   target; else the accuracy change after --episode-steps QAT steps on --search-train training
 *   images — 0: none, the post-training accuracy — measured on --search-val validation images), same episodes.
 * - Final: every design quantized from the base model (`N3hQuantizer`) and fine-tuned by the same QAT
 *   (--final-steps Adam steps, batch 64, lr 5e-4, same batches), accuracy on the 2,000 test images.
 * Writes bench/n3h/results.json; prints the tables and the command.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { idxProvider } from '@whittle/data';
import { selectBackend } from '@whittle/engine';
import { plainLogger, SeededRng, type ClassificationSplits, type Examples } from '@whittle/kernel';
import { loadModel } from '@whittle/model-io';
import {
  accuracyOf, BOARDS, ddpgSearch, designPolicyJson, DesignEnvironment, formatHardwarePoint, lutChannels, modelGemms, n3hLayerOperations, N3hQuantizer, networkLatency,
  QuantizedAccuracyEvaluator, qatFineTune, WEIGHT_BITS, randomSearch, REFERENCE_HARDWARE, RESNET18_IMAGENET_GEMMS, resourceUse, resourceOverruns, tuneHardware,
  type BitRange, type CandidateDesign, type GemmLayer, type HardwarePoint, type LayerPolicy, type SearchResult,
} from '@whittle/plugin-n3h';

const { values: args } = parseArgs({
  options: {
    episodes: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    'episode-steps': { type: 'string', default: '0' },
    updates: { type: 'string', default: '16' },
    'final-steps': { type: 'string', default: '30' },
    'search-train': { type: 'string', default: '1024' },
    'search-val': { type: 'string', default: '200' },
    speedup: { type: 'string', default: '1.12' },
    seed: { type: 'string', default: '2026' },
    'tune-limit': { type: 'string', default: '50' },
    'test-limit': { type: 'string', default: '2000' },
    'activation-bits': { type: 'string', default: '2..8' },
    'action-wall': { type: 'string', default: 'on' },
    out: { type: 'string', default: 'bench/n3h/results.json' },
  },
});
const int = (name: keyof typeof args, min: number): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${String(args[name])}`);
  return n;
};
const EPISODES = int('episodes', 1);
const WARMUP = int('warmup', 0);
const EPISODE_STEPS = int('episode-steps', 0);
const UPDATES = int('updates', 1);
const FINAL_STEPS = int('final-steps', 1);
const SEARCH_TRAIN = int('search-train', 64);
const SEARCH_VAL = int('search-val', 50);
const SPEEDUP = Number(args.speedup);
if (!(SPEEDUP >= 1)) throw new Error(`--speedup must be ≥ 1, got ${args.speedup}`);
const SEED = int('seed', 0);
const TUNE_LIMIT = int('tune-limit', 1);
const TEST_LIMIT = int('test-limit', 1);
const bitRange = (name: 'activation-bits'): BitRange => {
  const match = /^(\d)\.\.(\d)$/.exec(String(args[name]));
  const range = match === null ? undefined : { min: Number(match[1]), max: Number(match[2]) };
  if (range === undefined || range.min < 2 || range.max > 8 || range.min > range.max) throw new Error(`--${name} must be MIN..MAX within 2..8 (e.g. 2..8), got ${String(args[name])}`);
  return range;
};
const ACTIVATION_RANGE = bitRange('activation-bits');
if (args['action-wall'] !== 'on' && args['action-wall'] !== 'off') throw new Error(`--action-wall must be on or off, got ${String(args['action-wall'])}`);
const ACTION_WALL = args['action-wall'] === 'on';
const BOARD = BOARDS['xc7z020']!;
const BASE_MODEL = fileURLToPath(new URL('../sp-lamp/base-model/model.json', import.meta.url));
const DATA_DIR = '/usr/share/datasets/fashion-mnist';
// The split of bench/sp-lamp/train-base.json (same seed and limits), so the test images are unseen.
const DATA_SEED = 2026;
const COMMON = { trainLimit: 10000, validationSplit: 0.1, testLimit: 2000 } as const;
const QAT = { epochs: 1000, batchSize: 64, learningRate: 5e-4 } as const;
const log = plainLogger();

/** A named design: its hardware and per-layer policy (ratio resolved). */
interface NamedDesign {
  readonly name: string;
  readonly hardware: HardwarePoint;
  readonly policyOf: (layer: GemmLayer, index: number) => LayerPolicy;
}

interface DesignRow {
  readonly design: string;
  readonly hardware: string;
  readonly bits: string;
  readonly latencyMs: number;
  readonly speedupVsBestSingle: number;
  readonly dsp: number;
  readonly lut: number;
  readonly bram36: number;
  readonly fits: boolean;
  readonly accuracyQuantized: number;
  readonly accuracyFineTuned: number;
  readonly fineTuneSeconds: number;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function uniformPolicy(w: number, a: number, ratio: number | 'auto'): (layer: GemmLayer) => LayerPolicy {
  return (layer) => (layer.edge ? { weightBits: 8, activationBits: 8, ratio } : { weightBits: w, activationBits: a, ratio });
}

function candidatePolicy(design: CandidateDesign): (layer: GemmLayer, index: number) => LayerPolicy {
  return (_layer, index) => design.layers[index] as LayerPolicy;
}

function bitsSummary(gemms: readonly GemmLayer[], policyOf: (layer: GemmLayer, index: number) => LayerPolicy): string {
  const inner = gemms.map((g, i) => ({ g, p: policyOf(g, i) })).filter(({ g }) => !g.edge);
  const mean = (f: (p: LayerPolicy) => number) => inner.reduce((s, { p }) => s + f(p), 0) / inner.length;
  return `W${mean((p) => p.weightBits).toFixed(2)}A${mean((p) => p.activationBits).toFixed(2)} (inner mean)`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const load = [loadavg()];
  const backend = await selectBackend('wasm');
  const data: ClassificationSplits = await idxProvider.load({ dir: DATA_DIR }, COMMON, { baseDir: process.cwd(), rng: SeededRng.from(DATA_SEED, 'data') });
  const fullTest = data.test ?? data.validation;
  const test: Examples = TEST_LIMIT >= (fullTest.x.shape[0] ?? 0) ? fullTest : { x: fullTest.x.slice(0, TEST_LIMIT), y: fullTest.y.slice(0, TEST_LIMIT) };
  const base = await loadModel(BASE_MODEL);
  const baseAccuracy = await accuracyOf(base, test);
  const gemms = modelGemms(base, n3hLayerOperations());
  log.info(`base: ResNet-20 (${gemms.length} GEMM layers), test accuracy ${pct(baseAccuracy)}; backend ${backend.summary}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // The reference figures (ResNet-18 ImageNet at the reference point) beside our port.
  const reference = [
    ['W2A2, balanced split', 2, 2, 'auto', 17.04], ['W4A4, balanced split', 4, 4, 'auto', 36.64], ['W8A8, balanced split', 8, 8, 'auto', 64.52],
    ['DSP-only (ratio 0, 8/8)', 8, 8, 0, 82.31], ['LUT-only W4A4 (ratio 1)', 4, 4, 1, 58.32],
  ] as const;
  const referenceRows = reference.map(([label, w, a, ratio, expected]) => ({ label, referenceMs: expected, oursMs: networkLatency(RESNET18_IMAGENET_GEMMS, REFERENCE_HARDWARE, () => ({ weightBits: w, activationBits: a, ratio })).totalMs }));

  // Baselines: each uniform design on its own fastest hardware point on the board.
  const t0 = Date.now();
  const baselineSpecs = [
    { name: 'DSP-only W8A8', w: 8, a: 8, ratio: 0 as const, dspOnly: true },
    { name: 'DSP-only W4A4', w: 4, a: 4, ratio: 0 as const, dspOnly: true },
    { name: 'LUT-only W8A8', w: 8, a: 8, ratio: 1 as const, dspOnly: false },
    { name: 'LUT-only W4A4', w: 4, a: 4, ratio: 1 as const, dspOnly: false },
    { name: 'split W8A8', w: 8, a: 8, ratio: 'auto' as const, dspOnly: false },
    { name: 'split W4A4', w: 4, a: 4, ratio: 'auto' as const, dspOnly: false },
  ];
  const baselines: NamedDesign[] = [];
  for (const spec of baselineSpecs) {
    const policyOf = uniformPolicy(spec.w, spec.a, spec.ratio);
    // DSP-only latency does not depend on the bits: tune once.
    const same = spec.name === 'DSP-only W4A4' ? baselines[0] : undefined;
    const hardware = same?.hardware ?? tuneHardware(gemms, policyOf, BOARD, spec.dspOnly, TUNE_LIMIT)?.hardware;
    if (hardware === undefined) throw new Error(`no hardware point on ${BOARD.name} runs ${spec.name}`);
    baselines.push({ name: spec.name, hardware, policyOf });
    log.info(`  ${spec.name}: ${formatHardwarePoint(hardware)} → ${networkLatency(gemms, hardware, policyOf).totalMs.toFixed(3)} ms`);
  }
  const tuningSeconds = (Date.now() - t0) / 1000;
  const latencyOf = (d: NamedDesign) => networkLatency(gemms, d.hardware, d.policyOf).totalMs;
  const singleCore = baselines.filter((d) => !d.name.startsWith('split'));
  const bestSingle = singleCore.reduce((best, d) => (latencyOf(d) < latencyOf(best) ? d : best));
  const bestSingleMs = latencyOf(bestSingle);
  const targetMs = bestSingleMs / SPEEDUP;
  log.info(`fastest single-core design: ${bestSingle.name} ${bestSingleMs.toFixed(3)} ms; latency target ${targetMs.toFixed(3)} ms (÷ ${SPEEDUP}); hardware tuning ${tuningSeconds.toFixed(0)} s`);
  load.push(loadavg());

  // Searches: same environment, evaluator, episodes.
  const rng = SeededRng.from(SEED, 'n3h-bench');
  const searchTrain: Examples = { x: data.train.x.slice(0, SEARCH_TRAIN), y: data.train.y.slice(0, SEARCH_TRAIN) };
  const searchVal: Examples = { x: data.validation.x.slice(0, SEARCH_VAL), y: data.validation.y.slice(0, SEARCH_VAL) };
  const calibration = data.train.x.slice(0, 256);
  const evaluator = await QuantizedAccuracyEvaluator.create(base, gemms, {
    calibration, train: searchTrain, validation: searchVal, ...(EPISODE_STEPS === 0 ? {} : { fineTune: { ...QAT, maxSteps: EPISODE_STEPS } }),
  }, rng.fork('evaluator'));
  const env = new DesignEnvironment(gemms, BOARD, { targetMs, weightBits: WEIGHT_BITS, activationBits: ACTIVATION_RANGE, limitToTarget: ACTION_WALL });
  const searches: SearchResult[] = [];
  for (const method of ['ddpg', 'random'] as const) {
    const run = method === 'ddpg' ? ddpgSearch : randomSearch;
    const result = await run(env, evaluator, {
      episodes: EPISODES, warmup: WARMUP, updatesPerEpisode: UPDATES,
      onEpisode: (e) => {
        if (e.episode % 5 === 0 || e.episode === EPISODES - 1) {
          log.info(`  ${method} ${e.episode}: reward ${e.reward.toFixed(4)}, ${e.design.latencyMs?.toFixed(3) ?? 'n/a'} ms${(e.design.bitsLowered ?? 0) > 0 ? ` (wall: ${e.design.bitsLowered} bit steps lowered)` : ''}${e.accuracy === null ? '' : `, val ${pct(e.accuracy)}`} (${e.seconds.toFixed(1)} s)`);
        }
      },
    }, rng.fork(method));
    searches.push(result);
    log.info(`${method}: ${result.episodes.length} episodes in ${result.seconds.toFixed(0)} s (${result.episodesPerSecond.toFixed(3)}/s), ${result.evaluatedEpisodes} evaluated; best ${result.best === undefined ? 'none' : `${result.best.design.latencyMs?.toFixed(3)} ms, val ${pct(result.best.accuracy ?? NaN)}`}`);
    load.push(loadavg());
  }
  const searchBase = await evaluator.baseAccuracy();
  evaluator.dispose();

  // Final: every design quantized from the base model and fine-tuned the same way.
  const searched: NamedDesign[] = searches.flatMap((s) => (s.best === undefined ? [] : [{ name: `searched (${s.method})`, hardware: s.best.design.hardware, policyOf: candidatePolicy(s.best.design) }]));
  const all = [...baselines, ...searched];
  const quantizer = await N3hQuantizer.prepare(base, gemms, calibration);
  const rows: DesignRow[] = [];
  for (const design of all) {
    const t = Date.now();
    const latency = networkLatency(gemms, design.hardware, design.policyOf);
    const layers = quantizer.quantize(latency.layers.map((l) => ({ layer: l.layer.name, weightBits: l.weightBits, activationBits: l.activationBits, ratio: l.ratio, lutChannels: lutChannels(l.layer, l.ratio) })));
    const accuracyQuantized = await accuracyOf(quantizer.model, searchVal);
    await qatFineTune(quantizer.model, layers.map((l) => ({ layer: l.layer, channelBits: l.channelBits })), data.train, { ...QAT, maxSteps: FINAL_STEPS }, SeededRng.from(SEED, 'final-fine-tune'));
    const accuracyFineTuned = await accuracyOf(quantizer.model, test);
    const use = resourceUse(design.hardware);
    rows.push({
      design: design.name, hardware: formatHardwarePoint(design.hardware), bits: bitsSummary(gemms, design.policyOf), latencyMs: latency.totalMs,
      speedupVsBestSingle: bestSingleMs / latency.totalMs, dsp: use.dsp, lut: use.lut, bram36: use.bram36, fits: resourceOverruns(use, BOARD).length === 0,
      accuracyQuantized, accuracyFineTuned, fineTuneSeconds: (Date.now() - t) / 1000,
    });
    log.info(`  ${design.name}: ${latency.totalMs.toFixed(3)} ms, quantized ${pct(accuracyQuantized)}, fine-tuned ${pct(accuracyFineTuned)} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
  quantizer.dispose();
  tf.dispose([calibration, searchTrain.x, searchTrain.y, searchVal.x, searchVal.y]);
  load.push(loadavg());

  // Targets.
  const row = (name: string) => rows.find((r) => r.design === name);
  const w4a4 = Math.max(row('LUT-only W4A4')!.accuracyFineTuned, row('split W4A4')!.accuracyFineTuned);
  const ddpg = row('searched (ddpg)');
  const random = row('searched (random)');
  const targets = {
    meetsTargetAndFits: ddpg !== undefined && ddpg.latencyMs <= targetMs && ddpg.fits,
    speedupAtLeast112: ddpg !== undefined && ddpg.speedupVsBestSingle >= 1.12,
    accuracyWithinHalfPointOfW4A4: ddpg !== undefined && 100 * (ddpg.accuracyFineTuned - w4a4) >= -0.5,
    ddpgBeatsRandom: ddpg !== undefined && (random === undefined || ddpg.accuracyFineTuned > random.accuracyFineTuned),
  };

  const minutes = (Date.now() - started) / 60000;
  const command = `node bench/dist/n3h.js ${process.argv.slice(2).join(' ')}`.trim();
  const out: string[] = [];
  out.push(`# bench/n3h — ${new Date().toISOString()}`);
  out.push(`command: ${command}`);
  out.push(`${backend.summary}; node ${process.version}; ${minutes.toFixed(1)} min in all; load average (1/5/15 min) at start, after tuning, after each search, at the end: ${load.map((l) => l.map((v) => v.toFixed(2)).join('/')).join('; ')}`);
  out.push(`data: Fashion-MNIST (Debian dataset-fashion-mnist), seeded subset: ${data.train.x.shape[0]} train, ${data.validation.x.shape[0]} validation, ${test.x.shape[0]} test, 28×28×1; search subset ${SEARCH_TRAIN} train / ${SEARCH_VAL} validation images`);
  out.push(`base: ResNet-20 width 16 (bench/sp-lamp/base-model), ${gemms.length} GEMM layers, test accuracy ${pct(baseAccuracy)} (search-validation ${pct(searchBase)})`);
  out.push(`board: ${BOARD.name} (${BOARD.dsp} DSP, ${BOARD.lut} LUT, ${BOARD.bram36} BRAM36); fastest single-core design ${bestSingle.name} ${bestSingleMs.toFixed(3)} ms; latency target ${targetMs.toFixed(3)} ms (÷ ${SPEEDUP})`);
  out.push(`search: ${EPISODES} episodes each (DDPG warm-up ${WARMUP}, ${UPDATES} updates per episode); inner layers' weight bits ${WEIGHT_BITS.min}..${WEIGHT_BITS.max}, activation bits ${ACTIVATION_RANGE.min}..${ACTIVATION_RANGE.max}; action wall (HAQ's action limiting: lower the bits of a design that misses the target until it meets it) ${ACTION_WALL ? 'on' : 'off'}; episode reward from the accuracy on ${SEARCH_VAL} validation images ${EPISODE_STEPS === 0 ? 'right after quantization (no per-episode fine-tune)' : `after ${EPISODE_STEPS} QAT steps (batch 64, Adam 5e-4) on ${SEARCH_TRAIN} training images`}; final: ${FINAL_STEPS} QAT steps (batch 64, Adam 5e-4, same batches) for every design on the ${data.train.x.shape[0]} training images`);
  out.push('');
  out.push('## Latency model against the reference (ResNet-18 ImageNet, Dk=128 Dm=8 Dn=16 Bm=8192 Lmem=8192 Rmem=2048)');
  out.push('| configuration | reference ms | ours ms |');
  out.push('|---|---|---|');
  for (const r of referenceRows) out.push(`| ${r.label} | ${r.referenceMs.toFixed(2)} | ${r.oursMs.toFixed(2)} |`);
  out.push('');
  out.push('## Designs (modelled latency at 100 MHz; accuracy right after quantization on the search-validation images, and on the test images after the same fine-tune)');
  out.push('| design | hardware | bits | latency ms | × vs fastest single-core | DSP | LUT | BRAM36 | fits | quantized (search-val) | fine-tuned (test) | Δ vs base |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    out.push(`| ${r.design} | ${r.hardware} | ${r.bits} | ${r.latencyMs.toFixed(3)} | ${r.speedupVsBestSingle.toFixed(3)} | ${r.dsp} | ${r.lut} | ${r.bram36} | ${r.fits ? 'yes' : 'no'} | ${pct(r.accuracyQuantized)} | ${pct(r.accuracyFineTuned)} | ${(100 * (r.accuracyFineTuned - baseAccuracy)).toFixed(2)} |`);
  }
  out.push('');
  out.push('## Searches (equal episodes)');
  out.push('| method | episodes | evaluated | met target | bits lowered by the wall (episodes) | seconds | episodes/s | best latency ms | best search-val accuracy | best reward | mean reward, last 20 episodes | mean search-val accuracy of evaluated, last 20 episodes |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of searches) {
    const met = s.episodes.filter((e) => e.design.fits && e.design.meetsTarget).length;
    const walled = s.episodes.filter((e) => (e.design.bitsLowered ?? 0) > 0).length;
    const tail = s.episodes.slice(-20);
    const tailEvaluated = tail.filter((e) => e.accuracy !== null);
    const meanTailReward = tail.reduce((sum, e) => sum + e.reward, 0) / tail.length;
    const meanTailAccuracy = tailEvaluated.length === 0 ? NaN : tailEvaluated.reduce((sum, e) => sum + (e.accuracy as number), 0) / tailEvaluated.length;
    out.push(`| ${s.method} | ${s.episodes.length} | ${s.evaluatedEpisodes} | ${met} | ${walled} | ${s.seconds.toFixed(0)} | ${s.episodesPerSecond.toFixed(3)} | ${s.best?.design.latencyMs?.toFixed(3) ?? 'none'} | ${s.best === undefined ? 'none' : pct(s.best.accuracy ?? NaN)} | ${s.best?.reward.toFixed(4) ?? 'none'} | ${meanTailReward.toFixed(4)} | ${tailEvaluated.length === 0 ? 'none' : `${pct(meanTailAccuracy)} (${tailEvaluated.length})`} |`);
  }
  out.push('');
  out.push('## Targets');
  out.push(`- searched (DDPG) design meets the target and fits the board: ${targets.meetsTargetAndFits ? 'MET' : 'MISSED'}`);
  out.push(`- ≥ 1.12× faster than the fastest single-core design: ${targets.speedupAtLeast112 ? 'MET' : 'MISSED'} (${ddpg?.speedupVsBestSingle.toFixed(3) ?? 'no design'}×)`);
  out.push(`- accuracy no more than 0.5 points below uniform W4A4 (the better of LUT-only and split W4A4, ${pct(w4a4)}): ${targets.accuracyWithinHalfPointOfW4A4 ? 'MET' : 'MISSED'} (${ddpg === undefined ? 'no design' : (100 * (ddpg.accuracyFineTuned - w4a4)).toFixed(2)} points)`);
  out.push(`- DDPG beats random search (final fine-tuned accuracy of the best designs): ${targets.ddpgBeatsRandom ? 'MET' : 'MISSED'} (${ddpg === undefined ? '-' : pct(ddpg.accuracyFineTuned)} vs ${random === undefined ? 'none found' : pct(random.accuracyFineTuned)})`);
  out.push('- The paper\'s 1.12–1.32× is against Mix&Match, which is not reproduced here (no SP2/fixed-point Mix&Match model): the comparison is with the fastest single-core design of the same model on the same board.');
  console.log(out.join('\n'));

  mkdirSync(fileURLToPath(new URL('../n3h/', import.meta.url)), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify({
    date: new Date().toISOString(), command, backend: backend.summary, minutes, load, board: BOARD, baseAccuracy, searchBaseAccuracy: searchBase, bestSingleCore: bestSingle.name, bestSingleMs, targetMs,
    options: { episodes: EPISODES, warmup: WARMUP, activationBits: ACTIVATION_RANGE, actionWall: ACTION_WALL, episodeSteps: EPISODE_STEPS, updates: UPDATES, finalSteps: FINAL_STEPS, searchTrain: SEARCH_TRAIN, searchVal: SEARCH_VAL, speedup: SPEEDUP, seed: SEED },
    reference: referenceRows, designs: rows, targets,
    searches: searches.map((s) => ({
      method: s.method, seconds: s.seconds, episodesPerSecond: s.episodesPerSecond, evaluated: s.evaluatedEpisodes,
      best: s.best === undefined ? null : { episode: s.best.episode, reward: s.best.reward, accuracy: s.best.accuracy, latencyMs: s.best.design.latencyMs, hardware: s.best.design.hardware, layers: s.best.design.layers },
      episodes: s.episodes.map((e) => ({ episode: e.episode, reward: e.reward, accuracy: e.accuracy, latencyMs: e.design.latencyMs, fits: e.design.fits, meetsTarget: e.design.meetsTarget, bitsLowered: e.design.bitsLowered ?? 0, seconds: e.seconds })),
    })),
  }, null, 2)}\n`);
  const ddpgBest = searches.find((s) => s.method === 'ddpg')?.best;
  if (ddpgBest !== undefined) {
    // The searched design as a design/policy file: `whittle fpga <model.json> --policy bench/n3h/best-policy.json --board xc7z020`, or n3h-quantize's `policy`.
    writeFileSync(join(dirname(args.out), 'best-policy.json'), `${JSON.stringify({ ...designPolicyJson(ddpgBest.design), bits: 'W8A8', edgeBits: 8 }, null, 2)}\n`);
  }
  base.dispose();
  if (test !== fullTest) tf.dispose([test.x, test.y as tf.Tensor]);
  data.dispose();
}

await main();
