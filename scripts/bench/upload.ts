// The upload path (docs/decisions/041-uploads.md): a 5 MB phone photo (4000 × 3000, noisy, EXIF with the
// GPS position), from the bytes received to the upload processed (upright, metadata gone, a web-sized
// copy) and stored, as `storeUpload` does it for the form and for POST /uploads. Prints p50/p95/p99 in
// ms over N runs, CPU time per upload, the process's peak memory, and the same bytes stored without
// processing as the baseline of the same run (the ratio is what re-encoding costs). Then a burst of
// uploads at once, which the image workers take in turns.
//   npm run bench:upload
// BENCH_RUNS (default 20) uploads; BENCH_BURST (default 4) at once. Uses BENCH_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/bench_upload, dropped and created again), or in-memory PGlite when
// no PostgreSQL answers.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { eq, sql } from 'drizzle-orm'
import exifr from 'exifr'
import sharp from 'sharp'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { IMAGE_WORKERS, processImage } from '#app/domain/uploads/images.server.ts'
import { UPLOAD_SETTINGS_KEY } from '#app/domain/uploads/settings.server.ts'
import { storeUpload } from '#app/domain/uploads/store.server.ts'
import { defaultUploadSettings, MB } from '#app/domain/uploads/types.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { type Database, openDatabase } from '#db/client.server.ts'
import { uploads } from '#db/schema/editor.ts'
import { users } from '#db/schema/identity.ts'
import { percentile, recreateDatabase, reportFigures } from './lib.ts'
import type { FigureRow } from './report.ts'

const runs = Number(process.env.BENCH_RUNS ?? 20)
const burst = Number(process.env.BENCH_BURST ?? 4)
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_upload'
process.env.UPLOAD_FILE_MAX_BYTES ??= String(10 * MB)

/** The process's peak resident memory so far (VmHWM), in MB. */
function peakRssMb(): number {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0)
  return Math.round(kb / 1024)
}

/** A phone photo: a gradient with noise (so JPEG cannot make it small), EXIF with camera and GPS. */
async function photo(): Promise<Buffer> {
  const width = 4000
  const height = 3000
  const pixels = Buffer.alloc(width * height * 3)
  let seed = 12345
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      const noise = (seed >> 16) % 40
      const i = (y * width + x) * 3
      pixels[i] = ((x * 255) / width + noise) & 255
      pixels[i + 1] = ((y * 255) / height + noise) & 255
      pixels[i + 2] = (128 + noise) & 255
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 88 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'BenchCam', Model: 'Phone 12' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '35/1 39/1 2910/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '139/1 44/1 4590/100',
      },
    })
    .toBuffer()
}

async function open(): Promise<{ database: Database; where: string }> {
  try {
    await recreateDatabase(url)
    const database = await openDatabase({ driver: 'postgres', url })
    await database.migrate()
    return { database, where: `PostgreSQL (${new URL(url).pathname.slice(1)})` }
  } catch (error) {
    console.info(
      `PostgreSQL at ${new URL(url).host} did not answer (${(error as Error).message}); using in-memory PGlite`,
    )
    const database = await openDatabase({ driver: 'pglite' })
    await database.migrate()
    return { database, where: 'PGlite (in memory)' }
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10
function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b)
  return {
    p50: round1(percentile(sorted, 50)),
    p95: round1(percentile(sorted, 95)),
    p99: round1(percentile(sorted, 99)),
  }
}

const input = await photo()
const gps = await exifr.gps(input)
console.info(
  `photo: 4000 × 3000 JPEG, ${(input.byteLength / MB).toFixed(2)} MB, GPS ${gps ? `${gps.latitude.toFixed(3)}, ${gps.longitude.toFixed(3)}` : 'missing'}`,
)
const { database, where } = await open()
const db = database.db
const [row] = await db
  .insert(users)
  .values({
    email: 'member@bench.example',
    displayName: 'Bench Member',
    passwordHash: 'x',
    role: 'member',
    emailVerifiedAt: new Date(),
  })
  .returning({ id: users.id })
const user: SessionUser = {
  id: row!.id,
  email: 'member@bench.example',
  displayName: 'Bench Member',
  role: 'member',
  accountId: null,
  locale: 'en',
  timeZone: 'UTC',
  emailVerified: true,
}
await writeSetting(db, {
  key: UPLOAD_SETTINGS_KEY,
  value: { ...defaultUploadSettings, maxFileBytes: 10 * MB, quotaBytes: 100_000 * MB, perHour: 100_000 },
  actorId: user.id,
})
console.info(`${where}; ${runs} uploads, ${cpus().length} CPUs, ${IMAGE_WORKERS} image worker(s)`)

// Once first, so that neither way pays for loading libvips or warming the connection.
const warm = await storeUpload(db, { user, name: 'warm.jpg', bytes: input })
if (!warm.ok) throw new Error(`the upload was refused: ${warm.code}`)
const stored = (await db.select().from(uploads).where(eq(uploads.id, warm.value.id)))[0]!
console.info(
  `stored: ${stored.width} × ${stored.height}, ${(stored.byteSize / MB).toFixed(2)} MB, web copy ${((stored.webData?.byteLength ?? 0) / 1024).toFixed(0)} KB, GPS after: ${(await exifr.gps(stored.data)) ? 'STILL THERE' : 'gone'}`,
)
await db.delete(uploads)

const rssBefore = peakRssMb()
const processed: number[] = []
const processCpu: number[] = []
for (let i = 0; i < runs; i++) {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const outcome = await storeUpload(db, { user, name: `IMG_${i}.jpg`, bytes: input })
  processed.push(performance.now() - started)
  const used = process.cpuUsage(cpu)
  processCpu.push((used.user + used.system) / 1000)
  if (!outcome.ok) throw new Error(`the upload was refused: ${outcome.code}`)
  // The same bytes would be the same upload (a form sent twice): removed, so each run does the work.
  await db.delete(uploads).where(eq(uploads.id, outcome.value.id))
}
const peakProcessing = peakRssMb()

const imageOnly: number[] = []
for (let i = 0; i < Math.min(runs, 10); i++) {
  const started = performance.now()
  await processImage(input, 'jpeg')
  imageOnly.push(performance.now() - started)
}

const baseline: number[] = []
const baselineCpu: number[] = []
for (let i = 0; i < runs; i++) {
  const cpu = process.cpuUsage()
  const started = performance.now()
  await db.insert(uploads).values({
    id: randomBytes(16).toString('base64url'),
    ownerId: user.id,
    kind: 'file',
    fileName: `IMG_${i}.jpg`,
    contentType: 'image/jpeg',
    byteSize: input.byteLength,
    sha256: 'baseline',
    data: input,
  })
  baseline.push(performance.now() - started)
  const used = process.cpuUsage(cpu)
  baselineCpu.push((used.user + used.system) / 1000)
}
await db.delete(uploads)

const burstStarted = performance.now()
const burstCpu = process.cpuUsage()
const many = await Promise.all(
  Array.from({ length: burst }, async (_, i) => {
    const bytes = Buffer.concat([input, Buffer.from([i])]) // another upload each (a trailing byte JPEG ignores)
    const started = performance.now()
    const outcome = await storeUpload(db, { user, name: `burst-${i}.jpg`, bytes })
    if (!outcome.ok) throw new Error(`the upload was refused: ${outcome.code}`)
    return performance.now() - started
  }),
)
const burstMs = performance.now() - burstStarted
const burstUsed = process.cpuUsage(burstCpu)
const burstCpuShare = (burstUsed.user + burstUsed.system) / 1000 / burstMs
const peakEnd = peakRssMb()
const [counted] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(uploads)
await database.close()

const stored5 = summary(processed)
const base = summary(baseline)
const image = summary(imageOnly)
const cpuMs = summary(processCpu)
const baseCpuMs = summary(baselineCpu)
console.info('\nfrom the bytes received to the upload stored, in ms')
console.table([
  {
    way: 'processed (re-encoded + web copy) and stored',
    'p50 ms': stored5.p50,
    'p95 ms': stored5.p95,
    'p99 ms': stored5.p99,
    'CPU ms p50': cpuMs.p50,
  },
  {
    way: '…of which image processing alone',
    'p50 ms': image.p50,
    'p95 ms': image.p95,
    'p99 ms': image.p99,
    'CPU ms p50': '',
  },
  {
    way: 'baseline: the same bytes stored as sent',
    'p50 ms': base.p50,
    'p95 ms': base.p95,
    'p99 ms': base.p99,
    'CPU ms p50': baseCpuMs.p50,
  },
])
const ratio = stored5.p50 / Math.max(base.p50, 0.1)
console.info(`processed ÷ baseline, p50: ${ratio.toFixed(1)}×`)
console.info(
  `peak memory (process high-water mark): ${rssBefore} MB after warm-up, ${peakProcessing} MB after the runs, ${peakEnd} MB after the burst`,
)
const sortedBurst = [...many].sort((a, b) => a - b)
console.info(
  `burst of ${burst} at once: all stored in ${Math.round(burstMs)} ms (each ${sortedBurst.map((ms) => Math.round(ms)).join(', ')} ms); CPU meanwhile ${burstCpuShare.toFixed(2)} cores of ${cpus().length}; ${counted?.n ?? 0} rows`,
)

const figures: FigureRow[] = [
  { name: '5 MB photo processed and stored p50', figure: stored5.p50, unit: 'ms' },
  { name: '5 MB photo processed and stored p95', figure: stored5.p95, unit: 'ms' },
  { name: '5 MB photo processed and stored p99', figure: stored5.p99, unit: 'ms' },
  { name: '5 MB photo CPU per upload p50', figure: cpuMs.p50, unit: 'ms' },
  { name: 'image processing alone p50', figure: image.p50, unit: 'ms' },
  { name: 'baseline (stored as sent) p50', figure: base.p50, unit: 'ms' },
  { name: 'processed ÷ baseline p50', figure: round1(ratio), unit: '×' },
  { name: 'peak RSS', figure: peakEnd, unit: 'MB' },
  { name: `burst of ${burst}, all stored`, figure: Math.round(burstMs), unit: 'ms' },
  { name: `burst of ${burst}, CPU used`, figure: Math.round(burstCpuShare * 100) / 100, unit: 'cores' },
]
reportFigures('upload', figures)
