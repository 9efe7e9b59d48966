import type { BackendPreference, Engine } from '@whittle/kernel';
import type { BackendChoice, SelectBackendOptions } from './backend-choice.js';
import { selectBackend } from './select-backend.js';

/**
 * The kernel's `Engine` on the workspace's single `@tensorflow/tfjs`: `selectBackend` with these
 * options. Pass it to `runPipeline`.
 *
 * ```ts
 * import { tfjsEngine } from '@whittle/engine';
 * import { runPipeline } from '@whittle/kernel';
 * const report = await runPipeline('examples/quickstart/pipeline.json', { engine: tfjsEngine(), outDir: 'runs/quickstart' });
 * ```
 */
export function tfjsEngine(options: SelectBackendOptions = {}): Engine {
  return { selectBackend: (preference: BackendPreference): Promise<BackendChoice> => selectBackend(preference, options) };
}
