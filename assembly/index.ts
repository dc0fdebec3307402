// The kernel module's exports. Each file's exported functions ARE the ABI: they must match the
// `Kernels` interface (src/kernels/kernels.ts), the pure-TS twins (src/kernels/js/) and the
// parity cases (test/kernels/cases/); test/kernels/abi.test.ts checks that the four agree.
export * from "./layout";
export * from "./gemm";
export * from "./rows";
export * from "./activation";
export * from "./loss";
export * from "./clip";
export * from "./optim";
export * from "./rnn-step";
export * from "./lstm-step";
export * from "./gru-step";
