import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import type { WebGpuProbe } from './webgpu-probe.js';
import type { BackendAttempt, BackendChoice, BackendName, BackendPreference, SelectBackendOptions } from './backend-choice.js';
import { activateTensorflow } from './tensorflow-backend.js';
import { activateWasm } from './wasm-backend.js';
import { activateWebGpu } from './webgpu-backend.js';
import { probeWebGpuIsolated } from './webgpu-probe.js';

/** The order 'auto' tries. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

const nativeImport = (specifier: string): Promise<unknown> => import(specifier);

/**
 * Activates a tfjs backend on the workspace's single `@tensorflow/tfjs` and says which and why.
 * 'auto' tries `tensorflow` (tfjs-node; a broken native install is skipped), then `webgpu` on a
 * hardware adapter only (software adapters with `allowSoftwareGpu`), then `wasm` with Whittle's
 * gradient kernels, then `cpu`. An explicit name that cannot be had throws `BACKEND_UNAVAILABLE`
 * (an input error) with the reason and how to fix it. Safe to call again, with any preference.
 *
 * ```ts
 * const choice = await selectBackend('auto');
 * console.log(choice.summary); // backend: wasm (SIMD, 1 thread; tensorflow unavailable: native binding missing; …)
 * ```
 */
export async function selectBackend(preference: BackendPreference = 'auto', options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const importModule = options.importModule ?? nativeImport;
  // An injected import stands in for the real `webgpu` module, which a child process cannot see.
  const probe = options.probeWebGpu ?? (options.importModule === undefined ? probeWebGpuIsolated : undefined);
  if (preference !== 'auto' && !BACKEND_ORDER.includes(preference)) {
    throw inputError('BACKEND_UNKNOWN', `backend "${String(preference)}" is not one of auto, ${BACKEND_ORDER.join(', ')}`, 'Use --backend auto (the default) or one of the names listed.');
  }
  const candidates = preference === 'auto' ? BACKEND_ORDER : [preference];
  const tried: Array<{ name: BackendName; error: string }> = [];
  for (const name of candidates) {
    const attempt = await activate(name, importModule, preference === 'webgpu' || options.allowSoftwareGpu === true, probe);
    if (attempt.ok) {
      const notes = [attempt.detail, ...tried.map((t) => `${t.name} unavailable: ${t.error}`)];
      const choice: BackendChoice = { name, summary: `backend: ${name} (${notes.join('; ')})`, tried };
      if (attempt.adapter !== undefined) choice.adapter = attempt.adapter;
      return choice;
    }
    if (preference !== 'auto') {
      throw inputError('BACKEND_UNAVAILABLE', `backend "${name}" is unavailable: ${attempt.reason}`, attempt.hint);
    }
    tried.push({ name, error: attempt.reason });
  }
  // Unreachable: cpu always activates.
  throw inputError('BACKEND_UNAVAILABLE', `no tfjs backend could be activated (${tried.map((t) => `${t.name}: ${t.error}`).join('; ')})`, 'Reinstall @tensorflow/tfjs.');
}

async function activate(
  name: BackendName,
  importModule: (specifier: string) => Promise<unknown>,
  allowSoftwareGpu: boolean,
  probe: (() => Promise<WebGpuProbe>) | undefined,
): Promise<BackendAttempt> {
  switch (name) {
    case 'tensorflow':
      return activateTensorflow(importModule);
    case 'webgpu':
      return activateWebGpu(importModule, allowSoftwareGpu, probe);
    case 'wasm':
      return activateWasm();
    case 'cpu':
      return (await tf.setBackend('cpu'))
        ? { ok: true, detail: 'plain JavaScript, slowest' }
        : { ok: false, reason: 'tfjs could not initialise the cpu backend', hint: 'Reinstall @tensorflow/tfjs.' };
  }
}
