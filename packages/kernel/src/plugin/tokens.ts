/**
 * DI tokens for the services a run offers its plugins. Global symbols (`Symbol.for`), so that two copies
 * of the kernel module (a plugin bundling its own, a test importing source) still agree.
 * Inject them explicitly, never by type: esbuild-based tools drop the type metadata silently.
 *
 * ```ts
 * constructor(@inject(LOGGER) private readonly logger: Logger, @inject(KERNEL) kernel: Kernel) {}
 * ```
 */
export const KERNEL = Symbol.for('whittle.kernel');
/** `Logger` of the run. */
export const LOGGER = Symbol.for('whittle.logger');
/** `RunInfo` of the run: seed, output folder, config folder, backend. */
export const RUN_INFO = Symbol.for('whittle.run-info');

/*
 * The providers the run's packages registered, one `Providers<T>` lookup per kind (`get(name)`
 * throws a WhittleError naming the kind, the name, a likely typo and the names registered):
 *
 * ```ts
 * constructor(@inject(LATENCY_MODELS) private readonly latencyModels: Providers<LatencyModel>) {}
 * ```
 */
/** `Providers<LatencyModel>`: latency models by name (`tfjs-profiler`, an FPGA model, …). */
export const LATENCY_MODELS = Symbol.for('whittle.latency-models');
/** `Providers<MetricProvider>`: metrics by name (`params`, `macs`, `accuracy`, `l1`, …). */
export const METRICS = Symbol.for('whittle.metrics');
/** `Providers<TaskDefinition>`: tasks by name (`classification`, `image-to-image`, …). */
export const TASKS = Symbol.for('whittle.tasks');
/** `Providers<DataProvider<never>>`: data providers by name. */
export const DATA_PROVIDERS = Symbol.for('whittle.data-providers');
/** `Providers<ModelBuilder<never>>`: model builders by name. */
export const MODEL_BUILDERS = Symbol.for('whittle.model-builders');
/** `Providers<LayerOperationRegistration>`: the custom layers' registrations by class name (`layerOperationsOf(layers)` in @whittle/graph checks them and adds the built-ins). */
export const LAYER_OPERATIONS = Symbol.for('whittle.layer-operations');

/** What a plugin may know about the run before any stage starts. */
export interface RunInfo {
  readonly seed: number;
  readonly outDir: string;
  readonly configDir: string;
  readonly backend: string;
}
