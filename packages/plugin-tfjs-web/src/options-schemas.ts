import { StringEnum, Type, withDefault } from '@whittle/kernel';
import { DEFAULT_SHARD_BYTES } from './folder/model-folder-files.js';
import { QUANTIZATION_DTYPES } from './quantize/quantization-dtype.js';
import { SKIP_DEFAULTS } from './quantize/skip-rules.js';

/** The skip rules and shard size both the `web-quantize` stage and the `tfjs-web` target take. */
export const skipOptionProperties = {
  skip: withDefault(Type.Array(Type.String({ minLength: 1 }), { description: 'Glob patterns over weight names to keep float32, e.g. "*bias", "conv1/*", "**/moving_variance" (a pattern without "/" matches the last part of a name).' }), [...SKIP_DEFAULTS.skip]),
  minElements: withDefault(Type.Integer({ minimum: 0, description: 'Weights with fewer elements stay float32.' }), SKIP_DEFAULTS.minElements),
  shardBytes: withDefault(Type.Integer({ minimum: 1, description: 'Weight shard size in bytes (tensorflowjs_converter: 4 MiB).' }), DEFAULT_SHARD_BYTES),
};

/** The quantization dtypes as a schema. */
export const quantizationDtypeSchema = (description: string) => StringEnum(QUANTIZATION_DTYPES, { description });
