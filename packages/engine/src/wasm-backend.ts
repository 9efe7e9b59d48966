import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendAttempt } from './backend-choice.js';
import { firstLine } from './error-text.js';
import { registerWasmGradients } from './wasm-gradients/register-wasm-gradients.js';

/** What to do when the wasm backend does not start, for the user. */
const WASM_HINT =
  'Reinstall @tensorflow/tfjs-backend-wasm (its .wasm files must sit next to dist/tf-backend-wasm.node.js); ' +
  "when bundling, call setWasmPaths() from '@tensorflow/tfjs-backend-wasm'. Or choose --backend cpu.";

/**
 * Activates the tfjs WebAssembly backend with Whittle's gradient kernels registered, so that it can
 * train (stock wasm cannot compute any Conv2D weight gradient) and trains fast.
 *
 * ```ts
 * const attempt = await activateWasm();
 * attempt.ok && attempt.detail; // 'SIMD, 1 thread'
 * ```
 */
export async function activateWasm(): Promise<BackendAttempt> {
  try {
    registerWasmGradients();
    if (!(await tf.setBackend('wasm'))) return { ok: false, reason: 'tfjs could not initialise the wasm backend', hint: WASM_HINT };
  } catch (error) {
    return { ok: false, reason: firstLine(error), hint: WASM_HINT };
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = getThreadsCount();
  return { ok: true, detail: `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}` };
}
