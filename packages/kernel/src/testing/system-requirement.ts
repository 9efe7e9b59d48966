/** A system package (not an npm one) that some tests need, and how to get it. */
export interface SystemRequirement {
  /** What the tests are, for the notice: e.g. "webgpu tests". */
  readonly tests: string;
  /** The command that installs it, e.g. "apt-get install dataset-fashion-mnist". */
  readonly install: string;
  /** The environment variable that makes the requirement mandatory when it is "1" (CI sets it). */
  readonly requireEnv: string;
}

/**
 * Whether tests that need a system package can run. `missing` is undefined when the package is
 * there, otherwise why it is not. A missing package skips the tests with ONE line on stderr naming
 * the install command, unless `requireEnv` is set to "1" (as `.ci/run`, which installs the package,
 * does): then it throws, so the test file fails instead of passing without its tests.
 *
 * ```ts
 * const hasData = requireSystem(existsSync(dir) ? undefined : `${dir} is missing`,
 *   { tests: 'fashion-mnist tests', install: 'apt-get install dataset-fashion-mnist', requireEnv: 'WHITTLE_REQUIRE_DATASETS' });
 * it.runIf(hasData)('reads it', () => {});
 * ```
 */
export function requireSystem(missing: string | undefined, requirement: SystemRequirement): boolean {
  if (missing === undefined) return true;
  const line = `${requirement.tests} skipped: ${missing}; install with: ${requirement.install}`;
  if (process.env[requirement.requireEnv] === '1') {
    throw new Error(`${requirement.requireEnv}=1, but ${line.replace(' skipped:', ' cannot run:')}`);
  }
  process.stderr.write(`${line}\n`);
  return false;
}

/** The Vulkan driver Dawn accepts on Debian 12 (bookworm's own Mesa 22.3 is refused). */
export const WEBGPU_REQUIREMENT: SystemRequirement = {
  tests: 'webgpu tests',
  install: 'apt-get install -y libvulkan1 && apt-get install -y -t bookworm-backports mesa-vulkan-drivers (after adding bookworm-backports to apt sources)',
  requireEnv: 'WHITTLE_REQUIRE_WEBGPU',
};

/** Debian's packaged Fashion-MNIST, in /usr/share/datasets/fashion-mnist. */
export const FASHION_MNIST_REQUIREMENT: SystemRequirement = {
  tests: 'fashion-mnist dataset tests',
  install: 'apt-get install -y dataset-fashion-mnist',
  requireEnv: 'WHITTLE_REQUIRE_DATASETS',
};
