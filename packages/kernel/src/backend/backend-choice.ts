/**
 * The tfjs backends Whittle can select, fastest first: native TensorFlow through tfjs-node, WebGPU
 * (in Node through Dawn's `webgpu` package), WebAssembly with Whittle's gradient kernels, plain JS.
 *
 * ```ts
 * const name: BackendName = 'wasm';
 * ```
 */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** 'auto' picks the first available of `tensorflow`, `webgpu` (hardware adapter only), `wasm`, `cpu`. */
export type BackendPreference = 'auto' | BackendName;

/** What the WebGPU adapter says about itself. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU rasteriser such as Mesa's llvmpipe: works, but slower than wasm for real work. */
  isSoftware: boolean;
}

/** The backend `selectBackend` activated, and why the faster ones were passed over. */
export interface BackendChoice {
  name: BackendName;
  adapter?: GpuAdapterInfo;
  /** one line for the user, e.g. "backend: wasm (SIMD, 1 thread; tfjs-node unavailable: native binding missing)" */
  summary: string;
  tried: ReadonlyArray<{ name: BackendName; error: string }>;
}

export interface SelectBackendOptions {
  /** dynamic import, replaceable in tests (e.g. to simulate a tfjs-node whose native binding is missing) */
  importModule?: (specifier: string) => Promise<unknown>;
  /** allow a software GPU adapter (Mesa llvmpipe) in 'auto'; default false. An explicit 'webgpu' always allows it. */
  allowSoftwareGpu?: boolean;
  /**
   * asks for a WebGPU adapter before Dawn is loaded in this process; default: in a child process
   * (`probeWebGpuIsolated`, which keeps Dawn's native warnings off the terminal), or none when
   * `importModule` is injected.
   */
  probeWebGpu?: () => Promise<{ ok: true; adapter: GpuAdapterInfo } | { ok: false; reason: string }>;
}

/** The outcome of trying to activate one backend. */
export type BackendAttempt =
  | { ok: true; detail: string; adapter?: GpuAdapterInfo }
  | { ok: false; reason: string; hint: string };
