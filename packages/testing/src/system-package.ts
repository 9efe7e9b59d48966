import { existsSync } from 'node:fs';

/** Set to 1 (as `.ci/run` does) to make tests that need a system package fail instead of skipping. */
export const REQUIRE_SYSTEM_PACKAGES_ENV = 'WHITTLE_REQUIRE_SYSTEM_PACKAGES';

/**
 * Whether a test that reads `path` (installed by a Debian package) should skip: true when the path is
 * absent, after printing one line naming the `apt-get install` command. With
 * `WHITTLE_REQUIRE_SYSTEM_PACKAGES=1` an absent path throws instead, so CI cannot skip silently.
 *
 * ```ts
 * it.skipIf(skipWithoutSystemPath('/usr/share/datasets/fashion-mnist', 'dataset-fashion-mnist'))('reads it', …);
 * ```
 */
export function skipWithoutSystemPath(path: string, aptPackage: string): boolean {
  if (existsSync(path)) return false;
  const line = `${path} is missing: \`apt-get install ${aptPackage}\` to run the tests that read it`;
  if (process.env[REQUIRE_SYSTEM_PACKAGES_ENV] === '1') throw new Error(`${line} (${REQUIRE_SYSTEM_PACKAGES_ENV}=1 makes them mandatory)`);
  console.warn(`skipped: ${line}`);
  return true;
}
