/**
 * A-SDM at toy scale: the committed 16×16 Fashion-MNIST diffusion teacher (examples/sd-slim/teacher)
 * against slim U-Nets, with the ablation of the paper's components, cumulative:
 *   removal    — the most redundant blocks (block-redundancy) removed at once, then fine-tuned (task loss)
 *   +incubation — removed in stages, the changed modules trained in place with the rest frozen, same fine-tune
 *   +condconv  — the removed convolutions kept as CLME-CondConv experts
 *   +gri       — 8×8 self-attention replaced by GRI attention (window 4, 2×2-pooled global tokens)
 *   +sas       — the fine-tune replaced by SAS distillation (task + output KD + feature KD + semantic)
 * Prints U-Net latency (batch 1 and 16), DDIM sampling time, params, MACs, Fréchet distance and
 * class accuracy of samples for each, in one run (latencies interleaved round-robin), with the load.
 *
 *   pnpm exec tsc -b bench && node bench/dist/sd-slim.js [--teacher examples/sd-slim/teacher/model.json]
 *     [--condition-weight 1] [--latency-target 0.3] [--stages 2] [--incubation-steps 150] [--finetune-steps 1000] [--batch 32]
 *     [--per-class 30] [--ddim-steps 20] [--train-limit 20000] [--test-limit 1000] [--rounds 5]
 *     [--variants removal,+incubation,+condconv,+gri,+sas] [--out bench/sd-slim]
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { benchArgs } from './bench-args.js';
import { selectBackend } from '@whittle/engine';
import { layerOperationsOf, totalMacs } from '@whittle/graph';
import { PluginRegistry, runStage, SeededRng, type DatasetSplits, type LabeledTensors, type ScoreTable } from '@whittle/kernel';
import { FrechetFeatureExtractor } from '@whittle/metrics';
import { loadModel } from '@whittle/model-io';
import sdSlim, {
  BlockRedundancyPlugin, classGridPng, defaultSchedule, fashionMnistDiffusionProvider, measureSampleQuality, redundancyMarkdown,
  noisePredictionMse, sampleClasses, samplingMs, SasPlugin, SdFinetunePlugin, SdIncubationPlugin, unetLatencyMs, type BlockRedundancy,
} from '@whittle/plugin-sd-slim';

const args = benchArgs('sd-slim', {
  teacher: 'examples/sd-slim/teacher/model.json', 'condition-weight': '1', 'latency-target': '0.3', stages: '2', 'incubation-steps': '150', 'finetune-steps': '1000', batch: '32',
  'per-class': '30', 'ddim-steps': '20', 'train-limit': '20000', 'test-limit': '1000', rounds: '5', variants: 'removal,+incubation,+condconv,+gri,+sas', out: 'bench/sd-slim',
});
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

const VARIANTS = ['removal', '+incubation', '+condconv', '+gri', '+sas'] as const;
type Variant = (typeof VARIANTS)[number];

interface Row {
  name: string;
  params: number;
  macs: number;
  latencyB1Ms: number;
  latencyB16Ms: number;
  samplingMs: number;
  /** ε-prediction MSE on the held-out test images, one seeded (t, ε) draw each, the same for every model. */
  epsMse: number;
  frechet: number;
  classAccuracy: number;
  trainSeconds: number;
  details: string;
}

async function main(): Promise<void> {
  const teacherPath = args.string('teacher');
  const conditionWeight = args.number('condition-weight', 0);
  const latencyTarget = args.number('latency-target', 0);
  const stages = args.integer('stages', 1);
  const incubationSteps = args.integer('incubation-steps', 0);
  const finetuneSteps = args.integer('finetune-steps', 0);
  const batchSize = args.integer('batch', 1);
  const perClass = args.integer('per-class', 1);
  const ddimSteps = args.integer('ddim-steps', 1);
  const trainLimit = args.integer('train-limit', 1);
  const testLimit = args.integer('test-limit', 1);
  const rounds = args.integer('rounds', 1);
  const variants = args.list('variants', VARIANTS);
  const out = args.string('out');
  const backend = await selectBackend('wasm');
  const command = args.command;
  console.log(`command: ${command}\nbackend: ${backend.name}; load average ${load()}`);
  const started = Date.now();

  const teacher = await loadModel(teacherPath);
  const side = teacher.inputs[0]!.shape[1] as number;
  const data = await fashionMnistDiffusionProvider.load({ side }, { trainLimit, testLimit, validationSplit: 0.01 }, { baseDir: '.', rng: SeededRng.from(1, 'data') }) as DatasetSplits<LabeledTensors>;
  const schedule = defaultSchedule();
  const ops = layerOperationsOf(new PluginRegistry([sdSlim]));
  const extractor = await FrechetFeatureExtractor.load();
  const reference = data.test!.x as tf.Tensor4D;

  // 1. Redundancy analysis (score).
  const t0 = Date.now();
  const scoreDir = mkdtempSync(join(tmpdir(), 'sd-slim-score-'));
  const { value: scores, metrics: scoreMetrics } = await runStage<ScoreTable>(BlockRedundancyPlugin, { model: teacher, data, options: { images: 16, timesteps: 4, latencyRuns: 10, conditionWeight }, seed: 1, outDir: scoreDir });
  const table = JSON.parse(readFileSync(join(scoreDir, dirname(String(scoreMetrics['table'])), 'redundancy.json'), 'utf8')) as BlockRedundancy[];
  rmSync(scoreDir, { recursive: true, force: true });
  console.log(`redundancy analysis (${((Date.now() - t0) / 1000).toFixed(0)} s, ${scoreMetrics['blocks']} blocks; load ${load()}):\n${redundancyMarkdown(table)}`);

  // 2. The variants.
  const models: { name: string; model: tf.LayersModel; trainSeconds: number; details: string }[] = [{ name: 'teacher', model: teacher, trainSeconds: 0, details: `committed teacher ${teacherPath}` }];
  // The first variant picks the blocks for the latency target (measured on assembled candidates); the
  // others remove the same ranked blocks, so the ablation compares components, not removal sets.
  let removalCount: number | undefined;
  const has = (v: Variant) => (stagesOf: Variant) => variants.indexOf(stagesOf) >= 0 && variants.indexOf(stagesOf) <= variants.indexOf(v);
  for (const variant of variants) {
    const upTo = has(variant);
    const incubation = upTo('+incubation');
    const vt = Date.now();
    const pruned = await runStage(SdIncubationPlugin, {
      model: teacher, scores, data, seed: 2, options: {
        ...(removalCount === undefined ? { latencyTarget } : { blocks: removalCount, latencyTarget: 0 }), stages: incubation ? stages : 1, incubationSteps: incubation ? incubationSteps : 0,
        condConv: upTo('+condconv'), gri: upTo('+gri'), griWindow: 4, griPoolStride: 2, batchSize,
      },
    });
    const slim = pruned.value;
    const planned = removalCount === undefined ? `latency target ${latencyTarget}: measured saving ${(Number(pruned.metrics['plannedSavingFraction']) * 100).toFixed(1)} % (${Number(pruned.metrics['plannedFullMs']).toFixed(2)} → ${Number(pruned.metrics['plannedSlimMs']).toFixed(2)} ms) with ${pruned.metrics['plannedBlocks']} blocks; ` : 'the same blocks; ';
    removalCount ??= Number(pruned.metrics['removedBlocks']);
    const recover = upTo('+sas')
      ? await runStage(SasPlugin, { model: slim, teacher, data, seed: 3, options: { steps: finetuneSteps, batchSize } })
      : await runStage(SdFinetunePlugin, { model: slim, data, seed: 3, options: { steps: finetuneSteps, batchSize } });
    const seconds = (Date.now() - vt) / 1000;
    const details = `${planned}removed ${pruned.metrics['removedBlocks']} (${pruned.metrics['removed']}) in ${pruned.metrics['stages']} stage(s); incubation ${incubation ? `${incubationSteps} steps/stage` : 'none'}; CondConv experts ${pruned.metrics['condConvExperts']}${pruned.metrics['condConvNote'] === undefined ? '' : ` (${pruned.metrics['condConvNote']})`}; GRI layers ${pruned.metrics['griLayers']}; ${upTo('+sas') ? 'SAS' : 'fine-tune'} ${finetuneSteps} steps (final loss ${Number(recover.metrics['finalLoss']).toFixed(4)})`;
    console.log(`${variant}: ${details}; ${seconds.toFixed(0)} s; load ${load()}`);
    models.push({ name: variant, model: slim, trainSeconds: seconds, details });
  }

  // 3. Quality (same x_T for every model) and cost.
  const rows: Row[] = [];
  for (const m of models) {
    const q = measureSampleQuality(m.model, schedule, extractor, reference, { perClass, steps: ddimSteps, seed: 1 });
    const epsMse = await noisePredictionMse(m.model, reference, data.test!.y as tf.Tensor2D, schedule, SeededRng.from(7, 'held-out-noise'));
    rows.push({ name: m.name, epsMse, params: m.model.countParams(), macs: totalMacs(m.model, ops), latencyB1Ms: 0, latencyB16Ms: 0, samplingMs: 0, frechet: q.frechet, classAccuracy: q.classAccuracy, trainSeconds: m.trainSeconds, details: m.details });
    console.log(`${m.name}: held-out ε-MSE ${epsMse.toFixed(4)}, Fréchet ${q.frechet.toFixed(3)}, class accuracy ${(q.classAccuracy * 100).toFixed(1)}% (${q.samples} samples); load ${load()}`);
  }
  const real = tf.tidy(() => tf.div(tf.add(reference, 1), 2) as tf.Tensor4D);
  const realPredicted = extractor.classify(real);
  const realLabels = data.test!.y.argMax(1).dataSync();
  const realAccuracy = realPredicted.reduce((s, p, i) => s + (p === realLabels[i] ? 1 : 0), 0) / realPredicted.length;
  real.dispose();
  // Latency: round-robin over the models, each round the median of a few calls; the median over rounds.
  const lat: number[][][] = models.map(() => [[], [], []]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, m] of models.entries()) {
      lat[i]![0]!.push(await unetLatencyMs(m.model, 1, { runs: 10 }));
      lat[i]![1]!.push(await unetLatencyMs(m.model, 16, { runs: 3, warmup: 1 }));
      lat[i]![2]!.push(await samplingMs(m.model, schedule, { steps: ddimSteps, batch: 1, runs: 1 }));
    }
  }
  rows.forEach((row, i) => {
    row.latencyB1Ms = median(lat[i]![0]!);
    row.latencyB16Ms = median(lat[i]![1]!);
    row.samplingMs = median(lat[i]![2]!);
  });

  // 4. Grid: teacher | final variant, one row per class, same seeds.
  mkdirSync(out, { recursive: true });
  const last = models[models.length - 1]!;
  const panels = [teacher, last.model].map((m) => sampleClasses(m, schedule, [side, side, 1], { classes: 10, perClass: 6, steps: ddimSteps, seed: 100 }).images);
  writeFileSync(join(out, 'grid.png'), await classGridPng(panels, 10));
  tf.dispose(panels);

  const t = rows[0]!;
  const pct = (a: number, b: number) => `${((1 - a / b) * 100).toFixed(1)}%`;
  const lines = [
    '| model | params | MACs | U-Net b1 ms | U-Net b16 ms | sampling ms (1 image, ' + ddimSteps + ' DDIM) | U-Net b1 faster | sampling faster | held-out ε-MSE | Fréchet | class acc. | train s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.params} | ${(r.macs / 1e6).toFixed(2)} M | ${r.latencyB1Ms.toFixed(2)} | ${r.latencyB16Ms.toFixed(2)} | ${r.samplingMs.toFixed(1)} | ${r.name === 'teacher' ? '—' : pct(r.latencyB1Ms, t.latencyB1Ms)} | ${r.name === 'teacher' ? '—' : pct(r.samplingMs, t.samplingMs)} | ${r.epsMse.toFixed(4)} | ${r.frechet.toFixed(3)} | ${(r.classAccuracy * 100).toFixed(1)}% | ${r.trainSeconds.toFixed(0)} |`),
  ];
  const minutes = (Date.now() - started) / 60000;
  const text = [
    `command: ${command}`,
    `backend ${backend.name}; load average at the end ${load()}; ${minutes.toFixed(1)} min; tfjs ${tf.version.tfjs}`,
    `data: fashion-mnist-diffusion ${side}×${side}, ${data.train.x.shape[0]} training images, ${reference.shape[0]} test images as the Fréchet reference and for the held-out ε-MSE (one (t, ε) draw each, seed 7); ${perClass} samples per class (seed 1), ${ddimSteps} DDIM steps; real ${side}×${side} test images' class accuracy under the classifier: ${(realAccuracy * 100).toFixed(1)}%`,
    '',
    ...lines,
    '',
    ...rows.slice(1).map((r) => `- ${r.name}: ${r.details}`),
    '',
    'redundancy analysis of the teacher (most redundant first):',
    '',
    redundancyMarkdown(table),
  ].join('\n');
  console.log(`\n${text}`);
  writeFileSync(join(out, 'results.md'), `${text}\n`);
  writeFileSync(join(out, 'results.json'), `${JSON.stringify({ command, backend: backend.name, loadAverage: loadavg(), minutes, realAccuracy, rows, redundancy: table }, null, 2)}\n`);
  for (const m of models) m.model.dispose();
  extractor.dispose();
  data.dispose();
}

await main();
