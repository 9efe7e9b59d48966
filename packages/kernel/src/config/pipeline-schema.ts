import { STAGE_HOOKS } from '../hooks/stage-hook-name.js';

/** The two kinds of model source, as editors should see them. */
export const modelSourceBranches = {
  oneOf: [
    {
      type: 'object',
      description: 'A TensorFlow.js LayersModel file (model.json), relative to the pipeline file.',
      required: ['path'],
      additionalProperties: false,
      properties: { path: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      description: 'A model builder registered by a loaded plugin package (e.g. "small-cnn" from @whittle/zoo).',
      required: ['builder'],
      additionalProperties: false,
      properties: { builder: { type: 'string', minLength: 1 }, options: { type: 'object' } },
    },
  ],
} as const;

// One object schema for both kinds of model source: "path" xor "builder" is checked by validatePipeline,
// which then says which of the two to write instead of listing both failed branches.
const modelSource = {
  type: 'object',
  additionalProperties: false,
  properties: { path: { type: 'string', minLength: 1 }, builder: { type: 'string', minLength: 1 }, options: { type: 'object' } },
} as const;

/**
 * The kernel's part of the pipeline schema. Stage, model-builder and data-provider options are checked
 * against the schemas of the plugins that serve them (see `validatePipeline`).
 */
export const pipelineSchema = {
  $id: 'https://whittle.dev/schema/pipeline.json',
  title: 'Whittle pipeline',
  type: 'object',
  required: ['model', 'stages'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$', default: 'pipeline', description: 'Names the run.' },
    description: { type: 'string' },
    seed: { type: 'integer', minimum: 0, default: 0, description: 'Seeds initialisers, shuffling and every stage.' },
    backend: { enum: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'], default: 'auto' },
    plugins: {
      type: 'array',
      default: [],
      description: 'Installed package names, or paths starting with "./" or "../" relative to this file.',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
    },
    model: modelSource,
    teacher: {
      description: 'Teacher for distillation: a model source, or {"stage": N}: the model after stage N.',
      type: 'object',
      additionalProperties: false,
      properties: { ...modelSource.properties, stage: { type: 'integer', minimum: 0 } },
    },
    data: {
      type: 'object',
      required: ['provider'],
      additionalProperties: false,
      properties: {
        provider: { type: 'string', minLength: 1 },
        options: { type: 'object' },
        validationSplit: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        trainLimit: { type: 'integer', minimum: 1 },
        testLimit: { type: 'integer', minimum: 1 },
        normalize: { enum: ['unit', 'standardize', 'none'] },
      },
    },
    evaluate: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        split: { enum: ['test', 'validation'], default: 'test' },
        batchSize: { type: 'integer', minimum: 1, default: 256 },
      },
    },
    stages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['hook'],
        additionalProperties: false,
        properties: {
          hook: { enum: [...STAGE_HOOKS] },
          plugin: { type: 'string', minLength: 1 },
          target: { type: 'string', minLength: 1 },
          name: { type: 'string', minLength: 1 },
          options: { type: 'object', default: {} },
        },
      },
    },
  },
} as const;
