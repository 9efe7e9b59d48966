import * as tf from '@tensorflow/tfjs';
import type { BackendAttempt, GpuAdapterInfo } from './backend-choice.js';
import { firstLine } from './error-text.js';
import { describeAdapter, type WebGpuProbe } from './webgpu-probe.js';

/** How to make WebGPU available in Node, for the user. */
const WEBGPU_HINT =
  "WebGPU in Node needs the optional 'webgpu' package (Dawn) and a Vulkan driver. On Debian 12 without a GPU: " +
  'add bookworm-backports to apt sources, then `apt-get install -y libvulkan1 && apt-get install -y -t bookworm-backports ' +
  "mesa-vulkan-drivers` (bookworm's own 22.3 is refused by Dawn); with a GPU, install its vendor's Vulkan driver. " +
  'Or choose another backend (--backend wasm).';

/** The parts of Dawn's `webgpu` module and of the WebGPU API used here (the package is optional, so no static types). */
interface WebGpuModule {
  create(options: string[]): GpuLike;
  globals: object;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info?: Partial<AdapterInfoLike>;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<Partial<AdapterInfoLike>>;
}
interface AdapterInfoLike {
  vendor: string;
  architecture: string;
  description: string;
  device: string;
  isFallbackAdapter: boolean;
}

/** Refuses what the probe found when it is not worth (or not possible) to use. */
function refusal(found: WebGpuProbe | undefined, allowSoftware: boolean): BackendAttempt | undefined {
  if (found === undefined) return undefined;
  if (!found.ok) return { ok: false, reason: found.reason, hint: WEBGPU_HINT };
  if (found.adapter.isSoftware && !allowSoftware) {
    return {
      ok: false,
      reason: `only a software adapter (${found.adapter.description || found.adapter.vendor}), slower than wasm`,
      hint: 'Pass allowSoftwareGpu (or --backend webgpu) to use it anyway, or install a GPU and its Vulkan driver.',
    };
  }
  return undefined;
}

/** One Dawn instance per loaded `webgpu` module: creating an instance loads the Vulkan driver. */
const gpuByModule = new WeakMap<object, GpuLike>();

/**
 * Activates tfjs's WebGPU backend in Node: creates a Dawn GPU from the `webgpu` package, reads its
 * adapter, installs it as `navigator.gpu` (with Dawn's WebGPU globals) BEFORE importing
 * `@tensorflow/tfjs-backend-webgpu` — that module registers its backend only if `navigator.gpu`
 * exists when it is first evaluated — then sets the backend. A software adapter (Mesa llvmpipe)
 * is refused unless `allowSoftware`. With `probe` (e.g. `probeWebGpuIsolated`), the adapter is first
 * asked for outside this process, and Dawn is loaded here only if that adapter will be used: a
 * machine without a driver, or with only a refused software adapter, prints no native warnings.
 *
 * ```ts
 * const attempt = await activateWebGpu((s) => import(s), false, probeWebGpuIsolated);
 * if (attempt.ok) console.log(attempt.adapter?.description);
 * ```
 */
export async function activateWebGpu(
  importModule: (specifier: string) => Promise<unknown>,
  allowSoftware: boolean,
  probe?: () => Promise<WebGpuProbe>,
): Promise<BackendAttempt> {
  const refused = refusal(await probe?.(), allowSoftware);
  if (refused !== undefined) return refused;
  let gpu: GpuLike;
  try {
    gpu = gpuFor((await importModule('webgpu')) as WebGpuModule);
  } catch (error) {
    return { ok: false, reason: `webgpu package unavailable: ${firstLine(error)}`, hint: WEBGPU_HINT };
  }
  let adapter: GpuAdapterInfo | undefined;
  try {
    adapter = await probeAdapter(gpu);
  } catch (error) {
    return { ok: false, reason: `no WebGPU adapter: ${firstLine(error)}`, hint: WEBGPU_HINT };
  }
  if (adapter === undefined) return { ok: false, reason: 'no WebGPU adapter (no Vulkan driver found)', hint: WEBGPU_HINT };
  const refusedHere = refusal({ ok: true, adapter }, allowSoftware);
  if (refusedHere !== undefined) return refusedHere;
  installNavigatorGpu(gpu);
  try {
    await importModule('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-webgpu failed to load: ${firstLine(error)}`, hint: WEBGPU_HINT };
  }
  const factory: unknown = tf.findBackendFactory('webgpu');
  if (factory === null || factory === undefined) {
    return {
      ok: false,
      reason: '@tensorflow/tfjs-backend-webgpu was loaded before navigator.gpu existed, so it registered no backend',
      hint: 'Do not import @tensorflow/tfjs-backend-webgpu yourself; let selectBackend import it.',
    };
  }
  try {
    if (!(await tf.setBackend('webgpu'))) return { ok: false, reason: 'tfjs could not initialise the webgpu backend', hint: WEBGPU_HINT };
  } catch (error) {
    return { ok: false, reason: firstLine(error), hint: WEBGPU_HINT };
  }
  const kind = adapter.isSoftware ? 'software adapter' : adapter.vendor || 'GPU';
  return { ok: true, detail: `${kind}: ${adapter.description || adapter.architecture || 'unknown device'}`, adapter };
}

function gpuFor(module: WebGpuModule): GpuLike {
  let gpu = gpuByModule.get(module);
  if (gpu === undefined) {
    if (typeof module.create !== 'function') throw new Error("the 'webgpu' module has no create()");
    gpu = module.create([]);
    // Dawn's WebGPU constants (GPUBufferUsage, …) that tfjs-backend-webgpu expects as globals.
    for (const [key, value] of Object.entries(module.globals ?? {})) {
      if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
    }
    gpuByModule.set(module, gpu);
  }
  return gpu;
}

/** The adapter tfjs would get, described; undefined when there is none. */
async function probeAdapter(gpu: GpuLike): Promise<GpuAdapterInfo | undefined> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null || adapter === undefined) return undefined;
  const info = adapter.info ?? (adapter.requestAdapterInfo === undefined ? {} : await adapter.requestAdapterInfo());
  return describeAdapter(info, adapter.isFallbackAdapter === true);
}

/** Node has no `navigator` (before v21) and no `navigator.gpu`; tfjs-backend-webgpu reads both. */
function installNavigatorGpu(gpu: GpuLike): void {
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  const navigator = scope.navigator as { gpu?: unknown };
  if (navigator.gpu === undefined) {
    Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}
