import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LATENCY_TABLE_FORMAT, LatencyTable, latencyTableText, latencyTableToJson, loadLatencyTable, saveLatencyTable, signatureKey, withChannels,
  type LatencyEntry, type LayerSignature,
} from '../../src/index.js';
import { errorOf } from '@whittle/testing';

const conv: LayerSignature = {
  op: 'conv2d', batch: 1, cin: 16, cout: 32, height: 8, width: 8, kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
  padding: 'same', groups: 1, multiplier: 1, backend: 'wasm', adapter: null,
};
const entry = (signature: LayerSignature, ms: number): LatencyEntry => ({ signature, ms, p10: ms * 0.9, p90: ms * 1.2, runs: 5, clock: 'wall', kernelMs: ms * 0.8 });
const header = { backend: 'wasm', adapter: null, batchSize: 1, clock: 'wall', machine: 'test machine' } as const;

function sampleTable(): LatencyTable {
  const table = LatencyTable.create(header);
  table.set(entry(conv, 0.5));
  table.set(entry(withChannels(conv, 8, 32), 0.3));
  return table;
}

const passthrough = { ...conv, cout: 16, kernel: [1, 1], padding: 'valid', groups: 16 } as const;
/** One entry of every passthrough kind, as measureSignature writes them (with `repeats`). */
const passthroughEntries: LatencyEntry[] = ([
  { ...passthrough, op: 'batch-norm' },
  { ...passthrough, op: 'activation', activation: 'relu6' },
  { ...passthrough, op: 'merge', merge: 'add', inputs: 2 },
  { ...passthrough, op: 'max-pool', kernel: [2, 2], stride: [2, 2], padding: 'same' },
  { ...passthrough, op: 'global-avg-pool' },
  { ...passthrough, op: 'zero-pad', pads: [1, 1, 0, 0] },
] satisfies LayerSignature[]).map((signature) => ({ ...entry(signature, 0.01), repeats: 64 }));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'whittle-latency-table-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `json` (an object, or raw text) to a fresh file and returns its path. */
function file(name: string, json: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

describe('LatencyTable', () => {
  it('keeps entries by signature key and fills the header', () => {
    const table = sampleTable();
    expect(table.size).toBe(2);
    expect(table.get(conv)?.ms).toBe(0.5);
    expect(table.get(signatureKey(withChannels(conv, 8, 32)))?.ms).toBe(0.3);
    expect(table.has(withChannels(conv, 4, 4))).toBe(false);
    expect(table.header.tfjsVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(Number.isNaN(Date.parse(table.header.createdAt))).toBe(false);
  });

  it('round-trips through a file, written atomically', async () => {
    const path = join(dir, 'sub', 'table.json');
    const original = sampleTable();
    await saveLatencyTable(path, original);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['table.json']);
    const json = JSON.parse(readFileSync(path, 'utf8')) as { format: string; version: number };
    expect(json.format).toBe(LATENCY_TABLE_FORMAT);
    expect(json.version).toBe(2);
    const loaded = await loadLatencyTable(path, { backend: 'wasm', batchSize: 1, clock: 'wall', adapter: null });
    expect(latencyTableToJson(loaded)).toEqual(latencyTableToJson(original));
    expect(loaded.get(conv)).toEqual(entry(conv, 0.5));
    expect(readFileSync(path, 'utf8').split('\n').filter((line) => line.includes('"signature"'))).toHaveLength(2);
    const empty = LatencyTable.create(header);
    expect(JSON.parse(latencyTableText(empty))).toEqual(latencyTableToJson(empty));
  });

  it('keeps whole-model entries (the fit\'s measurements) through the file, and reads files without them', async () => {
    const table = sampleTable();
    expect(JSON.parse(latencyTableText(table))).not.toHaveProperty('models');
    table.setModel('model:3 layer calls:00000000000000ab', { ms: 1.25, statistic: 'median', clock: 'wall', runs: 10, sites: 3 });
    const path = join(dir, 'with-models.json');
    await saveLatencyTable(path, table);
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text)).toEqual(latencyTableToJson(table));
    const loaded = await loadLatencyTable(path, { backend: 'wasm', batchSize: 1 });
    expect(loaded.getModel('model:3 layer calls:00000000000000ab')).toEqual({ ms: 1.25, statistic: 'median', clock: 'wall', runs: 10, sites: 3 });
    const merged = sampleTable();
    merged.merge(loaded);
    expect([...merged.models()]).toHaveLength(1);
    const json = JSON.parse(text) as { models: Record<string, { clock: string }> };
    json.models['model:3 layer calls:00000000000000ab']!.clock = 'kernel';
    const wrongClock = await errorOf(() => loadLatencyTable(file('model-clock.json', json)));
    expect(wrongClock.code).toBe('LATENCY_TABLE_MALFORMED');
    expect(wrongClock.message).toMatch(/\/models\/model:3 layer calls:00000000000000ab was timed with the kernel clock/);
    const badKey = await errorOf(() => loadLatencyTable(file('model-key.json', { ...latencyTableToJson(table), models: { nope: { ms: 1, statistic: 'median', clock: 'wall', runs: 1, sites: 1 } } })));
    expect(badKey.code).toBe('LATENCY_TABLE_MALFORMED');
    expect(() => table.setModel('model:x', { ms: 1, statistic: 'median', clock: 'kernel', runs: 1, sites: 1 })).toThrow(/kernel clock/);
  });

  it('round-trips BatchNorm, activation, merge, pooling and padding entries with their op fields', async () => {
    const table = sampleTable();
    for (const e of passthroughEntries) table.set(e);
    const path = join(dir, 'passthrough.json');
    await saveLatencyTable(path, table);
    const loaded = await loadLatencyTable(path);
    for (const e of passthroughEntries) expect(loaded.get(e.signature), e.signature.op).toEqual(e);
    expect(loaded.get(signatureKey({ ...passthrough, op: 'merge', merge: 'add', inputs: 2 }))?.repeats).toBe(64);
    expect(readFileSync(path, 'utf8')).toContain('"merge_add_n2_bs1_c16_fmap8x8@wasm": {"signature":{"op":"merge",');
  });

  it('refuses a table measured for another backend or batch size, naming the file and what differs', async () => {
    const path = join(dir, 'wasm-b1.json');
    await saveLatencyTable(path, sampleTable());
    const backend = await errorOf(() => loadLatencyTable(path, { backend: 'webgpu', batchSize: 1 }));
    expect(backend.code).toBe('LATENCY_TABLE_MISMATCH');
    expect(backend.message).toContain(path);
    expect(backend.message).toContain('backend "wasm" (requested "webgpu")');
    const batch = await errorOf(() => loadLatencyTable(path, { backend: 'wasm', batchSize: 32 }));
    expect(batch.message).toContain('batchSize 1 (requested 32)');
    expect(batch.message).toContain('--batch 32');
    const clock = await errorOf(() => loadLatencyTable(path, { clock: 'kernel' }));
    expect(clock.message).toContain('clock "wall" (requested "kernel")');
  });

  it('refuses malformed files, naming the file and the problem', async () => {
    const good = latencyTableToJson(sampleTable());
    const key = signatureKey(conv);
    const cases: Array<[string, unknown, string, string]> = [
      ['not-json.json', '{ "format": ', 'LATENCY_TABLE_MALFORMED', 'not JSON: expected a value at line 1, column 13'],
      ['no-header.json', { ...good, header: undefined }, 'LATENCY_TABLE_MALFORMED', "must have required property 'header'"],
      ['bad-batch.json', { ...good, header: { ...good.header, batchSize: 0 } }, 'LATENCY_TABLE_MALFORMED', '/header/batchSize'],
      ['negative-ms.json', { ...good, entries: { [key]: { ...good.entries[key], ms: -1 } } }, 'LATENCY_TABLE_MALFORMED', `/entries/${key}/ms`],
      ['wrong-key.json', { ...good, entries: { 'conv2d_x': good.entries[key] } }, 'LATENCY_TABLE_MALFORMED', `holds the signature of "${key}"`],
      ['other-backend-entry.json', { ...good, entries: { [signatureKey({ ...conv, backend: 'cpu' })]: entry({ ...conv, backend: 'cpu' }, 1) } }, 'LATENCY_TABLE_MALFORMED', 'backend "wasm" (requested "cpu")'],
      ['other-format.json', { ...good, format: 'something-else' }, 'LATENCY_TABLE_MALFORMED', '/format'],
      ['newer.json', { ...good, version: 3 }, 'LATENCY_TABLE_VERSION', 'version 3'],
      ['version-1.json', { ...good, version: 1 }, 'LATENCY_TABLE_VERSION', 'version 1 timed each layer alone with its own read-back'],
      ['merge-without-inputs.json', { ...good, entries: { [key]: { ...good.entries[key], signature: { ...passthrough, op: 'merge', merge: 'add' } } } }, 'LATENCY_TABLE_MALFORMED', "must have required property 'inputs'"],
      ['conv-with-activation.json', { ...good, entries: { [key]: { ...good.entries[key], signature: { ...conv, activation: 'relu' } } } }, 'LATENCY_TABLE_MALFORMED', '/signature'],
      ['unknown-activation.json', { ...good, entries: { [key]: { ...good.entries[key], signature: { ...passthrough, op: 'activation', activation: 'cosh' } } } }, 'LATENCY_TABLE_MALFORMED', '/signature/activation'],
      ['unknown-op.json', { ...good, entries: { [key]: { ...good.entries[key], signature: { ...conv, op: 'conv3d' } } } }, 'LATENCY_TABLE_MALFORMED', '/signature/op'],
    ];
    for (const [name, json, code, text] of cases) {
      const path = file(name, json);
      const error = await errorOf(() => loadLatencyTable(path));
      expect(error.code, name).toBe(code);
      expect(error.message, name).toContain(path);
      expect(error.message, name).toContain(text);
    }
    const missing = await errorOf(() => loadLatencyTable(join(dir, 'missing.json')));
    expect(missing.code).toBe('LATENCY_TABLE_UNREADABLE');
  });

  it('never echoes the file it was given, nor suggests overwriting it', async () => {
    const path = file('passwd', 'root:x:0:0:root:/root:/bin/bash\n');
    const error = await errorOf(() => loadLatencyTable(path));
    expect(error.code).toBe('LATENCY_TABLE_MALFORMED');
    expect(error.message).toContain('not JSON: unexpected character at line 1, column 1');
    expect(error.message).not.toContain('root:x');
    expect(error.message).not.toContain(`--out ${path}`);
    expect(error.message).toContain('--out <new-table>.json');
    const old = await errorOf(() => loadLatencyTable(file('v1.json', { ...latencyTableToJson(sampleTable()), version: 1 })));
    expect(old.message).not.toContain('--out ' + join(dir, 'v1.json'));
  });

  it('merges tables of the same target and refuses others', () => {
    const table = sampleTable();
    const imported = LatencyTable.create({ ...header, machine: 'elsewhere' });
    imported.set(entry(conv, 9));
    imported.set(entry(withChannels(conv, 4, 4), 0.1));
    expect(table.merge(imported)).toBe(1);
    expect(table.get(conv)?.ms).toBe(0.5);
    expect(table.get(withChannels(conv, 4, 4))?.ms).toBe(0.1);
    expect(table.merge(imported, { overwrite: true })).toBe(2);
    expect(table.get(conv)?.ms).toBe(9);
    const other = LatencyTable.create({ ...header, batchSize: 8 });
    expect(() => table.merge(other, { source: 'b8.json' })).toThrow(/b8\.json: cannot merge, it has batchSize 8 \(requested 1\)/);
  });

  it('refuses an entry for another target than its header', () => {
    const table = sampleTable();
    expect(() => table.set(entry({ ...conv, batch: 4 }, 1))).toThrow(/batchSize 1 \(requested 4\)/);
    expect(() => table.set({ ...entry(conv, 1), clock: 'kernel' })).toThrow(/clock "wall" \(requested "kernel"\)/);
  });
});
