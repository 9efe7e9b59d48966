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

/** What a plugin may know about the run before any stage starts. */
export interface RunInfo {
  readonly seed: number;
  readonly outDir: string;
  readonly configDir: string;
  readonly backend: string;
}
