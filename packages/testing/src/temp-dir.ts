import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * A fresh folder under the OS temp dir for one test file's runs and fixtures; `cleanup()` (in
 * `afterAll`) removes it, so no test leaves folders behind.
 *
 * ```ts
 * const temp = new TempDir('whittle-cli-');
 * afterAll(() => temp.cleanup());
 * const file = temp.write('pipeline.json', { name: 'p', stages: [] });
 * ```
 */
export class TempDir {
  readonly dir: string;

  constructor(prefix = 'whittle-test-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  /** An absolute path inside the folder. */
  path(...segments: string[]): string {
    return join(this.dir, ...segments);
  }

  /** Writes a file (objects as pretty JSON), creating its folders; returns its absolute path. */
  write(relativePath: string, content: string | Uint8Array | object): string {
    const file = this.path(relativePath);
    mkdirSync(dirname(file), { recursive: true });
    const bytes = typeof content === 'string' || content instanceof Uint8Array ? content : `${JSON.stringify(content, null, 2)}\n`;
    writeFileSync(file, bytes);
    return file;
  }

  /** Parses a JSON file inside the folder (or an absolute path). */
  json<T>(path: string): T {
    return JSON.parse(readFileSync(isAbsolute(path) ? path : this.path(path), 'utf8')) as T;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
