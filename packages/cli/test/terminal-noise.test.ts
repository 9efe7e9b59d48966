import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built `whittle` binary in a child process: native (Dawn, Vulkan loader) and tfjs console
// output reach the real stderr, which an in-process `main()` would not see.

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repo, 'packages/cli/dist/src/bin.js');
const model = join(repo, 'bench/sp-lamp/base-model/model.json');
// Plugins resolve from the pipeline's folder: the file stays inside the repository.
const pipelineFile = join(repo, 'examples/quickstart/.noise-test-pipeline.json');

const DAWN_WARNING = /artificially reduced|vkCreateInstance|loader_get_json/;
const TFJS_BANNER = /looks like you are running TensorFlow\.js in Node\.js/;

let dir: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (pnpm build, or pnpm test, which builds)`);
  dir = mkdtempSync(join(tmpdir(), 'whittle-noise-'));
  const quickstart = JSON.parse(readFileSync(join(repo, 'examples/quickstart/pipeline.json'), 'utf8')) as Record<string, unknown>;
  // The quickstart's plugins and model, no training: what is measured is the terminal, not the model.
  writeFileSync(
    pipelineFile,
    JSON.stringify({
      name: 'noise',
      seed: 1,
      plugins: quickstart['plugins'],
      model: { builder: 'small-cnn', options: { width: 4 } },
      data: { provider: 'fashion-mnist-sample', trainLimit: 32, testLimit: 16 },
      stages: [{ hook: 'deploy', target: 'tfjs-profiler', options: { batchSize: 1, warmup: 1, runs: 2 } }],
    }),
  );
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(pipelineFile, { force: true });
});

async function whittle(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [bin, ...args], { cwd: repo, env: process.env, timeout: 120_000 });
}

describe('the terminal', () => {
  it('inspect prints no Dawn warnings and no tfjs banner, and names no backend', async () => {
    const { stdout, stderr } = await whittle('inspect', model);
    expect(stdout).toContain('params');
    expect(stderr).not.toMatch(DAWN_WARNING);
    expect(stderr).not.toMatch(TFJS_BANNER);
    expect(stderr).not.toMatch(/webgpu/i);
  });

  it('run --backend cpu prints neither', async () => {
    const { stderr } = await whittle('run', pipelineFile, '--backend', 'cpu', '--out', join(dir, 'cpu'));
    expect(stderr).toContain('backend: cpu');
    expect(stderr).not.toMatch(DAWN_WARNING);
    expect(stderr).not.toMatch(TFJS_BANNER);
  });

  it('run with the auto choice probes WebGPU without Dawn or Vulkan reaching the terminal', async () => {
    const { stderr } = await whittle('run', pipelineFile, '--out', join(dir, 'auto'));
    // Whatever this machine has (no driver, a software or a hardware adapter), the probe ran and said so.
    expect(stderr).toMatch(/backend: (tensorflow|webgpu|wasm \(.*webgpu unavailable)/);
    expect(stderr).not.toMatch(DAWN_WARNING);
    expect(stderr).not.toMatch(TFJS_BANNER);
  });
});
