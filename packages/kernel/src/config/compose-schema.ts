import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { modelSourceBranches, pipelineSchema } from './pipeline-schema.js';

/**
 * The kernel's pipeline schema composed with every registered plugin's, model builder's and data
 * provider's options schema: what editors use through `"$schema"` to complete and check a pipeline.
 *
 * ```ts
 * await writeFile('pipeline.schema.json', JSON.stringify(composePipelineSchema(registry), null, 2));
 * ```
 */
export function composePipelineSchema(registry: PluginRegistry): Record<string, unknown> {
  const stageVariants = registry.plugins().map(({ value: plugin, from }) => {
    const key = plugin.meta.hook === 'deploy' ? 'target' : 'plugin';
    return {
      description: `${plugin.meta.description} (${from})`,
      type: 'object',
      required: ['hook', key],
      additionalProperties: false,
      properties: {
        hook: { const: plugin.meta.hook },
        [key]: { const: plugin.meta.name },
        name: { type: 'string' },
        options: plugin.meta.optionsSchema,
      },
    };
  });
  const builderVariants = registry.modelBuilders.entries().map(({ value: builder }) => {
    const name = builder.name;
    return {
      description: builder.description,
      type: 'object',
      required: ['builder'],
      additionalProperties: false,
      properties: { builder: { const: name }, options: builder.optionsSchema },
    };
  });
  const providerVariants = registry.dataProviders.entries().map(({ value: provider }) => {
    return { description: provider.description, properties: { provider: { const: provider.name }, options: provider.optionsSchema } };
  });
  const pathSource = modelSourceBranches.oneOf[0];
  const modelSource = { anyOf: [pathSource, ...builderVariants] };
  // A plain JSON document (as written to pipeline.schema.json): TypeBox's symbol-keyed marks dropped.
  return plainJson({
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...pipelineSchema,
    properties: {
      ...pipelineSchema.properties,
      model: modelSource,
      teacher: { anyOf: [...modelSource.anyOf, { type: 'object', required: ['stage'], additionalProperties: false, properties: { stage: { type: 'integer', minimum: 0 } } }] },
      data: providerVariants.length > 0 ? { ...pipelineSchema.properties.data, anyOf: providerVariants } : pipelineSchema.properties.data,
      stages: { ...pipelineSchema.properties.stages, items: stageVariants.length > 0 ? { anyOf: stageVariants } : pipelineSchema.properties.stages.items },
    },
  });
}

function plainJson(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
