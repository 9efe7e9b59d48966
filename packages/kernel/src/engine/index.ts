export type { BackendChoice, BackendName, BackendPreference, Engine, GpuAdapterInfo } from './engine.js';
