/**
 * One convolution or fully-connected layer of a network as the N3H cores see it: an im2col GEMM
 * `[M×K]·[K×N]` at batch 1 — M = H_out·W_out, K = C_in·k² (depthwise: k²), N = C_out.
 * `edge` marks the network's first and last GEMM layers, which the reference runs at 8 bits on the
 * DSP core without packing (`S = 1`).
 */
export interface GemmLayer {
  readonly name: string;
  readonly className: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly edge: boolean;
}

/**
 * ResNet-18 on ImageNet (224×224) as the reference code hard-codes it (`marray`, `karray`, `narray` in
 * `cal_bismo`/`cal_dsp`; papers.md §4): 21 layers in PyTorch module order (each block's conv1, conv2,
 * then the downsample 1×1), the FC last.
 */
export const RESNET18_IMAGENET_GEMMS: readonly GemmLayer[] = (() => {
  const m = [12544, 3136, 3136, 3136, 3136, 784, 784, 784, 784, 784, 196, 196, 196, 196, 196, 49, 49, 49, 49, 49, 1];
  const k = [147, 576, 576, 576, 576, 576, 1152, 64, 1152, 1152, 1152, 2304, 128, 2304, 2304, 2304, 4608, 256, 4608, 4608, 512];
  const n = [64, 64, 64, 64, 64, 128, 128, 128, 128, 128, 256, 256, 256, 256, 256, 512, 512, 512, 512, 512, 1000];
  return m.map((mi, i) => ({ name: `layer${i}`, className: i === 20 ? 'Dense' : 'Conv2D', m: mi, k: k[i] as number, n: n[i] as number, edge: i === 0 || i === 20 }));
})();
