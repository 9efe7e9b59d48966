/** Hand formulas for parameter counts, independent of tfjs' countParams. */

/** k×k conv (or transposed conv) from cin to cout channels. */
export const conv = (k: number, cin: number, cout: number, bias = false): number => k * k * cin * cout + (bias ? cout : 0);
/** BatchNormalization: gamma, beta, moving mean, moving variance. */
export const bn = (c: number): number => 4 * c;
/** Dense with bias. */
export const dense = (units: number, inputs: number): number => inputs * units + units;
/** A bias-free conv followed by BN. */
export const convBn = (k: number, cin: number, cout: number): number => conv(k, cin, cout) + bn(cout);
