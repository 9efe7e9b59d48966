import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type RunReport } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { formatReportTable, main, type CliIo } from '../src/index.js';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'whittle-cli-providers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const summary = (metrics: Record<string, number>) => ({ params: 1234, macs: 56789, metrics });
const report = (initial: ReturnType<typeof summary>, after: ReturnType<typeof summary>): RunReport => ({
  whittle: '0.1.0', pipeline: 'p.json', configHash: 'x', seed: 1, backend: 'cpu', startedAt: '', status: 'completed', initial,
  stages: [{ index: 0, hook: 'recover', plugin: 'train', label: 'recover:train', status: 'completed', startedAt: '', durationMs: 1500, model: after, metrics: {}, artifacts: [] }],
});

describe('the report table', () => {
  it('shows the metrics the summaries hold: L1 and PSNR for image-to-image, no accuracy column', () => {
    const text = formatReportTable(report(summary({ l1: 0.2812, psnr: 9.871 }), summary({ l1: 0.0931, psnr: 19.04 })));
    const [header, , initial, trained] = text.split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['stage', 'params', 'MACs', 'l1', 'psnr', 'latency ms', 'time s']);
    expect(initial).toContain('0.2812');
    expect(trained).toContain('0.09310');
    expect(trained).toContain('19.04 dB');
    expect(text).not.toContain('accuracy');
  });

  it('shows accuracy as a percentage for classification', () => {
    const text = formatReportTable(report(summary({ accuracy: 0.1 }), summary({ accuracy: 0.9123 })));
    expect(text.split('\n')[0]!.split(/\s{2,}/)).toEqual(['stage', 'params', 'MACs', 'accuracy', 'latency ms', 'time s']);
    expect(text).toContain('91.23%');
  });
});

describe('whittle profile', () => {
  it('finds the latency model by name in the registry and writes its table', async () => {
    await tf.setBackend('cpu');
    const x = tf.input({ shape: [8, 8, 3] });
    const y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor });
    await saveModel(model, join(dir, 'model'));
    model.dispose();
    const io = capture();
    const table = join(dir, 'table.json');
    const args = ['profile', join(dir, 'model', 'model.json'), '--out', table, '--backend', 'cpu', '--runs', '1', '--warmup', '0', '--max-grid', '2', '--json'];
    expect(await main([...args, '--latency-model', 'tfjs-profiler'], io), io.err()).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ latencyModel: 'tfjs-profiler', table });
    expect(existsSync(table)).toBe(true);

    const unknown = capture();
    expect(await main([...args, '--latency-model', 'tfjs-profilr'], unknown)).toBe(2);
    expect(unknown.err()).toContain('no installed package provides latency model "tfjs-profilr" (did you mean "tfjs-profiler"?)');
  });
});
