import { Ajv } from 'ajv';
import { STAGE_HOOKS } from '../hooks/stage-hook-name.js';
import { compileOptionsSchema } from '../plugin/compile-options-schema.js';
import type { OptionsSchema } from '../plugin/plugin.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { didYouMean } from './did-you-mean.js';
import { formatAjvErrors } from './format-ajv-errors.js';
import { jsonValueIssues } from './json-value-issues.js';
import type { ModelSource, PipelineConfig, StageConfig } from './pipeline-config.js';
import { pipelineSchema } from './pipeline-schema.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false });
const validateKernelSchema = ajv.compile(pipelineSchema);

/**
 * Pass 1: the kernel's schema (shape of the file, stage hooks, model and data blocks), defaults filled
 * in on a copy. Runs before any plugin is loaded.
 *
 * ```ts
 * const config = validatePipelineShape(JSON.parse(text), 'pipeline.json'); // throws ConfigError
 * ```
 */
export function validatePipelineShape(raw: unknown, file: string): PipelineConfig {
  // Before anything recursive (structuredClone, ajv) sees the value.
  const valueIssues = jsonValueIssues(raw);
  if (valueIssues.length > 0) throw new ConfigError(file, valueIssues);
  const config = structuredClone(raw);
  const issues: ConfigIssue[] = [];
  if (!validateKernelSchema(config)) issues.push(...formatAjvErrors(validateKernelSchema.errors ?? []));
  if (issues.length === 0) {
    const c = config as PipelineConfig;
    issues.push(...checkModelSource(c.model, '/model', false));
    if (c.teacher !== undefined) issues.push(...checkModelSource(c.teacher, '/teacher', true));
    c.stages.forEach((stage, i) => issues.push(...checkStageNaming(stage, `/stages/${i}`)));
    if (c.teacher !== undefined && 'stage' in c.teacher && c.teacher.stage >= c.stages.length) {
      issues.push({ path: '/teacher/stage', message: `stage ${c.teacher.stage} does not exist; the pipeline has stages 0..${c.stages.length - 1}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(file, issues);
  return config as PipelineConfig;
}

/**
 * Pass 2: every stage names a plugin that serves its hook, and its options match that plugin's
 * schema; the model builder and data provider exist and their options match. Returns a copy with the
 * plugins' defaults filled in.
 */
export function validatePipelineAgainstPlugins(config: PipelineConfig, registry: PluginRegistry, file: string): PipelineConfig {
  const out = structuredClone(config) as { -readonly [K in keyof PipelineConfig]: PipelineConfig[K] };
  const issues: ConfigIssue[] = [];

  out.stages.forEach((stage, i) => {
    const path = `/stages/${i}`;
    const key = stage.hook === 'deploy' ? 'target' : 'plugin';
    const name = (stage.hook === 'deploy' ? stage.target : stage.plugin) ?? '';
    const registered = registry.plugin(stage.hook, name);
    if (registered === undefined) {
      const elsewhere = STAGE_HOOKS.filter((hook) => registry.plugin(hook, name) !== undefined);
      const available = registry.pluginNames(stage.hook);
      const message =
        elsewhere.length > 0
          ? `"${name}" serves hook "${elsewhere.join('", "')}", not "${stage.hook}".`
          : `no loaded plugin provides ${stage.hook === 'deploy' ? 'deploy target' : `a "${stage.hook}" stage named`} "${name}".${didYouMean(name, available)}` +
            (available.length > 0 ? ` Available: ${available.join(', ')}.` : ` No loaded plugin serves "${stage.hook}": add its package to "plugins".`);
      issues.push({ path: `${path}/${key}`, message });
      return;
    }
    issues.push(...validateOptions(registered.value.meta.optionsSchema, stage.options ?? {}, `${path}/options`, (options) => ((stage as { options?: unknown }).options = options), `plugin "${name}" of "${registered.from}"`));
  });

  const model = out.model;
  if ('builder' in model) issues.push(...checkBuilder(registry, model, '/model', (o) => (out.model = { ...model, options: o })));
  const teacher = out.teacher;
  if (teacher !== undefined && 'builder' in teacher) issues.push(...checkBuilder(registry, teacher, '/teacher', (o) => (out.teacher = { ...teacher, options: o })));

  const data = out.data;
  if (data !== undefined) {
    const provider = registry.dataProviders.entry(data.provider);
    if (provider === undefined) {
      const names = registry.dataProviders.names();
      issues.push({ path: '/data/provider', message: `no loaded package provides data provider "${data.provider}".${didYouMean(data.provider, names)} Available: ${names.join(', ') || 'none'}.` });
    } else {
      issues.push(...validateOptions(provider.value.optionsSchema, data.options ?? {}, '/data/options', (o) => (out.data = { ...data, options: o }), `data provider "${data.provider}" of "${provider.from}"`));
    }
  }
  if (issues.length > 0) throw new ConfigError(file, issues);
  return out;
}

function checkBuilder(registry: PluginRegistry, source: Extract<ModelSource, { builder: string }>, path: string, setOptions: (o: Record<string, unknown>) => void): ConfigIssue[] {
  const builder = registry.modelBuilders.entry(source.builder);
  if (builder === undefined) {
    const names = registry.modelBuilders.names();
    return [{ path: `${path}/builder`, message: `no loaded package provides model builder "${source.builder}".${didYouMean(source.builder, names)} Available: ${names.join(', ') || 'none (add "@whittle/zoo" to "plugins")'}.` }];
  }
  return validateOptions(builder.value.optionsSchema, source.options ?? {}, `${path}/options`, setOptions, `model builder "${source.builder}" of "${builder.from}"`);
}

/**
 * Checks `options` against a plugin's options schema (filling defaults into a copy, handed to `set`);
 * returns the issues found, rooted at `path`. The schema compiles in strict mode (see
 * `compileOptionsSchema`); `owner` names the plugin in `PLUGIN_SCHEMA_INVALID`.
 */
export function validateOptions(schema: OptionsSchema, options: unknown, path: string, set: (o: Record<string, unknown>) => void, owner = 'a plugin'): ConfigIssue[] {
  const validate = compileOptionsSchema(schema, owner);
  const copy = structuredClone(options) as Record<string, unknown>;
  if (!validate(copy)) return formatAjvErrors(validate.errors ?? [], path);
  set(copy);
  return [];
}

function checkModelSource(source: object, path: string, allowStage: boolean): ConfigIssue[] {
  const kinds = ['path', 'builder', ...(allowStage ? ['stage'] : [])].filter((k) => k in source);
  const expected = allowStage ? '"path" (a model.json file), "builder" (a registered model builder) or "stage" (the model after an earlier stage)' : '"path" (a model.json file) or "builder" (a registered model builder)';
  if (kinds.length !== 1) return [{ path, message: `needs exactly one of ${expected}; got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}` }];
  if ('options' in source && !('builder' in source)) return [{ path: `${path}/options`, message: '"options" goes with "builder" only' }];
  return [];
}

function checkStageNaming(stage: StageConfig, path: string): ConfigIssue[] {
  if (stage.hook === 'deploy') {
    if (stage.plugin !== undefined) return [{ path: `${path}/plugin`, message: 'a deploy stage names its "target", not a "plugin"' }];
    if (stage.target === undefined) return [{ path, message: 'missing required property "target" (the deploy target, e.g. "tfjs-profiler")' }];
    return [];
  }
  if (stage.target !== undefined) return [{ path: `${path}/target`, message: `only deploy stages have a "target"; a "${stage.hook}" stage names its "plugin"` }];
  if (stage.plugin === undefined) return [{ path, message: `missing required property "plugin" (the plugin serving "${stage.hook}")` }];
  return [];
}
