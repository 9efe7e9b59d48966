import type { Logger } from '../logging/logger.js';

/**
 * The run's logger as one plugin sees it (the `LOGGER` token resolves to this): every line and
 * progress label carries the plugin's name, after any leading indentation.
 *
 * ```ts
 * pluginLogger(plainLogger(), 'sp-lamp').info('  scored 12 groups'); // "  [sp-lamp] scored 12 groups"
 * ```
 */
export function pluginLogger(logger: Logger, plugin: string): Logger {
  const scoped = (text: string): string => {
    const indent = /^\s*/.exec(text)?.[0] ?? '';
    return `${indent}[${plugin}] ${text.slice(indent.length)}`;
  };
  return {
    info: (message) => logger.info(scoped(message)),
    warn: (message) => logger.warn(scoped(message)),
    progress: (label, total) => logger.progress(scoped(label), total),
  };
}
