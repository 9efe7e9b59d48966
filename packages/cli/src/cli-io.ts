import type { Logger } from '@whittle/kernel';

/** Where a command writes: stdout for results (`--json`), a logger for progress and messages. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly logger: Logger;
}
