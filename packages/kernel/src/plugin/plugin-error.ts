import { isWhittleError, WhittleError } from '../errors/whittle-error.js';

/**
 * An error raised inside a plugin, rethrown with the plugin's name and the hook it was serving
 * (as Rollup's PluginDriver does). Keeps the original error as `cause` and its code as `pluginCode`;
 * an input error stays an input error (exit 2), anything else is a runtime failure (exit 1).
 */
export class PluginError extends WhittleError {
  override readonly name = 'WhittleError';

  constructor(
    readonly plugin: string,
    readonly hook: string,
    readonly pluginCode: string | undefined,
    cause: unknown,
  ) {
    const original = cause instanceof Error ? cause.message : String(cause);
    super(isWhittleError(cause) ? cause.kind : 'runtime', 'PLUGIN_ERROR', `[plugin ${plugin}, hook ${hook}] ${original}`, undefined, { cause });
  }

  static wrap(plugin: string, hook: string, cause: unknown): PluginError {
    if (cause instanceof PluginError) return cause;
    return new PluginError(plugin, hook, isWhittleError(cause) ? cause.code : undefined, cause);
  }
}
