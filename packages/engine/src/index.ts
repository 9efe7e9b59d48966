export type { BackendChoice, BackendName, BackendPreference, GpuAdapterInfo, SelectBackendOptions } from './backend-choice.js';
export { BACKEND_ORDER, selectBackend } from './select-backend.js';
export { tfjsEngine } from './tfjs-engine.js';
export { registerWasmGradients, wasmGradientsRegistered } from './wasm-gradients/register-wasm-gradients.js';
export { probeWebGpuIsolated, type WebGpuProbe } from './webgpu-probe.js';
