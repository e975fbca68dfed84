import { availableParallelism } from 'node:os'
import sharp from 'sharp'

// Images are decoded and written again with sharp (libvips): turned upright by their EXIF orientation,
// with every piece of metadata left behind (EXIF with GPS position and camera serials, XMP, IPTC,
// comments; colour is converted to sRGB), and, when larger than WEB_MAX_EDGE, a web-sized copy. The
// bytes a member sent are never served. Decoding is bounded: a pixel cap refuses decompression bombs
// (a tiny PNG that claims 50,000 × 50,000 pixels), a frame cap and a timeout bound animations, and at
// most IMAGE_WORKERS images are processed at once per process, each on one libvips thread, so uploads
// cannot take every core from page requests.

/** The longer side of the web-sized copy shown in posts; `?size=full` serves the whole image. */
export const WEB_MAX_EDGE = 1600

/** The most pixels an image may have (width × height × frames): 40 megapixels, more than any phone
 *  camera; a bomb that claims more is refused before it is decoded. */
export const MAX_INPUT_PIXELS = 40_000_000

/** Frames of an animated GIF or WebP beyond these are dropped. */
const MAX_FRAMES = 300

/** Images processed at once in this process: half the cores, at least one. */
export const IMAGE_WORKERS = Math.max(1, Math.floor(availableParallelism() / 2))

/** Images waiting for a turn beyond which a new one is refused as "busy". */
const MAX_WAITING = 32

// One libvips thread per image (the workers above bound the total) and no operation cache: a cache of
// decoded photos would only keep memory that the next upload does not reuse.
sharp.concurrency(1)
sharp.cache(false)

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif'

export type ProcessedImage = {
  /** The format written: the same as read, except AVIF, written as WebP (encoding AVIF is slow). */
  format: 'jpeg' | 'png' | 'gif' | 'webp'
  contentType: string
  width: number
  height: number
  data: Buffer
  /** The web-sized copy, or null when the image is no larger than WEB_MAX_EDGE. */
  web: Buffer | null
}

export type ImageRefusal = 'busy' | 'too_many_pixels' | 'unreadable'

export class ImageError extends Error {
  constructor(readonly reason: ImageRefusal) {
    super(reason)
    this.name = 'ImageError'
  }
}

let active = 0
const waiting: (() => void)[] = []

/** Runs `work` when one of the IMAGE_WORKERS turns is free; refuses at once when too many wait. */
async function withImageTurn<T>(work: () => Promise<T>): Promise<T> {
  if (active >= IMAGE_WORKERS) {
    if (waiting.length >= MAX_WAITING) throw new ImageError('busy')
    await new Promise<void>((resolve) => waiting.push(resolve))
  } else {
    active++
  }
  try {
    return await work()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else active--
  }
}

function isPixelLimit(error: unknown): boolean {
  return error instanceof Error && /pixel limit/i.test(error.message)
}

const contentTypes = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' } as const

function encode(image: sharp.Sharp, format: ProcessedImage['format']): Promise<Buffer> {
  switch (format) {
    case 'jpeg':
      // Baseline, not progressive: progressive encoding of a 12-megapixel photo takes twice as long.
      return image.jpeg({ quality: 85 }).toBuffer()
    case 'png':
      return image.png({ compressionLevel: 6 }).toBuffer()
    case 'gif':
      return image.gif().toBuffer()
    case 'webp':
      return image.webp({ quality: 85 }).toBuffer()
  }
}

/** Decodes an image of the sniffed format and writes it again without metadata, upright, with a
 *  web-sized copy when it is large. Throws ImageError when the image cannot be taken. */
export async function processImage(input: Uint8Array, sniffed: ImageFormat): Promise<ProcessedImage> {
  return withImageTurn(async () => {
    const still: sharp.SharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }
    let metadata: sharp.Metadata
    try {
      // The header only: size, orientation and the number of frames.
      metadata = await sharp(input, still).metadata()
    } catch (error) {
      throw new ImageError(isPixelLimit(error) ? 'too_many_pixels' : 'unreadable')
    }
    // The signature said one format; the decoder must agree (a JPEG header on PNG bytes is refused).
    const read = metadata.format === 'heif' ? 'avif' : metadata.format
    if (read !== sniffed) throw new ImageError('unreadable')
    const animated = (sniffed === 'gif' || sniffed === 'webp') && (metadata.pages ?? 1) > 1
    const frames = animated ? Math.min(metadata.pages ?? 1, MAX_FRAMES) : 1
    const frameHeight = metadata.pageHeight ?? metadata.height ?? 0
    if (!metadata.width || !frameHeight) throw new ImageError('unreadable')
    if (metadata.width * frameHeight * frames > MAX_INPUT_PIXELS) throw new ImageError('too_many_pixels')
    const options: sharp.SharpOptions = animated ? { ...still, animated: true, pages: frames } : still

    const format: ProcessedImage['format'] = sniffed === 'avif' ? 'webp' : sniffed
    try {
      // `rotate()` without an angle applies the EXIF orientation; no `withMetadata`/`keepExif`, so
      // nothing of the input's metadata is written. Each step runs after the other, so an image holds
      // one thread at a time.
      const upright =
        (metadata.orientation ?? 1) >= 5
          ? { width: frameHeight, height: metadata.width }
          : { width: metadata.width, height: frameHeight }
      const large = Math.max(upright.width, upright.height) > WEB_MAX_EDGE
      const fit = { width: WEB_MAX_EDGE, height: WEB_MAX_EDGE, fit: 'inside', withoutEnlargement: true } as const
      let source: () => sharp.Sharp
      if (frames === 1) {
        // A still image is decoded once, to 8-bit pixels kept in memory (36 MB for 12 megapixels),
        // and both copies are written from them: half the work of decoding it twice.
        const { data: pixels, info } = await sharp(input, options)
          .timeout({ seconds: 20 })
          .rotate()
          .raw({ depth: 'uchar' })
          .toBuffer({ resolveWithObject: true })
        const raw = { raw: { width: info.width, height: info.height, channels: info.channels } }
        source = () => sharp(pixels, raw).timeout({ seconds: 20 })
      } else {
        source = () => sharp(input, options).timeout({ seconds: 20 }).rotate()
      }
      const data = await encode(source(), format)
      const web = large ? await encode(source().resize(fit), format) : null
      return { format, contentType: contentTypes[format], ...upright, data, web }
    } catch (error) {
      if (isPixelLimit(error)) throw new ImageError('too_many_pixels')
      throw new ImageError('unreadable')
    }
  })
}
