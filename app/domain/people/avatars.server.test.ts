import { crc32 } from 'node:zlib'
import exifr from 'exifr'
import sharp from 'sharp'
import { expect, test } from 'vitest'
import { AVATAR_MAX_BYTES, processAvatar, sniffImageType } from './avatars.server.ts'

/** A phone photo as cameras write it: a JPEG stored sideways with EXIF orientation 6 (turn a quarter
 *  clockwise to show), the place it was taken (GPS) and the camera in its metadata. Stored, its top
 *  half is white and its bottom half black: shown upright, white is on the right, black on the left. */
async function phonePhoto(width = 600, height = 400) {
  return sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite([
      { input: { create: { width, height: height / 2, channels: 3, background: '#ffffff' } }, top: 0, left: 0 },
    ])
    .jpeg()
    .withExif({
      IFD0: { Make: 'Phonemaker', Model: 'Phone 12', Copyright: 'Alice' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '35/1 40/1 12/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '139/1 45/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer()
}

/** The chunk names of a RIFF (WebP) file: VP8/VP8L/VP8X hold pixels, EXIF/XMP/ICCP metadata. */
function riffChunks(bytes: Buffer): string[] {
  const names: string[] = []
  for (let at = 12; at + 8 <= bytes.length; ) {
    names.push(bytes.toString('latin1', at, at + 4))
    const size = bytes.readUInt32LE(at + 4)
    at += 8 + size + (size % 2)
  }
  return names
}

test('a phone photo becomes a 256 px square WebP, upright, with its GPS position and camera gone', async () => {
  const photo = await phonePhoto()
  expect(await exifr.gps(photo)).toMatchObject({ latitude: expect.closeTo(35.67, 2) })
  expect(await exifr.orientation(photo)).toBe(6)

  const outcome = await processAvatar(photo)
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  const { image, contentType } = outcome.value
  expect(contentType).toBe('image/webp')
  const metadata = await sharp(image).metadata()
  expect(metadata).toMatchObject({ format: 'webp', width: 256, height: 256 })
  expect(metadata.exif).toBeUndefined()
  expect(metadata.xmp).toBeUndefined()
  expect(metadata.icc).toBeUndefined()
  expect(metadata.orientation).toBeUndefined()
  expect(riffChunks(image).filter((name) => !/^VP8[ LX]$/.test(name))).toEqual([])
  // Nothing exifr can read is left, in the image or anywhere in its bytes.
  expect(await exifr.parse(image).catch(() => undefined)).toBeUndefined()
  expect(image.includes(Buffer.from('Phonemaker'))).toBe(false)

  const pixels = await sharp(image).raw().toBuffer({ resolveWithObject: true })
  const grey = (x: number, y: number) => pixels.data[(y * pixels.info.width + x) * pixels.info.channels]!
  expect(grey(40, 128)).toBeLessThan(40)
  expect(grey(215, 128)).toBeGreaterThan(215)
})

test('the square is cut from the middle', async () => {
  // A wide image, red on the left and right thirds and green in the middle: the square keeps green.
  const third = 200
  const wide = await sharp({ create: { width: third * 3, height: third, channels: 3, background: '#ff0000' } })
    .composite([
      {
        input: { create: { width: third, height: third, channels: 3, background: '#00ff00' } },
        left: third,
        top: 0,
      },
    ])
    .png()
    .toBuffer()
  const outcome = await processAvatar(wide)
  if (!outcome.ok) throw new Error(outcome.code)
  const { data, info } = await sharp(outcome.value.image).raw().toBuffer({ resolveWithObject: true })
  for (const x of [12, 128, 243]) {
    const i = (128 * info.width + x) * info.channels
    const [red, green] = [data[i]!, data[i + 1]!]
    expect([red < 60, green > 200], JSON.stringify({ x, red, green })).toEqual([true, true])
  }
})

test('every accepted type is read from its bytes: PNG, GIF, WebP, AVIF', async () => {
  const base = sharp({ create: { width: 50, height: 80, channels: 4, background: '#123456' } })
  for (const encode of [base.clone().png(), base.clone().gif(), base.clone().webp(), base.clone().avif()]) {
    const bytes = await encode.toBuffer()
    const outcome = await processAvatar(bytes)
    expect(outcome, String(sniffImageType(bytes))).toMatchObject({ ok: true })
  }
})

test('an HTML page named .png, an SVG and random bytes are refused before any decoder sees them', async () => {
  const html = Buffer.from('<!doctype html><html><script>alert(1)</script></html>')
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>x</script></svg>')
  for (const bytes of [html, svg, Buffer.alloc(64, 7), Buffer.alloc(0)]) {
    expect(await processAvatar(bytes)).toMatchObject({
      ok: false,
      status: 400,
      code: 'people.avatar.not_image',
      field: 'avatar',
    })
  }
})

test('a file that starts like a PNG but is not one is unreadable, not a crash', async () => {
  const fake = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(200, 1)])
  expect(await processAvatar(fake)).toMatchObject({ ok: false, code: 'people.avatar.unreadable' })
})

test('a small file declaring a huge image (a decompression bomb) is refused without decoding it', async () => {
  // A real 1 × 1 PNG whose header is rewritten to say 30,000 × 30,000 (900 megapixels).
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000000' } })
    .png()
    .toBuffer()
  const bomb = Buffer.from(png)
  bomb.writeUInt32BE(30_000, 16)
  bomb.writeUInt32BE(30_000, 20)
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)) >>> 0, 29)
  expect(bomb.length).toBeLessThan(1000)
  const started = Date.now()
  expect(await processAvatar(bomb)).toMatchObject({ ok: false, code: 'people.avatar.too_many_pixels' })
  expect(Date.now() - started).toBeLessThan(1000)
})

test('a file over the byte cap is refused before it is read', async () => {
  const big = Buffer.alloc(AVATAR_MAX_BYTES + 1, 0xff)
  expect(await processAvatar(big)).toMatchObject({ ok: false, code: 'people.avatar.too_large', params: { mb: 5 } })
})
