// Entry of the forward-only kernel module (asconfig targets `inference`, `inference-relaxed`),
// embedded in the `wasm-rnn/inference` bundle: the kernels running a trained network needs, from
// the same sources as index.ts. No backward kernels, losses, optimizers or clipping: they are half
// of the full module, and a model loaded for inference never calls them. The list must equal
// FORWARD_KERNEL_NAMES (src/kernels/forward-kernels.ts); test/kernels/forward-abi.test.ts checks it.
export { heapBase } from "./layout";
export { gemmNN, gemmNT, packB, gemmPacked } from "./gemm";
export { addRowVector, fill, copy, copyRows, axpy, scale, hadamard } from "./rows";
export { tanhForward, sigmoidForward, reluForward, expForward, softmaxForward } from "./activation";
export { rnnStepForward } from "./rnn-step";
export { lstmStepForward } from "./lstm-step";
export { gruStepForward, gruResetGateForward } from "./gru-step";
