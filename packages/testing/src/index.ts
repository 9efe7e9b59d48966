/**
 * @whittle/testing — the helpers every Whittle package's tests share: tensor-leak checks
 * (`withoutLeaks`, `leakedBy`), the real Keras-converted models nsfwjs ships (`loadNsfwjsModel`), the warmed wasm backend (`useWasm`), temporary folders (`TempDir`),
 * error capture (`errorOf`) and skipping (one line naming the `apt-get` command) or, in CI, failing where a system package is absent (`requireSystem`).
 * The plugin test harness, `runStage`, is exported by `@whittle/kernel`.
 */
export { withoutLeaks, leakedBy } from './tensor-leaks.js';
export { useWasm } from './wasm-backend.js';
export { errorOf } from './error-of.js';
export { TempDir } from './temp-dir.js';
export {
  CHROMIUM_ENV, CHROMIUM_PATHS, CHROMIUM_REQUIREMENT, CHROMIUM_TEST_ARGS, chromiumExecutable, FASHION_MNIST_REQUIREMENT, REQUIRE_SYSTEM_PACKAGES_ENV, requireSystem, requireSystemPath, WEBGPU_REQUIREMENT, type SystemRequirement,
} from './system-requirement.js';
export { loadNsfwjsModel, type NsfwjsModel } from './nsfwjs-models.js';
