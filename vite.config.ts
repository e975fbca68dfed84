import { reactRouter } from '@react-router/dev/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [reactRouter()],
  server: { port: 3000 },
  build: { target: 'es2022' },
  optimizeDeps: {
    // The dev dependency scanner follows server-only imports as well; keep Node-only and native
    // packages out of the browser pre-bundle, and pre-bundle the browser's own up front.
    exclude: [
      '@node-rs/argon2',
      '@electric-sql/pglite',
      'pg-boss',
      'postgres',
      'nodemailer',
      'csv-parse',
      'drizzle-orm',
    ],
    include: ['i18next', 'react-i18next', '@conform-to/react', '@conform-to/zod/v4', 'zod'],
  },
  ssr: {
    // Native and WASM packages must stay external: they are loaded from node_modules at run time.
    external: ['@electric-sql/pglite', '@node-rs/argon2', 'pg-boss', 'postgres', 'nodemailer'],
  },
})
