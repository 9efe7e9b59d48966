/**
 * What web quantization buys: for each model, the folder a web app serves stored as float32, uint8,
 * uint16 and float16 (tfjs weights manifests with `quantization`, decoded by the stock loader), its
 * bytes — weights alone and with model.json — and the output error against float32.
 *
 *   pnpm tsc -b bench && node bench/dist/web-quantize.js [--examples 8] [--min-elements 0] [--skip PATTERN,…] [--test-limit 2000]
 *
 * Models: ResNet-20 (bench/sp-lamp/base-model: width 16, trained on Fashion-MNIST, 28×28×1; with its
 * test accuracy when Debian's dataset-fashion-mnist is installed), the zoo's MobileNetV2-style network
 * (32×32×3, seeded initial weights, BatchNorm at its initial statistics), Keras MobileNetV2 224 (the
 * zoo's tf.keras topology, seeded random weights) and nsfwjs's trained MobileNetV2 224 (a real
 * Keras-converted model that ships uint8-quantized: its float32 row is its decoded weights, so its
 * uint8 row re-quantizes values already on a uint8 grid). Inputs: the first test images (ResNet-20
 * with data), else seeded uniform noise in [0, 1).
 */
import * as tf from '@tensorflow/tfjs';
import { idxProvider } from '@whittle/data';
import { selectBackend } from '@whittle/engine';
import { SeededRng, type ClassificationSplits } from '@whittle/kernel';
import { evaluateAccuracy } from '@whittle/metrics';
import { loadModel } from '@whittle/model-io';
import { compareStorage, modelFolderHandler, type StorageRow } from '@whittle/plugin-tfjs-web';
import { buildMobileNetV2Style, kerasMobileNetV2Artifacts } from '@whittle/zoo';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    examples: { type: 'string', default: '8' },
    'min-elements': { type: 'string', default: '0' },
    skip: { type: 'string', default: '' },
    'test-limit': { type: 'string', default: '2000' },
  },
});

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = existsSync(join(here, 'sp-lamp')) ? here : join(here, '..');
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const examples = Number(args.examples);
const rules = { minElements: Number(args['min-elements']), skip: args.skip === '' ? [] : args.skip.split(',') };

/** nsfwjs ships its models as UMD scripts: model.json as an object, each shard as base64. */
function nsfwjsMobileNetV2(dir: string): string {
  const require = createRequire(import.meta.url);
  const base = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
  const json = require(join(base, 'model.min.js')) as { weightsManifest: { paths: string[] }[] };
  for (const path of json.weightsManifest.flatMap((g) => g.paths)) writeFileSync(join(dir, path), Buffer.from(require(join(base, `${path}.min.js`)) as string, 'base64'));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return join(dir, 'model.json');
}

interface Case {
  readonly name: string;
  readonly load: () => Promise<tf.LayersModel>;
  readonly inputs: (model: tf.LayersModel) => tf.Tensor;
  readonly measure?: (model: tf.LayersModel) => Promise<number>;
}

function noise(model: tf.LayersModel): tf.Tensor {
  return tf.randomUniform([examples, ...model.inputs[0]!.shape.slice(1).map((d) => d ?? 1)], 0, 1, 'float32', 1);
}

function kib(n: number): string {
  return (n / 1024).toFixed(1);
}

async function main(): Promise<void> {
  const started = Date.now();
  const backend = await selectBackend('wasm');
  const tmp = mkdtempSync(join(tmpdir(), 'whittle-web-quantize-bench-'));
  let data: ClassificationSplits | undefined;
  if (existsSync(FASHION_MNIST)) {
    data = await idxProvider.load({ dir: FASHION_MNIST }, { trainLimit: 1, validationSplit: 0, testLimit: Number(args['test-limit']) }, { baseDir: process.cwd(), rng: SeededRng.from(0, 'data') });
  }
  const test = data?.test;
  const cases: Case[] = [
    {
      name: 'ResNet-20 (trained, Fashion-MNIST 28×28×1)',
      load: () => loadModel(join(benchDir, 'sp-lamp/base-model/model.json')),
      inputs: (model) => (test === undefined ? noise(model) : tf.tidy(() => test.x.slice(0, examples))),
      ...(test === undefined ? {} : { measure: (model: tf.LayersModel) => evaluateAccuracy(model, test) }),
    },
    { name: 'MobileNetV2-style (zoo, 32×32×3, initial weights)', load: async () => buildMobileNetV2Style({ inputShape: [32, 32, 3], numClasses: 10, seed: 1 }), inputs: noise },
    { name: 'MobileNetV2 224 (Keras topology, seeded random weights)', load: () => tf.loadLayersModel(tf.io.fromMemory(kerasMobileNetV2Artifacts(0))), inputs: noise },
    { name: 'MobileNetV2 224 (nsfwjs, trained; shipped uint8)', load: () => tf.loadLayersModel(modelFolderHandler(nsfwjsMobileNetV2(tmp))), inputs: noise },
  ];

  const out: string[] = [];
  out.push(`# command: node bench/dist/web-quantize.js ${process.argv.slice(2).join(' ')}`.trimEnd());
  out.push(`# ${new Date().toISOString()}, Node ${process.version}, tfjs ${tf.version.tfjs}, backend ${backend.name}`);
  out.push(`# skip rules: minElements ${rules.minElements}, patterns [${rules.skip.join(', ')}]; output error on ${examples} examples (${test === undefined ? 'uniform noise everywhere: no Fashion-MNIST' : `ResNet-20: the first Fashion-MNIST test images, accuracy on ${test.x.shape[0]} test images; the others: uniform noise`})`);
  out.push('# ratio = float32 bytes ÷ these bytes; "w" = weight shards only, "all" = shards + model.json; rel. error = max |Δoutput| ÷ max |float32 output|');
  const summary: { name: string; row: StorageRow }[] = [];
  for (const c of cases) {
    const model = await c.load();
    const inputs = c.inputs(model);
    const rows = await compareStorage(model, inputs, { ...rules, ...(c.measure === undefined ? {} : { measure: c.measure }) });
    tf.dispose(inputs);
    model.dispose();
    out.push('', `## ${c.name}: ${rows[0]!.weightBytes / 4} weights`, '');
    out.push(`| storage | weights KiB | model.json KiB | all KiB | ratio w | ratio all | kept float32 | max abs error | rel. error |${c.measure === undefined ? '' : ' accuracy |'}`);
    out.push(`|---|---|---|---|---|---|---|---|---|${c.measure === undefined ? '' : '---|'}`);
    for (const r of rows) {
      out.push(`| ${r.dtype} | ${kib(r.weightBytes)} | ${kib(r.modelJsonBytes)} | ${kib(r.totalBytes)} | ${r.weightRatio.toFixed(2)}× | ${r.totalRatio.toFixed(2)}× | ${r.skippedTensors} | ${r.output.maxAbs.toExponential(2)} | ${r.output.relative.toExponential(2)} |${r.metric === undefined ? '' : ` ${(r.metric * 100).toFixed(2)}% |`}`);
      if (r.dtype === 'uint8') summary.push({ name: c.name, row: r });
    }
    console.log(out.splice(0).join('\n'));
  }
  const worstW = Math.min(...summary.map((s) => s.row.weightRatio));
  const worstAll = Math.min(...summary.map((s) => s.row.totalRatio));
  out.push('', `target: uint8 ≥ 3.9× smaller. Weights alone (the shards the browser downloads besides model.json): ${worstW.toFixed(2)}× at worst — ${worstW >= 3.9 ? 'met' : 'MISSED'}. With model.json counted: ${worstAll.toFixed(2)}× at worst — ${worstAll >= 3.9 ? 'met' : 'missed'} (model.json is not quantized: it is the topology, the same bytes at every dtype).`);
  out.push(`# took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(out.join('\n'));
  data?.dispose();
  rmSync(tmp, { recursive: true, force: true });
}

await main();
