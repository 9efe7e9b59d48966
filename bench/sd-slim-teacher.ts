/**
 * Trains the committed class-conditional diffusion teacher of examples/sd-slim (DDPM, ε-prediction)
 * on Fashion-MNIST downsampled to 16×16, seeded and resumable in chunks.
 *
 *   pnpm exec tsc -b bench && node bench/dist/sd-slim-teacher.js [--steps 5000] [--batch 32] [--width 16]
 *     [--lr 1e-3] [--save-every 250] [--max-minutes 0] [--resume] [--out examples/sd-slim/teacher]
 *     [--checkpoint runs/sd-slim-teacher-checkpoint] [--eval-per-class 10]
 *
 * Data: Debian's dataset-fashion-mnist train split (60,000 images), padded to 32×32 and 2×2
 * average-pooled to 16×16 (28×28 does not train in the time this machine has), pixels in [−1, 1].
 * Model: @whittle/plugin-sd-slim's diffusion-unet (channelMults [1, 2, 2], 1 residual block per level,
 * self- and cross-attention at the 8×8 level and in the middle (as SD: none at the lowest level), 2 heads, 4 class tokens of 32), seed 1.
 * DDPM: cosine schedule, T = 1000, ε-prediction MSE, labels dropped with p = 0.1 (classifier-free
 * guidance possible), Adam, EMA of the weights (decay 0.999, warmed up as (1+s)/(10+s)) — the teacher is the EMA.
 * Step s draws its batch and noise from SeededRng(1, `step-${s}`), so a resumed run draws what an
 * uninterrupted one would (Adam's state and the EMA are checkpointed too).
 * Every `--save-every` steps (and on reaching `--max-minutes`) it writes the checkpoint and the
 * teacher (EMA weights + training.json with the loss curve); `--resume` continues from the checkpoint.
 * At the end it samples `--eval-per-class` images per class (DDIM 20 steps, seed 1) and reports
 * their class accuracy under @whittle/metrics' Fashion-MNIST classifier.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { FrechetFeatureExtractor } from '@whittle/metrics';
import { loadModel, saveModel } from '@whittle/model-io';
import {
  buildDiffusionUNet, diffusionTrainStep, loadFashionMnistDiffusion, NoiseSchedule, sampleClassAccuracy, sampleClasses, WeightEma,
} from '@whittle/plugin-sd-slim';
import { benchArgs } from './bench-args.js';

const args = benchArgs('sd-slim-teacher', {
  steps: '5000', batch: '32', width: '16', lr: '1e-3', 'save-every': '250', 'max-minutes': '0', resume: false,
  out: 'examples/sd-slim/teacher', checkpoint: 'runs/sd-slim-teacher-checkpoint', 'eval-per-class': '10',
});

interface CheckpointState {
  readonly step: number;
  readonly trainMilliseconds: number;
  readonly lossCurve: { step: number; loss: number }[];
  readonly specs: tf.io.WeightsManifestEntry[];
  readonly optimizerCount: number;
}

const SIDE = 16;
const SEED = 1;

async function main(): Promise<void> {
  const steps = args.integer('steps', 1);
  const batchSize = args.integer('batch', 1);
  const width = args.integer('width', 1);
  const learningRate = args.number('lr', 0);
  const saveEvery = args.integer('save-every', 1);
  const maxMinutes = args.number('max-minutes', 0);
  const evalPerClass = args.integer('eval-per-class', 0);
  const out = args.string('out');
  const checkpoint = args.string('checkpoint');
  const resume = args.flag('resume');
  const backend = await selectBackend('wasm');
  const command = `node bench/dist/sd-slim-teacher.js --steps ${steps} --batch ${batchSize} --width ${width} --lr ${learningRate} --save-every ${saveEvery} --out ${out} --checkpoint ${checkpoint}`;
  console.log(`command: ${command}${resume ? ' --resume' : ''}${maxMinutes > 0 ? ` --max-minutes ${maxMinutes}` : ''}\nbackend: ${backend.name}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const unetOptions = { inputShape: [SIDE, SIDE, 1] as const, numClasses: 10, width, channelMults: [1, 2, 2], resBlocks: 1, attentionLevels: [1], heads: 2, contextTokens: 4, contextDim: 32, seed: SEED };
  const diffusion = { schedule: 'cosine' as const, timesteps: 1000, labelDropout: 0.1, emaDecay: 0.999 };
  const schedule = NoiseSchedule.create({ kind: diffusion.schedule, steps: diffusion.timesteps });
  const data = await loadFashionMnistDiffusion({ split: 'train', side: SIDE });
  const n = data.labels.length;
  const labelsAll = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10).toFloat() as tf.Tensor2D);

  const optimizer = tf.train.adam(learningRate);
  let model: tf.LayersModel;
  let ema: WeightEma;
  let step = 0;
  let trainMilliseconds = 0;
  let lossCurve: { step: number; loss: number }[] = [];
  if (resume && existsSync(join(checkpoint, 'state.json'))) {
    model = await loadModel(join(checkpoint, 'model', 'model.json'));
    const state = JSON.parse(readFileSync(join(checkpoint, 'state.json'), 'utf8')) as CheckpointState;
    const bin = readFileSync(join(checkpoint, 'state.bin'));
    const named = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), state.specs);
    const tensors = state.specs.map((s) => named[s.name] as tf.Tensor);
    await optimizer.setWeights(tensors.slice(0, state.optimizerCount).map((tensor, i) => ({ name: state.specs[i]!.name, tensor })));
    ema = new WeightEma(model, diffusion.emaDecay, tensors.slice(state.optimizerCount));
    tf.dispose(tensors); // setWeights and WeightEma keep copies
    ({ step, trainMilliseconds, lossCurve } = state);
    console.log(`resumed at step ${step} (${(trainMilliseconds / 60000).toFixed(1)} min trained)`);
  } else {
    model = buildDiffusionUNet(unetOptions);
    ema = new WeightEma(model, diffusion.emaDecay);
  }
  console.log(`U-Net: ${model.countParams()} parameters; data: ${n} images ${SIDE}×${SIDE}`);

  const save = async (): Promise<void> => {
    mkdirSync(checkpoint, { recursive: true });
    await saveModel(model, join(checkpoint, 'model'));
    const optimizerWeights = await optimizer.getWeights();
    const emaNamed = ema.weights.map((tensor, i) => ({ name: `ema/${i}`, tensor }));
    const encoded = await tf.io.encodeWeights([...optimizerWeights, ...emaNamed]);
    writeFileSync(join(checkpoint, 'state.bin'), new Uint8Array(encoded.data));
    const state: CheckpointState = { step, trainMilliseconds, lossCurve, specs: encoded.specs, optimizerCount: optimizerWeights.length };
    writeFileSync(join(checkpoint, 'state.json'), `${JSON.stringify(state)}\n`);
    // tfjs-core's getWeights returns the iteration counter as a new tensor; the moments are the optimizer's own.
    const iterations = optimizerWeights.find((w) => w.name === 'iter');
    iterations?.tensor.dispose();
    const trained = model.getWeights().map((w) => w.clone());
    ema.copyTo(model);
    mkdirSync(out, { recursive: true });
    await saveModel(model, out);
    model.setWeights(trained);
    tf.dispose(trained);
    const record = {
      command, backend: backend.name, status: step >= steps ? 'complete' : `partial: ${step} of ${steps} steps`,
      data: { dataset: 'Debian dataset-fashion-mnist, train split', images: n, preprocessing: 'pad 28→32, 2×2 average pool → 16×16, pixels in [−1, 1]' },
      unet: { builder: 'diffusion-unet', ...unetOptions }, diffusion, settings: { steps, batchSize, learningRate, optimizer: 'adam', seed: SEED },
      stepsDone: step, trainMinutes: +(trainMilliseconds / 60000).toFixed(2), msPerStep: step > 0 ? +(trainMilliseconds / step).toFixed(1) : null,
      params: model.countParams(), lossCurve, tfjs: tf.version.tfjs,
    };
    writeFileSync(join(out, 'training.json'), `${JSON.stringify(record, null, 2)}\n`);
  };

  const started = Date.now();
  let windowLoss = 0;
  let windowSteps = 0;
  while (step < steps) {
    const rng = SeededRng.from(SEED, `step-${step}`);
    const index = tf.tensor1d(Int32Array.from({ length: batchSize }, () => rng.int(n)), 'int32');
    const x0 = tf.gather(data.x, index) as tf.Tensor4D;
    const y = tf.gather(labelsAll, index) as tf.Tensor2D;
    const t0 = performance.now();
    const loss = diffusionTrainStep(model, optimizer, x0, y, schedule, rng, diffusion.labelDropout);
    ema.update(model, step + 1);
    trainMilliseconds += performance.now() - t0;
    tf.dispose([index, x0, y]);
    step++;
    windowLoss += loss;
    windowSteps++;
    if (step % 50 === 0 || step === steps || step <= 3) {
      lossCurve.push({ step, loss: +(windowLoss / windowSteps).toFixed(5) });
      console.log(`step ${step}: loss ${(windowLoss / windowSteps).toFixed(4)}  ${(trainMilliseconds / step).toFixed(0)} ms/step  load ${loadavg()[0]!.toFixed(2)}  tensors ${tf.memory().numTensors}`);
      windowLoss = 0;
      windowSteps = 0;
    }
    const outOfTime = maxMinutes > 0 && Date.now() - started > maxMinutes * 60000;
    if (step % saveEvery === 0 || step === steps || outOfTime) {
      await save();
      console.log(`saved checkpoint and teacher at step ${step}`);
    }
    if (outOfTime) {
      console.log(`stopping after ${maxMinutes} min at step ${step}; continue with --resume`);
      break;
    }
  }

  if (evalPerClass > 0) {
    ema.copyTo(model);
    const extractor = await FrechetFeatureExtractor.load();
    const evalStart = performance.now();
    const { images, labels } = sampleClasses(model, schedule, [SIDE, SIDE, 1], { classes: 10, perClass: evalPerClass, steps: 20, seed: 1 });
    const accuracy = sampleClassAccuracy(extractor, images, labels);
    const real = await loadFashionMnistDiffusion({ split: 't10k', side: SIDE, limit: 1000 });
    const realPixels = tf.tidy(() => tf.div(tf.add(real.x, 1), 2) as tf.Tensor4D);
    const realAccuracy = sampleClassAccuracy(extractor, realPixels, real.labels);
    console.log(`EMA teacher samples (DDIM 20, ${labels.length}): class accuracy ${accuracy.toFixed(3)} (real 16×16 t10k images: ${realAccuracy.toFixed(3)}); ${((performance.now() - evalStart) / 1000).toFixed(0)} s`);
    const path = join(out, 'training.json');
    if (existsSync(path)) {
      const record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      record['sampleCheck'] = { samples: labels.length, ddimSteps: 20, seed: 1, classAccuracy: accuracy, realImagesClassAccuracy: realAccuracy, atStep: step };
      writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
    }
    tf.dispose([images, realPixels]);
    real.dispose();
    extractor.dispose();
  }
  tf.dispose(labelsAll);
  data.dispose();
  ema.dispose();
  model.dispose();
}

await main();
