import { readFile } from 'node:fs/promises';
import { inputError } from '@whittle/kernel';
import { atomicWriteFile } from '@whittle/model-io';
import { latencyTableFromBytes, latencyTableText, REBUILD_TABLE_COMMAND } from './latency-table-file.js';
import type { LatencyTable, LatencyTableExpectation } from './latency-table.js';

/**
 * Reads a latency table file; see `latencyTableFromJson` for what is refused.
 *
 * ```ts
 * const table = await loadLatencyTable('latency-table.json', { backend: tf.getBackend(), batchSize: 1 });
 * ```
 */
export async function loadLatencyTable(path: string, expect: LatencyTableExpectation = {}): Promise<LatencyTable> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw inputError('LATENCY_TABLE_UNREADABLE', `${path}: cannot read the latency table: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, `Check the path, or build a table with ${REBUILD_TABLE_COMMAND}.`, error);
  }
  return latencyTableFromBytes(bytes, path, expect);
}

/**
 * Writes a table atomically (temporary file, then rename), pretty-printed.
 *
 * ```ts
 * await saveLatencyTable('latency-table.json', table);
 * ```
 */
export async function saveLatencyTable(path: string, table: LatencyTable): Promise<void> {
  await atomicWriteFile(path, latencyTableText(table));
}
