/** The storage types tfjs's stock weight decoder (`tf.io.decodeWeights`) reads for quantized weights. */
export const QUANTIZATION_DTYPES = ['uint8', 'uint16', 'float16'] as const;

/** `uint8` / `uint16`: affine (`value = q × scale + min`); `float16`: IEEE half precision. */
export type QuantizationDtype = (typeof QUANTIZATION_DTYPES)[number];

/** Bytes one element takes in a shard when stored as `dtype`. */
export const QUANTIZED_BYTES_PER_ELEMENT: Readonly<Record<QuantizationDtype, number>> = { uint8: 1, uint16: 2, float16: 2 };

/** Whether `value` names a quantization dtype. */
export function isQuantizationDtype(value: unknown): value is QuantizationDtype {
  return typeof value === 'string' && (QUANTIZATION_DTYPES as readonly string[]).includes(value);
}
