import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { CHROMIUM_ENV, CHROMIUM_PATHS, chromiumExecutable, REQUIRE_SYSTEM_PACKAGES_ENV, requireSystem, requireSystemPath } from '../src/index.js';

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

describe('chromiumExecutable', () => {
  it('takes WHITTLE_CHROMIUM alone when set: a missing path skips with one line naming it and the apt-get command, never another binary', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.stubEnv(REQUIRE_SYSTEM_PACKAGES_ENV, '');
    vi.stubEnv(CHROMIUM_ENV, '/no/such/chromium');
    expect(chromiumExecutable()).toBeUndefined();
    expect(write.mock.calls.map((c) => String(c[0]))).toEqual(['browser tests skipped: no Chromium at /no/such/chromium (WHITTLE_CHROMIUM); install with: apt-get install -y --no-install-recommends chromium-headless-shell\n']);
    // An existing file is taken as it is.
    vi.stubEnv(CHROMIUM_ENV, process.execPath);
    expect(chromiumExecutable()).toBe(process.execPath);
    // Unset: Debian's paths, the headless shell first.
    vi.stubEnv(CHROMIUM_ENV, '');
    expect(chromiumExecutable()).toBe(CHROMIUM_PATHS.find((p) => existsSync(p)));
    expect(write).toHaveBeenCalledTimes(CHROMIUM_PATHS.some((p) => existsSync(p)) ? 1 : 2);
    vi.stubEnv(CHROMIUM_ENV, '/no/such/chromium');
    vi.stubEnv(REQUIRE_SYSTEM_PACKAGES_ENV, '1');
    expect(() => chromiumExecutable()).toThrow(/browser tests cannot run: no Chromium at \/no\/such\/chromium \(WHITTLE_CHROMIUM\)/);
  });
});
