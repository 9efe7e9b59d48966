/** The kernel's version; plugin manifests declare the semver range of kernels they support. */
export const KERNEL_VERSION = '0.1.0';
