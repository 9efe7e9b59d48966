import { afterEach, describe, expect, it, vi } from 'vitest';
import { REQUIRE_SYSTEM_PACKAGES_ENV, skipWithoutSystemPath } from '../src/index.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('skipWithoutSystemPath', () => {
  it('runs where the path exists, skips with one apt-get line where it does not, and fails when CI requires it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv(REQUIRE_SYSTEM_PACKAGES_ENV, '');
    expect(skipWithoutSystemPath('/', 'base-files')).toBe(false);
    expect(skipWithoutSystemPath('/no/such/dataset', 'dataset-x')).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/\/no\/such\/dataset is missing: `apt-get install dataset-x`/);
    vi.stubEnv(REQUIRE_SYSTEM_PACKAGES_ENV, '1');
    expect(() => skipWithoutSystemPath('/no/such/dataset', 'dataset-x')).toThrow(/apt-get install dataset-x.*WHITTLE_REQUIRE_SYSTEM_PACKAGES=1/);
  });
});
