// ESM bundles for Node and browsers. The Wasm bytes are inlined (src/kernels/wasm/binary.generated.ts),
// so the bundle needs no file reads or fetches. Types come from `tsc -p tsconfig.build.json`.
import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

export default {
  input: { index: 'src/index.ts' },
  output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  plugins: [
    resolve({ browser: false }),
    typescript({ tsconfig: './tsconfig.build.json', compilerOptions: { declaration: false, emitDeclarationOnly: false, noEmit: false, outDir: 'dist' } }),
  ],
  treeshake: { moduleSideEffects: false },
};
