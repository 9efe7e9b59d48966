/**
 * @whittle/kernel in a browser (the `browser` export condition, which bundlers such as esbuild and
 * Vite pick): the plugin contract, hooks, errors, seeded randomness, loggers, DI tokens and provider
 * registries — everything but what reads and writes files (pipeline loading, plugin loading from
 * node_modules, the runner, the test helpers). A run in a browser drives a `Kernel` and its hooks itself.
 */
import 'reflect-metadata';
// Its entry applies the tfjs serialisation fixes, before any model is loaded or saved.
import '@whittle/model-io';

export { KERNEL_VERSION } from './version.js';
export { Kernel } from './kernel.js';
export * from './errors/whittle-error.js';
export * from './random/seeded-rng.js';
export * from './logging/logger.js';

export * from './hooks/stage-hook-name.js';
export type * from './hooks/kernel-hooks.js';
export type * from './hooks/stage-types.js';
export type * from './hooks/run-report.js';
export type * from './hooks/tensor-memo.js';

export * from './plugin/plugin.js';
export * from './plugin/options-schema.js';
export * from './plugin/tap-stage.js';
export { compileOptionsSchema } from './plugin/compile-options-schema.js';
/** TypeBox, re-exported so that a plugin declares its options schema (and with it their type) with the kernel's copy. */
export { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
export * from './plugin/tokens.js';
export type * from './providers/latency-model.js';
export type * from './providers/metric-provider.js';
export type * from './providers/task.js';
export type { LayerOperationSource, RegisteredLayerOperation } from './providers/layer-operation-registration.js';
/** tsyringe's decorators, re-exported so that a plugin uses the kernel's DI instance. */
export { inject, injectable } from 'tsyringe';
export { PluginError } from './plugin/plugin-error.js';
export { PluginRegistry, type PluginRegistryOptions } from './plugin/plugin-registry.js';
export { Providers, type ProviderKind, type ProviderLookup, type Registered } from './plugin/providers.js';
export { closest, didYouMean } from './config/did-you-mean.js';

export type * from './data/dataset.js';
export * from './data/task-data.js';
export * from './engine/index.js';
export * from './models/model-builder.js';
