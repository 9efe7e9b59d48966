/** @whittle/cli — the `whittle` command. */
export { main, buildProgram, defaultIo, EXIT } from './main.js';
export type { CliIo } from './cli-io.js';
export { terminalLogger } from './terminal-logger.js';
export { formatReportTable } from './format-report.js';
export { findInstalledPluginPackages, installedWithDefaults, PLUGIN_KEYWORD } from './installed-plugins.js';
export { installedPipelineSchema } from './commands/schema-command.js';
export { DEFAULT_MANIFESTS } from './default-manifests.js';
export { runPluginReportOptions } from './report-html.js';
export { loadRunPlugins, type RunPlugins } from './run-plugins.js';
