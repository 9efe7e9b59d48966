import * as tf from '@tensorflow/tfjs';
import { silentLogger } from '@whittle/kernel';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function capture(): CliIo & { out: () => string; err: () => string; lines: string[] } {
  let out = '';
  let err = '';
  const lines: string[] = [];
  const logger = { ...silentLogger, info: (line: string) => void lines.push(line), warn: (line: string) => void lines.push(`warn: ${line}`) };
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger, out: () => out, err: () => err, lines };
}

// Plugins resolve from the pipeline's folder: keep it inside the repository (.tmp is ignored by git).
let dir: string;
beforeAll(async () => {
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(repo, '.tmp', 'cli-report-'));
  await tf.ready();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A deploy target that always fails while it runs (a plain-JavaScript plugin beside the pipeline). */
const FAILING_TARGET = `import { definePluginManifest, definePluginMeta, injectable, tapStage, Type } from '@whittle/kernel';
export class Fails {
  static meta = definePluginMeta({ name: 'fails', hook: 'deploy', description: 'fails', optionsSchema: Type.Object({}) });
  name = 'fails';
  apply(kernel) { tapStage(kernel, Fails.meta, async () => { throw new Error('the device is on fire'); }); }
}
injectable()(Fails);
export default definePluginManifest({ name: 'fails', version: '0.0.0', kernel: '^0.1.0', plugins: [Fails] });
`;

let count = 0;
function pipeline(stages: unknown[]): string {
  const file = join(dir, `pipeline-${count++}.json`);
  writeFileSync(join(dir, 'fails.mjs'), FAILING_TARGET);
  writeFileSync(file, JSON.stringify({
    name: 'report-cli', seed: 2, plugins: ['@whittle/zoo', '@whittle/plugin-baselines', './fails.mjs'],
    model: { builder: 'small-cnn', options: { width: 8 } }, data: { provider: 'fashion-mnist-sample', trainLimit: 200, testLimit: 100 }, stages,
  }));
  return file;
}

describe('report.html from the CLI', () => {
  it('whittle run writes report.html beside report.json; whittle report rewrites it, without latency on --no-latency', async () => {
    const out = join(dir, 'run');
    const io = capture();
    const before = tf.memory().numTensors;
    expect(await main(['run', pipeline([{ hook: 'score', plugin: 'l1-norm' }, { hook: 'prune', plugin: 'uniform', options: { ratio: 0.5 } }]), '--out', out, '--backend', 'wasm'], io), io.err()).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const html = join(out, 'report.html');
    expect(io.lines).toContainEqual(expect.stringMatching(new RegExp(`^report: ${html.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ charts\\)$`)));
    const first = readFileSync(html, 'utf8');
    expect(first).toContain('data-chart="channels"');
    expect(first).toContain('data-chart="layer-latency"');

    const again = capture();
    expect(await main(['report', out, '--no-latency', '--json'], again), again.err()).toBe(0);
    const written = JSON.parse(again.out()) as { file: string; charts: string[] };
    expect(written.file).toBe(html);
    expect(written.charts).toEqual(['channels', 'macs', 'stage-macs', 'stage-metrics']);
    expect(readFileSync(html, 'utf8')).not.toContain('data-chart="layer-latency"');
  });

  it('refuses a folder that is not a run with exit 2 and writes nothing there', async () => {
    const notRun = join(dir, 'not-a-run');
    mkdirSync(notRun);
    const io = capture();
    expect(await main(['report', notRun], io)).toBe(2);
    expect(io.err()).toMatch(/cannot write a report for .*not-a-run: it has no report\.json/);
    expect(existsSync(join(notRun, 'report.html'))).toBe(false);
    expect(await main(['report', join(dir, 'missing')], capture())).toBe(2);
  });

  it('after a failed stage, still writes report.html showing how far the run got', async () => {
    const out = join(dir, 'failed');
    const io = capture();
    const code = await main(['run', pipeline([{ hook: 'score', plugin: 'l1-norm' }, { hook: 'deploy', target: 'fails' }]), '--out', out, '--backend', 'wasm'], io);
    expect(code).toBe(1);
    expect(io.err()).toContain('the device is on fire');
    expect(statSync(join(out, 'report.html')).size).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/class="error">stage 1 \(deploy:fails\) failed: \[plugin fails, hook deploy\] the device is on fire/);
  });
});
