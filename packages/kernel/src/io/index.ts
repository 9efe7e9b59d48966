export * from './atomic-fs.js';
export * from './model-json.js';
export * from './weight-bytes.js';
export * from './file-system-handler.js';
export * from './load-model.js';
export * from './save-model.js';
export * from './model-artifacts.js';
