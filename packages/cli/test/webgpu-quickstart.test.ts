import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem, WEBGPU_REQUIREMENT } from '@whittle/testing';
import { probeWebGpuIsolated } from '@whittle/engine';
import { silentLogger, type RunReport } from '@whittle/kernel';
import { main, type CliIo } from '../src/index.js';

// The quickstart end to end on webgpu (Mesa's software Vulkan where there is no GPU) against wasm.
// Process-global backend switching: keep this test in its own file.

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// Plugins resolve from the pipeline's folder: the shrunk copy stays inside the repository.
const pipelineFile = join(repo, 'examples/quickstart/.webgpu-test-pipeline.json');

/** Accuracy may differ by this much: the backends sum in different orders, and training carries that on. */
const ACCURACY_TOLERANCE = 0.025; // 5 of the 200 test images

const probe = await probeWebGpuIsolated();
const HAS_WEBGPU = requireSystem(probe.ok ? undefined : probe.reason, WEBGPU_REQUIREMENT);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'whittle-webgpu-quickstart-'));
  // XDG_RUNTIME_DIR only quiets Dawn's warnings; any private, writable folder will do.
  if (process.env['XDG_RUNTIME_DIR'] === undefined) {
    const runtime = join(dir, 'xdg');
    mkdirSync(runtime, { mode: 0o700 });
    process.env['XDG_RUNTIME_DIR'] = runtime;
  }
  const config = JSON.parse(readFileSync(join(repo, 'examples/quickstart/pipeline.json'), 'utf8')) as Record<string, unknown> & {
    stages: { plugin?: string; target?: string; options: Record<string, unknown> }[];
  };
  // The quickstart's stages and model, shrunk: 256 training images, one epoch per training stage, few timed runs.
  config['data'] = { provider: 'fashion-mnist-sample', trainLimit: 256, testLimit: 200 };
  for (const stage of config.stages) {
    if (stage.plugin === 'train') stage.options = { ...stage.options, epochs: 1 };
    if (stage.target === 'tfjs-profiler') stage.options = { ...stage.options, warmup: 1, runs: 2 };
  }
  delete config['$schema'];
  writeFileSync(pipelineFile, JSON.stringify(config));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(pipelineFile, { force: true });
});

async function runOn(backend: 'wasm' | 'webgpu'): Promise<RunReport> {
  let err = '';
  const io: CliIo = { stdout: () => undefined, stderr: (t) => void (err += t), logger: silentLogger };
  const out = join(dir, backend);
  expect(await main(['run', pipelineFile, '--backend', backend, '--out', out], io), err).toBe(0);
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
}

describe.runIf(HAS_WEBGPU)('the quickstart on webgpu', () => {
  it(`trains, measures, prunes and fine-tunes on webgpu with wasm's params and MACs, and accuracy within ${ACCURACY_TOLERANCE}`, async () => {
    const wasm = await runOn('wasm');
    const webgpu = await runOn('webgpu');
    expect([wasm.status, webgpu.status, wasm.backend, webgpu.backend]).toEqual(['completed', 'completed', 'wasm', 'webgpu']);
    expect(webgpu.stages.map((s) => s.label)).toEqual(wasm.stages.map((s) => s.label));
    const summaries = (report: RunReport) => [report.initial, ...report.stages.map((s) => s.model)];
    const expected = summaries(wasm);
    summaries(webgpu).forEach((actual, i) => {
      const want = expected[i];
      expect([actual?.params, actual?.macs], `stage ${i - 1}`).toEqual([want?.params, want?.macs]);
      expect(Math.abs((actual?.metrics['accuracy'] ?? NaN) - (want?.metrics['accuracy'] ?? NaN)), `stage ${i - 1} accuracy ${actual?.metrics['accuracy']} vs ${want?.metrics['accuracy']}`).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
    });
    // Both profile stages measured a latency.
    const deploys = webgpu.stages.filter((s) => s.hook === 'deploy');
    expect(deploys.map((s) => typeof s.model?.latencyMs)).toEqual(['number', 'number']);
  });
});
