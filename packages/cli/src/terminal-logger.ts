import { SingleBar, Presets } from 'cli-progress';
import { plainLogger, type Logger } from '@whittle/kernel';

/**
 * A `Logger` for people: progress bars on a terminal (cli-progress), plain lines elsewhere
 * (CI logs, pipes), everything on stderr so that stdout stays for `--json`.
 */
export function terminalLogger(stream: NodeJS.WriteStream = process.stderr): Logger {
  const write = (line: string): void => void stream.write(`${line}\n`);
  if (stream.isTTY !== true) return plainLogger(write);
  return {
    info: write,
    warn: (message) => write(`warning: ${message}`),
    progress(label, total) {
      const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {status}`, stream, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
      bar.start(total, 0, { status: '' });
      return {
        tick: (n = 1, status) => bar.increment(n, status === undefined ? {} : { status }),
        done: (status) => {
          if (status !== undefined) bar.update({ status });
          bar.stop();
        },
      };
    },
  };
}
