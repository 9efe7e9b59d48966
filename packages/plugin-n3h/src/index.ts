/**
 * @whittle/plugin-n3h — N3H-Core (FPGA '22) for Whittle.
 */
export * from './hardware/hardware-point.js';
