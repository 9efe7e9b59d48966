/**
 * The tfjs backends a run can use, fastest first: native TensorFlow through tfjs-node, WebGPU (in
 * Node through Dawn's `webgpu` package), WebAssembly, plain JS. The kernel only names them; an
 * {@link Engine} (`@whittle/engine`) activates them.
 *
 * ```ts
 * const name: BackendName = 'wasm';
 * ```
 */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** 'auto' lets the engine pick the fastest it can load; a name forces that backend. */
export type BackendPreference = 'auto' | BackendName;

/** What a WebGPU adapter says about itself. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU rasteriser such as Mesa's llvmpipe: works, but slower than wasm for real work. */
  isSoftware: boolean;
}

/** The backend an engine activated, and why the faster ones were passed over. */
export interface BackendChoice {
  name: BackendName;
  adapter?: GpuAdapterInfo;
  /** one line for the user, e.g. "backend: wasm (SIMD, 1 thread; tfjs-node unavailable: native binding missing)" */
  summary: string;
  tried: ReadonlyArray<{ name: BackendName; error: string }>;
}

/**
 * What the runner needs from a tensor engine: activate a backend for a preference and say which.
 * The kernel declares it and never loads a backend itself; `@whittle/engine`'s `tfjsEngine`
 * implements it (tfjs-node → WebGPU on hardware → wasm with training kernels → cpu), and the CLI
 * and tests pass one to `runPipeline`.
 *
 * ```ts
 * const cpuOnly: Engine = {
 *   async selectBackend() {
 *     await tf.setBackend('cpu');
 *     return { name: 'cpu', summary: 'backend: cpu', tried: [] };
 *   },
 * };
 * await runPipeline('pipeline.json', { engine: cpuOnly });
 * ```
 */
export interface Engine {
  /** Activates a backend on the workspace's single `@tensorflow/tfjs`; an unavailable explicit name is an input error. */
  selectBackend(preference: BackendPreference): Promise<BackendChoice>;
}
