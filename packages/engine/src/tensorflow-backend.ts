import * as tf from '@tensorflow/tfjs';
import type { BackendAttempt } from './backend-choice.js';
import { firstLine } from './error-text.js';

/** How to get tfjs-node's native binding, for the user. */
const TENSORFLOW_HINT =
  "tfjs-node's native binding is built by its install script, which pnpm 10 blocks by default. On a machine with " +
  "internet access, list '@tensorflow/tfjs-node' under onlyBuiltDependencies in pnpm-workspace.yaml (or run " +
  "`pnpm approve-builds`) and run `pnpm install` again, which downloads libtensorflow; or choose another backend (--backend wasm).";

/**
 * Activates the native TensorFlow backend of `@tensorflow/tfjs-node`, an optional dependency. A
 * failed native install leaves the package in place without its binding, so only a successful
 * import followed by a successful `tf.setBackend('tensorflow')` counts.
 *
 * ```ts
 * const attempt = await activateTensorflow((s) => import(s));
 * if (!attempt.ok) console.log(attempt.reason); // "native binding missing"
 * ```
 */
export async function activateTensorflow(importModule: (specifier: string) => Promise<unknown>): Promise<BackendAttempt> {
  try {
    await importModule('@tensorflow/tfjs-node');
  } catch (error) {
    return { ok: false, reason: describeImportFailure(error), hint: TENSORFLOW_HINT };
  }
  const factory: unknown = tf.findBackendFactory('tensorflow');
  if (factory === null || factory === undefined) {
    return { ok: false, reason: "tfjs-node loaded but registered no 'tensorflow' backend (a second copy of @tensorflow/tfjs?)", hint: TENSORFLOW_HINT };
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return { ok: false, reason: 'tfjs could not initialise the tensorflow backend', hint: TENSORFLOW_HINT };
  } catch (error) {
    return { ok: false, reason: firstLine(error), hint: TENSORFLOW_HINT };
  }
  return { ok: true, detail: 'tfjs-node, native TensorFlow' };
}

/** A short reason for a failed `import('@tensorflow/tfjs-node')`. */
function describeImportFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (/tfjs_binding\.node|native addon/i.test(text)) return 'native binding missing';
  if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module)/i.test(text)) return 'not installed';
  return firstLine(error);
}
