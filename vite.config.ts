import { reactRouter } from '@react-router/dev/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [reactRouter()],
  server: { port: 3000 },
  build: { target: 'es2022' },
  ssr: {
    // Native and WASM packages must stay external: they are loaded from node_modules at run time.
    external: ['@electric-sql/pglite', '@node-rs/argon2', 'pg-boss', 'postgres', 'nodemailer'],
  },
})
