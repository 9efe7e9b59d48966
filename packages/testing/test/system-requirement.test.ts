import { afterEach, describe, expect, it, vi } from 'vitest';
import { REQUIRE_SYSTEM_PACKAGES_ENV, requireSystem, requireSystemPath } from '../src/index.js';

const DATASET_X = { tests: 'dataset-x tests', install: 'apt-get install dataset-x' };

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('requireSystem', () => {
  it('runs where the package is there, skips with one apt-get line where it is not, and fails when CI requires it', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.stubEnv(REQUIRE_SYSTEM_PACKAGES_ENV, '');
    expect(requireSystemPath('/', DATASET_X)).toBe(true);
    expect(requireSystemPath('/no/such/dataset', DATASET_X)).toBe(false);
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]?.[0])).toBe('dataset-x tests skipped: /no/such/dataset is missing; install with: apt-get install dataset-x\n');
    vi.stubEnv(REQUIRE_SYSTEM_PACKAGES_ENV, '1');
    expect(() => requireSystem('no adapter', DATASET_X)).toThrow(/WHITTLE_REQUIRE_SYSTEM_PACKAGES=1, but dataset-x tests cannot run: no adapter; install with: apt-get install dataset-x/);
  });
});
