import type { BackendChoice, BackendName, BackendPreference, GpuAdapterInfo } from '@whittle/kernel';
import type { WebGpuProbe } from './webgpu-probe.js';

// The names a run records are the kernel's contract; the engine adds how it chooses.
export type { BackendChoice, BackendName, BackendPreference, GpuAdapterInfo };

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
  probeWebGpu?: () => Promise<WebGpuProbe>;
}

/** The outcome of trying to activate one backend. */
export type BackendAttempt =
  | { ok: true; detail: string; adapter?: GpuAdapterInfo }
  | { ok: false; reason: string; hint: string };
