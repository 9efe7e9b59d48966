/**
 * Rounds a channel count to the nearest multiple of `divisor`, never more than 10 % below `value`
 * (MobileNetV2's `_make_divisible`, which keeps width-scaled layers hardware friendly).
 *
 * ```ts
 * makeDivisible(32 * 0.35, 8); // 16
 * ```
 */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor(value + divisor / 2) - (Math.floor(value + divisor / 2) % divisor));
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}
