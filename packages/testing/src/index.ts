/**
 * @whittle/testing — the helpers every Whittle package's tests share: tensor-leak checks
 * (`withoutLeaks`, `leakedBy`), the warmed wasm backend (`useWasm`), temporary folders (`TempDir`),
 * error capture (`errorOf`) and skipping on absent system packages (`skipWithoutSystemPath`).
 * The plugin test harness, `runStage`, is exported by `@whittle/kernel`.
 */
export { withoutLeaks, leakedBy } from './tensor-leaks.js';
export { useWasm } from './wasm-backend.js';
export { errorOf } from './error-of.js';
export { TempDir } from './temp-dir.js';
export { skipWithoutSystemPath, REQUIRE_SYSTEM_PACKAGES_ENV } from './system-package.js';
