import exifr from 'exifr'
import sharp from 'sharp'
import { expect, test } from 'vitest'
import { writeSetting } from '#app/lib/settings.server.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { db } from '#tests/db.ts'
import { findUpload, uploadBytes } from './read.server.ts'
import { UPLOAD_SETTINGS_KEY } from './settings.server.ts'
import { storeUpload } from './store.server.ts'
import { defaultUploadSettings, MB, type UploadSettings } from './types.ts'

/** A camera photo: noisy pixels, EXIF with the camera, the GPS position and an orientation. */
async function photo({ width = 2000, height = 1700, orientation = 1 } = {}) {
  const noise = Buffer.alloc(width * height * 3)
  for (let i = 0; i < noise.length; i += 97) noise[i] = (i * 31) & 0xff
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'GPS-1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '35/1 39/1 2910/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '139/1 44/1 4590/100',
      },
    })
    .toBuffer()
}

async function setSettings(change: Partial<UploadSettings>) {
  const staff = await insertStaff(db)
  await writeSetting(db, {
    key: UPLOAD_SETTINGS_KEY,
    value: { ...defaultUploadSettings, ...change },
    actorId: staff.id,
  })
}

test('a photo is stored upright, without GPS or camera metadata, with a web-sized copy', async () => {
  const user = await insertUser(db)
  const input = await photo({ orientation: 6 })
  expect(await exifr.gps(input)).toMatchObject({ latitude: expect.closeTo(35.658, 2) })

  const outcome = await storeUpload(db, { user, name: 'IMG_0001.JPG', bytes: input })
  expect(outcome).toMatchObject({
    ok: true,
    value: { kind: 'image', fileName: 'IMG_0001.jpg', width: 1700, height: 2000 },
  })
  if (!outcome.ok) return
  expect(outcome.value.markdown).toBe(`![IMG_0001](/uploads/${outcome.value.id}/IMG_0001.jpg)`)

  const upload = (await findUpload(db, outcome.value.id))!
  const full = (await uploadBytes(db, upload, { full: true }))!
  const web = (await uploadBytes(db, upload, { full: false }))!
  expect(full.contentType).toBe('image/jpeg')
  for (const served of [full, web]) {
    expect(await exifr.gps(served.bytes)).toBeUndefined()
    const tags = await exifr.parse(served.bytes, true)
    expect(tags?.Make).toBeUndefined()
    expect(tags?.Orientation).toBeUndefined()
  }
  expect(await sharp(full.bytes).metadata()).toMatchObject({ width: 1700, height: 2000 })
  expect(await sharp(web.bytes).metadata()).toMatchObject({ width: 1360, height: 1600 })
  expect(upload.byteSize).toBe(full.bytes.byteLength)
})

test('a small screenshot keeps its size and format and has no second copy', async () => {
  const user = await insertUser(db)
  const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#fafafa' } })
    .png()
    .toBuffer()
  const outcome = await storeUpload(db, { user, name: 'screenshot.png', bytes: png })
  expect(outcome).toMatchObject({
    ok: true,
    value: { kind: 'image', contentType: 'image/png', width: 300, height: 200 },
  })
  if (!outcome.ok) return
  expect(await findUpload(db, outcome.value.id)).toMatchObject({ hasWeb: false })
})

test('the type comes from the bytes: HTML is refused whatever its name, text named .png is a text file', async () => {
  const user = await insertUser(db)
  const html = new TextEncoder().encode('<!DOCTYPE html><html><script>alert(1)</script></html>')
  expect(await storeUpload(db, { user, name: 'cat.png', bytes: html })).toMatchObject({
    ok: false,
    status: 415,
    code: 'uploads.type_not_allowed',
  })
  const sneaky = new TextEncoder().encode('  <svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg"></svg>')
  expect(await storeUpload(db, { user, name: 'logo.png', bytes: sneaky })).toMatchObject({ ok: false, status: 415 })

  const text = await storeUpload(db, {
    user,
    name: 'error.png',
    bytes: new TextEncoder().encode('Error 42 at line 7\n'),
  })
  expect(text).toMatchObject({
    ok: true,
    value: { kind: 'file', fileName: 'error.png.txt', contentType: 'text/plain; charset=utf-8' },
  })
  if (text.ok) expect(text.value.markdown).toBe(`[error.png.txt](/uploads/${text.value.id}/error.png.txt)`)

  // A JPEG signature on bytes that are not a JPEG is not an image.
  const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)])
  expect(await storeUpload(db, { user, name: 'x.jpg', bytes: fake })).toMatchObject({
    ok: false,
    code: 'uploads.image_unreadable',
  })
  const pdf = await storeUpload(db, { user, name: 'Manual (v2).PDF', bytes: new TextEncoder().encode('%PDF-1.7\n…') })
  expect(pdf).toMatchObject({
    ok: true,
    value: { kind: 'file', fileName: 'Manual-v2.pdf', contentType: 'application/pdf' },
  })
})

test('an image bomb (a tiny file claiming 50 megapixels) is refused before it is decoded', async () => {
  const user = await insertUser(db)
  const bomb = await sharp({ create: { width: 10_000, height: 5_000, channels: 3, background: '#000' } })
    .png({ compressionLevel: 9 })
    .toBuffer()
  expect(bomb.byteLength).toBeLessThan(200_000)
  expect(await storeUpload(db, { user, name: 'bomb.png', bytes: bomb })).toMatchObject({
    ok: false,
    status: 413,
    code: 'uploads.too_many_pixels',
  })
})

test('the largest file, the allowed types, the quota and the hourly limit hold for members, not staff', async () => {
  await setSettings({ maxFileBytes: 1000, quotaBytes: 2500, perHour: 4, allowedTypes: ['png', 'text'] })
  const member = await insertUser(db)
  const bytes = (n: number, fill = 'a') => new TextEncoder().encode(fill.repeat(n))

  expect(await storeUpload(db, { user: member, name: 'big.txt', bytes: bytes(1001) })).toMatchObject({
    ok: false,
    status: 413,
    code: 'uploads.too_large',
    params: { size: '1 KB' },
  })
  expect(
    await storeUpload(db, { user: member, name: 'doc.pdf', bytes: new TextEncoder().encode('%PDF-1.4') }),
  ).toMatchObject({
    ok: false,
    code: 'uploads.type_not_allowed',
  })
  expect((await storeUpload(db, { user: member, name: 'a.txt', bytes: bytes(1000, 'a') })).ok).toBe(true)
  // The same bytes again (a form sent twice) are the same upload, and cost no quota.
  const again = await storeUpload(db, { user: member, name: 'a.txt', bytes: bytes(1000, 'a') })
  expect(again.ok).toBe(true)
  expect((await storeUpload(db, { user: member, name: 'b.txt', bytes: bytes(1000, 'b') })).ok).toBe(true)
  // The rate limit counted four (refused files count too); the quota refuses before it matters.
  const over = await storeUpload(db, { user: member, name: 'c.txt', bytes: bytes(1000, 'c') })
  expect(over).toMatchObject({ ok: false, status: 429, code: 'uploads.rate_limited' })

  const other = await insertUser(db)
  await storeUpload(db, { user: other, name: 'a.txt', bytes: bytes(1000, 'a') })
  await storeUpload(db, { user: other, name: 'b.txt', bytes: bytes(1000, 'b') })
  expect(await storeUpload(db, { user: other, name: 'c.txt', bytes: bytes(1000, 'c') })).toMatchObject({
    ok: false,
    status: 413,
    code: 'uploads.quota_exceeded',
  })

  const staff = await insertStaff(db)
  for (const fill of 'abcdef') {
    expect((await storeUpload(db, { user: staff, name: `${fill}.txt`, bytes: bytes(1000, fill) })).ok).toBe(true)
  }
  await setSettings({})
})

test('members confirm their address before uploading; an empty file is refused', async () => {
  const unconfirmed = await insertUser(db, { emailVerifiedAt: null })
  expect(await storeUpload(db, { user: unconfirmed, name: 'a.txt', bytes: new Uint8Array([65]) })).toMatchObject({
    ok: false,
    status: 403,
    code: 'uploads.verify_first',
  })
  const member = await insertUser(db)
  expect(await storeUpload(db, { user: member, name: 'a.txt', bytes: new Uint8Array() })).toMatchObject({
    ok: false,
    code: 'uploads.empty',
  })
  expect(MB).toBe(1_048_576)
})

test('rendered posts keep an upload’s image address and no other relative one', async () => {
  const { renderHtml } = await import('#app/lib/markdown-render.mjs')
  const id = 'AbCdEfGhIjKlMnOpQrStUv'
  const html = renderHtml(
    `![a](/uploads/${id}/a.png) ![b](/uploads/${id}/%E7%94%BB%E5%83%8F.png?size=full) ![c](/logout) ![d](/uploads/${id}/../../logout) ![e](/uploads/short/e.png)`,
  )
  expect(html).toContain(`src="/uploads/${id}/a.png"`)
  expect(html).toContain(`src="/uploads/${id}/%E7%94%BB%E5%83%8F.png?size=full"`)
  expect(html.match(/src=/g)).toHaveLength(2)
})
