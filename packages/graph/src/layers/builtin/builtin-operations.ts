import type { LayerOperation } from '../layer-operation.js';
import { CHANNELWISE_OPERATIONS } from './channelwise-operations.js';
import { CONVOLUTION_OPERATIONS } from './convolution-operations.js';
import { withLinearExpansion } from '../expansion/builtin-expansions.js';
import { MERGE_OPERATIONS } from './merge-operations.js';
import { PASSTHROUGH_OPERATIONS } from './passthrough-operations.js';
import { RESHAPE_OPERATIONS } from './reshape-operations.js';

/** Every built-in layer operation (one per tfjs layer class Whittle knows). */
export const BUILTIN_OPERATIONS: readonly LayerOperation[] = [
  ...CONVOLUTION_OPERATIONS.map(withLinearExpansion),
  ...CHANNELWISE_OPERATIONS,
  ...MERGE_OPERATIONS,
  ...RESHAPE_OPERATIONS,
  ...PASSTHROUGH_OPERATIONS,
];
