import { cpus, platform, arch } from 'node:os';

/**
 * A one-line description of this machine for a latency table's header.
 *
 * ```ts
 * machineNote(); // 'AMD EPYC 7B13 ×2, linux x64, Node v20.19.0'
 * ```
 */
export function machineNote(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return `${model} ×${list.length}, ${platform()} ${arch()}, Node ${process.version}`;
}
