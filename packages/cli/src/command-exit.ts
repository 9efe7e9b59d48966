/**
 * Ends a command with an exit code of its own after it has said why (e.g. 130 after SIGINT):
 * `main` returns the code and prints nothing more.
 */
export class CommandExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
