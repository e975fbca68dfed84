// `npm run markdown:rerender`: renders again every row whose HTML came from an older renderer or is
// the plain-text fallback (app/lib/markdown-rerender.server.ts; the app's job does the same every ten
// minutes, except for rows it already gave up on, which this command tries again).
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { mentionLinkedTables } from '#app/domain/notify/mentions.server.ts'
import { RENDER_VERSION, stopMarkdownRendering } from '#app/lib/markdown.server.ts'
import { type RerenderProgress, rerenderMarkdown } from '#app/lib/markdown-rerender.server.ts'
import { openFromEnv } from '#db/client.server.ts'

export { type RerenderProgress, rerenderMarkdown }

async function main() {
  const database = await openFromEnv()
  try {
    await database.migrate()
    const counts = await rerenderMarkdown(database.db, {
      enrich: mentionLinkedTables,
      onProgress: ({ name, done, total }) => console.info(`${name}: ${done}/${total}`),
    })
    for (const [name, rows] of Object.entries(counts)) {
      console.info(`${name}: ${rows} re-rendered (render version ${RENDER_VERSION})`)
    }
  } finally {
    await stopMarkdownRendering()
    await database.close()
  }
}

// Run by `npm run markdown:rerender`; imported by its test without running.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main()
