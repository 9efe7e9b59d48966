/**
 * Training-step benchmark: ms per `model.trainOnBatch` step of the zoo's small CNN and ResNet-20 on
 * the wasm backend with Whittle's gradient kernels, and on tfjs's stock cpu backend, with speed-ups.
 *
 *   pnpm tsc -b bench && node bench/dist/train-step.js            # everything (stock cpu: ~15 min)
 *   node bench/dist/train-step.js --skip-cpu                        # wasm only (~30 s)
 *   node bench/dist/train-step.js --steps 20 --cpu-steps 2
 *
 * Median of N steps after warm-up steps; random inputs and labels; SGD; categorical cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { cpus, loadavg } from 'node:os';
import { selectBackend } from '@whittle/engine';
import type { BackendName } from '@whittle/kernel';
import { buildResNet, buildSmallCnn } from '@whittle/zoo';

interface BenchModel {
  name: string;
  batch: number;
  build: () => tf.LayersModel;
}

interface RunPlan {
  warmup: number;
  steps: number;
}

interface Measurement {
  medianMs: number;
  stepsMs: number[];
}

const INPUT_SHAPE: [number, number, number] = [32, 32, 3];
const CLASSES = 10;

const MODELS: BenchModel[] = [
  { name: 'small CNN (zoo buildSmallCnn, width 16)', batch: 64, build: () => buildSmallCnn({ inputShape: INPUT_SHAPE, numClasses: CLASSES, width: 16, seed: 1 }) },
  { name: 'ResNet-20 (zoo buildResNet, width 16)', batch: 32, build: () => buildResNet({ depth: 20, inputShape: INPUT_SHAPE, numClasses: CLASSES, width: 16, seed: 1 }) },
];

function parseArgs(argv: string[]): { skipCpu: boolean; wasm: RunPlan; cpu: RunPlan[] } {
  const value = (flag: string, fallback: number): number => {
    const index = argv.indexOf(flag);
    if (index < 0) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} needs a positive integer, got ${argv[index + 1]}`);
    return parsed;
  };
  const cpuSteps = value('--cpu-steps', 0);
  return {
    skipCpu: argv.includes('--skip-cpu'),
    wasm: { warmup: 3, steps: value('--steps', 10) },
    // Stock cpu takes about a minute (small CNN) and several minutes (ResNet-20) per step.
    cpu: [
      { warmup: 1, steps: cpuSteps || 2 },
      { warmup: 1, steps: cpuSteps || 1 },
    ],
  };
}

async function measure(model: BenchModel, plan: RunPlan): Promise<Measurement> {
  const optimizer = tf.train.sgd(0.01);
  const net = model.build();
  net.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const xs = tf.randomNormal([model.batch, ...INPUT_SHAPE], 0, 1, 'float32', 7);
  const labels = tf.tensor1d(Array.from({ length: model.batch }, (_, i) => (i * 7) % CLASSES), 'int32');
  const ys = tf.oneHot(labels, CLASSES).toFloat();
  const stepsMs: number[] = [];
  for (let i = 0; i < plan.warmup + plan.steps; i++) {
    const start = performance.now();
    await net.trainOnBatch(xs, ys);
    if (i >= plan.warmup) stepsMs.push(performance.now() - start);
  }
  tf.dispose([xs, labels, ys]);
  net.dispose();
  optimizer.dispose();
  const sorted = [...stepsMs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { medianMs, stepsMs };
}

const fmt = (ms: number): string => ms.toLocaleString('en-US', { maximumFractionDigits: ms < 100 ? 1 : 0 });

async function runOn(backend: BackendName, model: BenchModel, plan: RunPlan): Promise<Measurement> {
  const choice = await selectBackend(backend);
  const result = await measure(model, plan);
  console.log(
    `  ${backend.padEnd(5)} ${fmt(result.medianMs).padStart(8)} ms/step  (median of N=${plan.steps} after ${plan.warmup} warm-up; ` +
      `steps: ${result.stepsMs.map(fmt).join(', ')} ms; ${choice.summary})`,
  );
  return result;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`command: ${process.argv.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
  console.log(`node ${process.version}, tfjs ${tf.version.tfjs}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${process.platform}/${process.arch}`);
  // Other work on the machine slows both backends: report the load next to the figures.
  console.log(`load average at start (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  console.log(`data: random inputs [batch, ${INPUT_SHAPE.join(', ')}], one-hot labels (${CLASSES} classes); SGD lr 0.01; categoricalCrossentropy; model.trainOnBatch\n`);
  await selectBackend('wasm');
  const rows: string[] = [];
  for (const [index, model] of MODELS.entries()) {
    const params = tf.tidy(() => {
      const net = model.build();
      const count = net.countParams();
      net.dispose();
      return count;
    });
    console.log(`${model.name}: ${params.toLocaleString('en-US')} params, batch ${model.batch}, input [${model.batch}, ${INPUT_SHAPE.join(', ')}]`);
    const wasm = await runOn('wasm', model, args.wasm);
    let ratio = 'not measured (--skip-cpu)';
    if (!args.skipCpu) {
      const cpu = await runOn('cpu', model, args.cpu[index] as RunPlan);
      ratio = `${(cpu.medianMs / wasm.medianMs).toFixed(0)}×`;
    }
    console.log(`  speed-up wasm+Whittle gradients vs stock cpu: ${ratio}\n`);
    rows.push(`${model.name.split(' (')[0]}: wasm ${fmt(wasm.medianMs)} ms/step, speed-up ${ratio}`);
  }
  console.log(`summary: ${rows.join('; ')}`);
  console.log(`load average at end (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
}

await main();
