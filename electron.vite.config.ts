import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

/** Builds the three Electron bundles into out/: main (ESM), a sandbox-safe CJS preload, renderer. */
export default defineConfig({
  main: {
    build: { rolldownOptions: { input: { index: 'electron/main.ts' } } },
  },
  preload: {
    // A sandboxed preload cannot require packages: bundle everything it imports (zod included).
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: 'electron/preload.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { outDir: 'out/renderer', minify: true, rolldownOptions: { input: 'renderer/index.html' } },
  },
})
