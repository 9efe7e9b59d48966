import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { GpuAdapterInfo } from '@whittle/kernel';
import { firstLine } from './error-text.js';

/** What a WebGPU probe found: an adapter, or why there is none. */
export type WebGpuProbe = { ok: true; adapter: GpuAdapterInfo } | { ok: false; reason: string };

/** The adapter fields a probe reads (Dawn's `GPUAdapterInfo`, older Dawns' `requestAdapterInfo()`). */
export interface RawAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}

/**
 * Classifies what the adapter says about itself: software rasterisers (Mesa llvmpipe/lavapipe,
 * SwiftShader) work but are slower than wasm for real work.
 *
 * ```ts
 * describeAdapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe' }).isSoftware; // true
 * ```
 */
export function describeAdapter(info: RawAdapterInfo, isFallbackAdapter = false): GpuAdapterInfo {
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description || info.device || '';
  const isSoftware =
    info.isFallbackAdapter === true || isFallbackAdapter || architecture === 'software' || /llvmpipe|lavapipe|swiftshader|software/i.test(description);
  return { vendor, architecture, description, isSoftware };
}

// Runs in the child: asks Dawn for an adapter and prints what it says as one JSON line on stdout.
const CHILD_SCRIPT = `
const { create } = await import(process.argv[1]);
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
let info = null;
if (adapter) {
  const raw = adapter.info ?? (typeof adapter.requestAdapterInfo === 'function' ? await adapter.requestAdapterInfo() : {});
  info = { vendor: raw.vendor, architecture: raw.architecture, description: raw.description, device: raw.device,
           isFallbackAdapter: raw.isFallbackAdapter === true || adapter.isFallbackAdapter === true };
}
process.stdout.write(JSON.stringify(info) + '\\n', () => process.exit(0));
`;

/**
 * Asks Dawn (the optional `webgpu` package) for an adapter in a child process, so that the Vulkan
 * loader's and Dawn's native warnings (a missing driver; `maxDynamicUniformBuffersPerPipelineLayout
 * artificially reduced…` on Mesa's software Vulkan) go to the child's stderr, not the user's
 * terminal, and so that no Vulkan instance lives in this process unless the adapter is worth using.
 * About half a second.
 *
 * ```ts
 * const probe = await probeWebGpuIsolated();
 * if (probe.ok && !probe.adapter.isSoftware) console.log(probe.adapter.description);
 * ```
 */
export async function probeWebGpuIsolated(timeoutMs = 20_000): Promise<WebGpuProbe> {
  let entry: string;
  try {
    entry = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch (error) {
    return { ok: false, reason: `webgpu package unavailable: ${firstLine(error)}` };
  }
  return new Promise<WebGpuProbe>((resolvePromise) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT, entry], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolvePromise({ ok: false, reason: `the WebGPU probe could not start: ${firstLine(error)}` }));
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      let info: RawAdapterInfo | null | undefined;
      try {
        info = JSON.parse(line) as RawAdapterInfo | null;
      } catch {
        info = undefined;
      }
      if (info === null) {
        const driver = /Found no drivers|VK_ERROR_INCOMPATIBLE_DRIVER|Failed to open JSON file/i.test(stderr) ? ' (no Vulkan driver found)' : '';
        resolvePromise({ ok: false, reason: `no WebGPU adapter${driver}` });
      } else if (info === undefined) {
        const why = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
        const detail = stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? stderr.trim().split('\n')[0] ?? '';
        resolvePromise({ ok: false, reason: `the WebGPU probe failed (${why})${detail === '' ? '' : `: ${firstLine(detail)}`}` });
      } else {
        resolvePromise({ ok: true, adapter: describeAdapter(info) });
      }
    });
  });
}
