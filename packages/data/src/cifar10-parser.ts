import { inputError } from '@whittle/kernel';

/** Bytes of one CIFAR-10 record: 1 label byte, then 32×32 red, 32×32 green and 32×32 blue bytes. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/** Decoded CIFAR-10 records: images NHWC ([n, 32, 32, 3]) uint8, labels 0–9. */
export interface Cifar10Batch {
  readonly count: number;
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/**
 * Parses a CIFAR-10 binary batch (`data_batch_1.bin` … `test_batch.bin`): records of one label byte
 * and 3072 channel-planar pixel bytes, rearranged to channel-last (NHWC) order.
 *
 * ```ts
 * const batch = parseCifar10Batch(await readFile('data_batch_1.bin'), 'data_batch_1.bin');
 * batch.count; // 10000
 * ```
 */
export function parseCifar10Batch(bytes: Uint8Array, source: string): Cifar10Batch {
  if (bytes.byteLength === 0 || bytes.byteLength % CIFAR10_RECORD_BYTES !== 0) {
    throw inputError(
      'DATA_FILE_INVALID',
      `${source}: ${bytes.byteLength} bytes is not a whole number of CIFAR-10 records (${CIFAR10_RECORD_BYTES} bytes each; ${Math.floor(bytes.byteLength / CIFAR10_RECORD_BYTES)} whole records and ${bytes.byteLength % CIFAR10_RECORD_BYTES} bytes over)`,
      'Use the "CIFAR-10 binary version" files (cifar-10-binary.tar.gz), not the Python or CIFAR-100 ones; download again if the file is cut short.',
    );
  }
  const count = bytes.byteLength / CIFAR10_RECORD_BYTES;
  const plane = 32 * 32;
  const images = new Uint8Array(count * plane * 3);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR10_RECORD_BYTES;
    const label = bytes[base] ?? 0;
    if (label > 9) {
      throw inputError('DATA_FILE_INVALID', `${source}: record ${r} has label ${label}, CIFAR-10 labels are 0–9`, 'Is this a CIFAR-100 file (2 label bytes per record)? Only CIFAR-10 is supported.');
    }
    labels[r] = label;
    const out = r * plane * 3;
    for (let c = 0; c < 3; c++) {
      const from = base + 1 + c * plane;
      for (let p = 0; p < plane; p++) images[out + p * 3 + c] = bytes[from + p] ?? 0;
    }
  }
  return { count, images, labels };
}
