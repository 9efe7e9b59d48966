export * from './mac-counters.js';
export * from './layer-costs.js';
export * from './count-params.js';
export * from './evaluate-accuracy.js';
export * from './measure-latency.js';
export * from './steady-latency.js';
