import { inputError } from '@whittle/kernel';

/**
 * The six hardware parameters N3H-Core's search chooses (names as in the reference code,
 * `zhihanxu/N3H-Core` `lib/env/linear_quantize_env_ru.py`):
 * - `Dk`, `Dm`, `Dn`: the LUT core's (BISMO's) dot-product array — Dm × Dn dot-product units, each Dk bits wide;
 * - `Bm`: the LUT core's LHS (activation) buffer depth in Dk-bit words (`LMEM`);
 * - `Lmem`, `Rmem`: the DSP core's activation (left) and weight (right) buffer depths (`Dl`, `Dr`).
 *
 * ```ts
 * const hw = parseHardwarePoint('Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048');
 * ```
 */
export interface HardwarePoint {
  readonly Dk: number;
  readonly Dm: number;
  readonly Dn: number;
  readonly Bm: number;
  readonly Lmem: number;
  readonly Rmem: number;
}

export const HARDWARE_KEYS = ['Dk', 'Dm', 'Dn', 'Bm', 'Lmem', 'Rmem'] as const;

/** The example hardware point of papers.md §4 (the reference figures' point). */
export const REFERENCE_HARDWARE: HardwarePoint = { Dk: 128, Dm: 8, Dn: 16, Bm: 8192, Lmem: 8192, Rmem: 2048 };

/** Checks that every parameter is a positive integer; `where` names the source in the error. */
export function checkHardwarePoint(hw: Readonly<Record<string, unknown>>, where: string): HardwarePoint {
  for (const key of HARDWARE_KEYS) {
    const value = hw[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw inputError('N3H_BAD_HARDWARE', `${where}: hardware parameter ${key} must be a positive integer, got ${JSON.stringify(value)}`,
        `Give all six: ${HARDWARE_KEYS.join(', ')}, e.g. Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048.`);
    }
  }
  const unknown = Object.keys(hw).filter((key) => !(HARDWARE_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw inputError('N3H_BAD_HARDWARE', `${where}: unknown hardware parameter ${unknown.map((k) => JSON.stringify(k)).join(', ')}`, `The parameters are ${HARDWARE_KEYS.join(', ')}.`);
  }
  return { Dk: hw['Dk'] as number, Dm: hw['Dm'] as number, Dn: hw['Dn'] as number, Bm: hw['Bm'] as number, Lmem: hw['Lmem'] as number, Rmem: hw['Rmem'] as number };
}

/** Parses `Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048` (all six, any order). */
export function parseHardwarePoint(text: string, where = '--hw'): HardwarePoint {
  const values: Record<string, unknown> = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (match === null) {
      throw inputError('N3H_BAD_HARDWARE', `${where}: cannot read ${JSON.stringify(part)} (expected NAME=INTEGER)`, 'Write e.g. Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048.');
    }
    values[match[1] as string] = Number(match[2]);
  }
  return checkHardwarePoint(values, where);
}

export function formatHardwarePoint(hw: HardwarePoint): string {
  return HARDWARE_KEYS.map((key) => `${key}=${hw[key]}`).join(',');
}
