import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The backends the page tries, fastest first. */
export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

/** The backend the page measures on, and why the faster ones were not used. */
export interface PageBackendChoice {
  readonly name: PageBackend;
  /** The WebGPU adapter's description (a latency table's `adapter`), null elsewhere. */
  readonly adapter: string | null;
  readonly skipped: readonly string[];
}

async function webgpuAdapter(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null> } }).gpu;
  const adapter = await gpu?.requestAdapter();
  const info = adapter?.info;
  if (info === undefined) return null;
  return [info.vendor, info.architecture, info.description].filter((s) => s !== undefined && s !== '').join(' ') || null;
}

/**
 * Activates the fastest backend this browser has: WebGPU where an adapter exists, else WebGL, else
 * wasm (its .wasm files are served beside the page). `only` forces one (e.g. `?backend=wasm`).
 */
export async function selectPageBackend(only?: PageBackend): Promise<PageBackendChoice> {
  setWasmPaths(new URL('./', document.baseURI).href);
  const skipped: string[] = [];
  for (const name of only === undefined ? PAGE_BACKENDS : [only]) {
    try {
      if (name === 'webgpu' && (navigator as Navigator & { gpu?: unknown }).gpu === undefined) {
        skipped.push('webgpu: navigator.gpu is missing');
        continue;
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, adapter: name === 'webgpu' ? await webgpuAdapter() : null, skipped };
      }
      skipped.push(`${name}: could not be initialised`);
    } catch (error) {
      skipped.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no tfjs backend could be initialised (${skipped.join('; ')})`);
}
