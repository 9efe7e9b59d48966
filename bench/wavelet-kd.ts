/**
 * Wavelet KD benchmark (issue 13): distil the committed pix2pix teacher (examples/wavelet-kd/teacher)
 * into a student generator with ≥ 4× fewer MACs on fashion-mnist-edges, with
 *   (a) no KD, (b) pixel L1 KD, (c) LL-only KD, (d) WKD (high bands), at the teacher's discriminator
 *   width, and (d) again with the discriminator at ½× and ¼× width;
 * every row the same steps, batches, student initialisation and discriminator seed. The student is either a
 * fresh pix2pix U-Net of `--student-width` (`--student width`, seed 3) or the teacher itself, L1-norm
 * channel-pruned uniformly by `--prune-ratio` of every prunable group (`--student pruned`: @whittle/graph's
 * surgery through plugin-baselines' `l1-norm` + `uniform` stages, so it starts from the teacher's weights; the
 * default: at 300 steps of (d) it had Fréchet 6.78 vs the width-7 student's 62.18, at 1000 steps 1.50 vs 5.68).
 * `--seed` is the stage seed (batches and the discriminator's initialisation), the same in every row. Each row runs the
 * `wavelet-kd` stage (runStage) and reads its record. Prints Fréchet distance (committed Fashion-MNIST
 * classifier's features; a small-scale FID analogue, not FID), PSNR, SSIM, per-band L1, MACs, and
 * teacher vs student latency (wasm, batch 1 and 32, interleaved windows) measured in this run.
 * Writes bench/wavelet-kd/grid.png (rows: input, target, teacher, students a–d, d@½D, d@¼D) and
 * bench/wavelet-kd/results.json.
 *
 *   pnpm exec tsc -b bench && node bench/dist/wavelet-kd.js [--steps 6000] [--batch 16] [--train-limit 20000]
 *     [--test-limit 1000] [--student pruned|width] [--prune-ratio 0.55] [--student-width 7] [--distill-weight 100] [--seed 5]
 *     [--band-units pixel|orthonormal] [--rows a,b,c,d,d2,d4]
 * (`--rows` runs a subset: a, b, c, d, d2 = d with D ½×, d4 = d with D ¼×; the targets need a–d.)
 */
import * as tf from '@tensorflow/tfjs';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '@whittle/engine';
import { totalMacs } from '@whittle/graph';
import { runStage, SeededRng, type ScoreTable } from '@whittle/kernel';
import metrics, { steadyLatency } from '@whittle/metrics';
import { loadModel } from '@whittle/model-io';
import { L1NormScore, UniformPrune } from '@whittle/plugin-baselines';
import { fashionMnistEdgesProvider, imageGridPng, WaveletKdPlugin } from '@whittle/plugin-wavelet-kd';
import { buildPix2PixGenerator } from '@whittle/zoo';
import { benchArgs } from './bench-args.js';


interface Row {
  readonly key: string;
  readonly label: string;
  readonly distillation: 'none' | 'pixel' | 'wavelet';
  readonly bands: 'high' | 'low';
  readonly discriminatorScale: number;
}

const ROWS: readonly Row[] = [
  { key: 'a', label: '(a) no KD', distillation: 'none', bands: 'high', discriminatorScale: 1 },
  { key: 'b', label: '(b) pixel KD', distillation: 'pixel', bands: 'high', discriminatorScale: 1 },
  { key: 'c', label: '(c) LL-only KD', distillation: 'wavelet', bands: 'low', discriminatorScale: 1 },
  { key: 'd', label: '(d) WKD', distillation: 'wavelet', bands: 'high', discriminatorScale: 1 },
  { key: 'd2', label: '(d) WKD, D ½×', distillation: 'wavelet', bands: 'high', discriminatorScale: 0.5 },
  { key: 'd4', label: '(d) WKD, D ¼×', distillation: 'wavelet', bands: 'high', discriminatorScale: 0.25 },
];

const args = benchArgs('wavelet-kd', {
  steps: '6000', batch: '16', 'train-limit': '20000', 'test-limit': '1000', student: 'pruned', 'student-width': '7', 'prune-ratio': '0.55',
  'distill-weight': '100', seed: '5', 'band-units': 'pixel', rows: ROWS.map((r) => r.key).join(','), teacher: 'examples/wavelet-kd/teacher', out: 'bench/wavelet-kd',
});

const fmt = (v: unknown, digits = 4): string => (typeof v === 'number' ? v.toFixed(digits) : String(v));

async function main(): Promise<void> {
  const steps = args.integer('steps', 1);
  const batchSize = args.integer('batch', 1);
  const trainLimit = args.integer('train-limit', 1);
  const testLimit = args.integer('test-limit', 1);
  const studentKind = args.choice('student', ['width', 'pruned'] as const);
  const studentWidth = args.integer('student-width', 1);
  const pruneRatio = args.number('prune-ratio', 0);
  if (!(pruneRatio > 0 && pruneRatio < 1)) args.fail(`--prune-ratio must be a fraction in (0, 1), got ${pruneRatio}`);
  const distillWeight = args.number('distill-weight', 0);
  const seed = args.integer('seed');
  const bandUnits = args.choice('band-units', ['orthonormal', 'pixel'] as const);
  const rowKeys = args.list('rows', ROWS.map((r) => r.key));
  const rows = ROWS.filter((r) => rowKeys.includes(r.key));
  const teacherDir = args.string('teacher');
  const outDir = args.string('out');
  const command = args.command;
  const backend = await selectBackend('wasm');
  const started = Date.now();
  console.log(`command: ${command}`);
  console.log(`backend ${backend.name}, tfjs ${tf.version.tfjs}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const teacherRecord = JSON.parse(readFileSync(join(teacherDir, 'training.json'), 'utf8')) as { command: string; settings: { steps: number }; discriminator: { width: number } };
  const teacher = await loadModel(join(teacherDir, 'generator', 'model.json'));
  const teacherDiscriminatorWidth = teacherRecord.discriminator.width;
  console.log(`teacher: ${teacherDir} (trained by: ${teacherRecord.command}; ${teacherRecord.settings.steps} steps, discriminator width ${teacherDiscriminatorWidth})`);
  const data = await fashionMnistEdgesProvider.load({ threshold: 0.2 }, { trainLimit, testLimit, validationSplit: 0 }, { baseDir: '.', rng: SeededRng.from(1, 'data') });
  console.log(`data: fashion-mnist-edges, ${data.train.x.shape[0]} training pairs (trainLimit ${trainLimit}, the teacher's), ${data.test!.x.shape[0]} test pairs (t10k, testLimit ${testLimit}); metrics on the test pairs`);
  const { value: teacherScores } = await runStage<ScoreTable>(L1NormScore, { model: teacher });
  const newStudent = async (): Promise<tf.LayersModel> => studentKind === 'width'
    ? buildPix2PixGenerator({ inputShape: [32, 32, 1], width: studentWidth, outActivation: 'sigmoid', seed: 3 })
    : (await runStage(UniformPrune, { model: teacher, scores: teacherScores, options: { ratio: pruneRatio } })).value;
  const studentDescription = studentKind === 'width'
    ? `pix2pix-generator width ${studentWidth} (sigmoid), seed 3 for every row`
    : `the teacher, L1-norm channel-pruned by ${pruneRatio} in every prunable group (uniform), its remaining weights inherited, for every row`;
  console.log(`students: ${studentDescription}; ${steps} steps × batch ${batchSize}; Adam 2e-4/β1 0.5; λ_L1 100; distillWeight ${distillWeight}; J = 3 Haar levels, band units ${bandUnits}; stage seed ${seed} (batches, discriminator init)`);

  const teacherMacs = totalMacs(teacher);
  const grid: tf.Tensor4D[] = [];
  const k = 10;
  const gridInputs = data.test!.x.slice(0, k) as tf.Tensor4D;
  grid.push(gridInputs, data.test!.y.slice(0, k) as tf.Tensor4D, teacher.predict(gridInputs) as tf.Tensor4D);

  const results: Record<string, unknown>[] = [];
  let teacherQuality: Record<string, unknown> | undefined;
  let lastStudent: tf.LayersModel | undefined;
  for (const row of rows) {
    const student = await newStudent();
    const discriminatorWidth = Math.max(1, Math.round(teacherDiscriminatorWidth * row.discriminatorScale));
    const rowStarted = Date.now();
    const { metrics: record } = await runStage(WaveletKdPlugin, {
      model: student, teacher, data, seed, manifests: [metrics],
      options: { steps, batchSize, distillation: row.distillation, bands: row.bands, bandUnits, levels: 3, distillWeight, discriminatorWidth, gridImages: 0, evaluate: true },
    });
    teacherQuality ??= Object.fromEntries(Object.entries(record).filter(([key]) => key.startsWith('teacher') && key !== 'teacherOutputs'));
    const result = {
      row: row.label, discriminatorWidth, macs: totalMacs(student),
      frechet: record.studentFrechet, psnr: record.studentPsnr, ssim: record.studentSsim, l1: record.studentL1,
      bandLowL1: record.studentBandLowL1, bandHighL1: record.studentBandHighL1,
      finalDistillLoss: record.finalDistillLoss, seconds: (Date.now() - rowStarted) / 1000,
    };
    results.push(result);
    console.log(`${row.label}: Fréchet ${fmt(result.frechet)}  PSNR ${fmt(result.psnr, 2)}  SSIM ${fmt(result.ssim)}  LL-L1 ${fmt(result.bandLowL1)}  HF-L1 ${fmt(result.bandHighL1)}  D width ${discriminatorWidth}  (${fmt(result.seconds, 0)} s)`);
    grid.push(student.predict(gridInputs) as tf.Tensor4D);
    lastStudent?.dispose();
    lastStudent = student;
  }

  // Latency: the teacher and a student (every student has the same architecture), interleaved windows, best median.
  const student = lastStudent!;
  const latency: Record<string, { teacherMs: number; studentMs: number; speedup: number }> = {};
  for (const batch of [1, 32]) {
    const [teacherMs, studentMs] = (await steadyLatency([teacher, student], { batchSize: batch, runs: 30, windows: 3 })) as [number, number];
    latency[`batch${batch}`] = { teacherMs, studentMs, speedup: teacherMs / studentMs };
  }

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'grid.png'), await imageGridPng(grid));
  tf.dispose(grid);
  const macsRatio = teacherMacs / (results[0]!.macs as number);
  const summary = { command, backend: backend.name, bandUnits, rowKeys: rows.map((r) => r.key), steps, batchSize, trainLimit, testLimit, student: studentKind, ...(studentKind === 'width' ? { studentWidth } : { pruneRatio }), distillWeight, seed, teacher: { dir: teacherDir, macs: teacherMacs, ...teacherQuality }, rows: results, latency, macsRatio, minutes: (Date.now() - started) / 60000, loadAverageEnd: loadavg() };
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);

  console.log('\n| row | D width | MACs | Fréchet ↓ | PSNR ↑ | SSIM ↑ | LL L1 ↓ | HF L1 ↓ |');
  console.log('|---|---|---|---|---|---|---|---|');
  const tq = teacherQuality ?? {};
  console.log(`| teacher (width 16) | ${teacherDiscriminatorWidth} | ${teacherMacs} | ${fmt(tq.teacherFrechet)} | ${fmt(tq.teacherPsnr, 2)} | ${fmt(tq.teacherSsim)} | ${fmt(tq.teacherBandLowL1)} | ${fmt(tq.teacherBandHighL1)} |`);
  for (const r of results) console.log(`| ${String(r.row)} | ${String(r.discriminatorWidth)} | ${String(r.macs)} | ${fmt(r.frechet)} | ${fmt(r.psnr, 2)} | ${fmt(r.ssim)} | ${fmt(r.bandLowL1)} | ${fmt(r.bandHighL1)} |`);
  console.log(`\nMACs: teacher ${teacherMacs}, student ${String(results[0]!.macs)} (${macsRatio.toFixed(2)}× fewer)`);
  for (const [batch, l] of Object.entries(latency)) console.log(`latency ${batch}: teacher ${l.teacherMs.toFixed(3)} ms, student ${l.studentMs.toFixed(3)} ms → ${l.speedup.toFixed(2)}× faster`);

  if (!['a', 'b', 'c', 'd'].every((k) => rows.some((r) => r.key === k))) {
    console.log(`\nrows ${rows.map((r) => r.key).join(',')} only: the targets need rows a–d; total ${summary.minutes.toFixed(1)} min; load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; wrote ${outDir}/grid.png and ${outDir}/results.json`);
  } else {
  const abcd = results.slice(0, 4);
  const best = (key: string): string => String(abcd.reduce((a, b) => ((b[key] as number) < (a[key] as number) ? b : a)).row);
  const wkd = results[3]!;
  const teacherFrechet = tq.teacherFrechet as number;
  console.log('\ntargets:');
  console.log(`- (d) best Fréchet of (a)–(d): ${best('frechet') === '(d) WKD' ? 'met' : `missed (best: ${best('frechet')})`}`);
  console.log(`- (d) lowest high-band L1 of (a)–(d): ${best('bandHighL1') === '(d) WKD' ? 'met' : `missed (lowest: ${best('bandHighL1')})`}`);
  console.log(`- student ≥ 3× faster (batch 1): ${latency.batch1!.speedup >= 3 ? 'met' : 'missed'} (${latency.batch1!.speedup.toFixed(2)}×); batch 32: ${latency.batch32!.speedup.toFixed(2)}×`);
  const ratio = (wkd.frechet as number) / teacherFrechet;
  console.log(`- (d) Fréchet within 10 % of the teacher's: ${ratio <= 1.1 ? 'met' : 'missed'} (${fmt(wkd.frechet)} vs ${fmt(teacherFrechet)}, ${ratio.toFixed(2)}×)`);
  const dRows = results.slice(3);
  console.log(`- discriminator width (WKD rows, D ${dRows.map((r) => String(r.discriminatorWidth)).join(' / ')}): Fréchet ${dRows.map((r) => fmt(r.frechet)).join(' / ')}; HF L1 ${dRows.map((r) => fmt(r.bandHighL1)).join(' / ')}`);
  console.log(`\ntotal ${summary.minutes.toFixed(1)} min; load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; wrote ${outDir}/grid.png and ${outDir}/results.json`);
  }
  student.dispose();
  teacher.dispose();
  data.dispose();
}

await main();
