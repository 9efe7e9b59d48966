/** A progress bar or, off a terminal, a few plain lines. */
export interface ProgressHandle {
  /** Advances by `n` (default 1); `status` replaces the trailing text (e.g. "loss 0.41"). */
  tick(n?: number, status?: string): void;
  done(status?: string): void;
}

/**
 * Where the kernel and plugins write what a person reads. The CLI supplies one with progress bars;
 * `plainLogger` writes lines; tests use `silentLogger`.
 *
 * ```ts
 * const bar = logger.progress('epoch 1/3', batches);
 * for (...) bar.tick(1, `loss ${loss.toFixed(3)}`);
 * bar.done();
 * ```
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  progress(label: string, total: number): ProgressHandle;
}

/** Writes lines to a stream; progress is reported at about every 25% and at the end. */
export function plainLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  return {
    info: (message) => write(message),
    warn: (message) => write(`warning: ${message}`),
    progress(label, total) {
      let count = 0;
      let nextReport = Math.max(1, Math.ceil(total / 4));
      const started = Date.now();
      return {
        tick(n = 1, status) {
          count += n;
          if (count >= nextReport && count < total) {
            write(`${label}: ${count}/${total}${status === undefined ? '' : ` ${status}`}`);
            nextReport += Math.max(1, Math.ceil(total / 4));
          }
        },
        done(status) {
          write(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s${status === undefined ? '' : ` (${status})`}`);
        },
      };
    },
  };
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  progress: () => ({ tick: () => undefined, done: () => undefined }),
};
