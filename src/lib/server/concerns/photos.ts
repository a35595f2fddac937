/**
 * 随手拍 and follow-through photos. Phones send 2–8 MB JPEGs, often turned by an EXIF orientation
 * tag and carrying the GPS position of the sender's home. Every photo is decoded and re-encoded by
 * sharp (libvips): turned upright by its EXIF orientation, shrunk to at most 2560 px on the long
 * side, written as a fresh JPEG with no metadata at all (sharp keeps none unless asked), so no GPS,
 * camera serial, XMP or comment survives, whatever the file carried.
 *
 * The type is recognised by the file's bytes (never its name or the browser's content type), so
 * only the JPEG, PNG and WebP decoders ever see untrusted input; SVG and the rest are refused before.
 * sharp works in libuv's thread pool: the event loop stays free while a photo is processed.
 */
import sharp from 'sharp';
import { m } from '../../paraglide/messages.js';
import { InvalidInput } from '../errors.ts';

/** The limit the pages state (每张不超过 10 MB) and the server enforces. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS = 4;
/** Long side of a stored photo, in pixels. */
export const MAX_PHOTO_EDGE = 2560;
/**
 * Refuses decompression bombs: a few kilobytes of PNG can claim 50,000 × 50,000 pixels. 120
 * megapixels admits the largest phone cameras (108 MP) and nothing far beyond.
 */
export const MAX_PHOTO_PIXELS = 120_000_000;

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

export function sniffPhoto(bytes: Uint8Array): PhotoType | null {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'image/png';
	if (bytes.length >= 12 && ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
	return null;
}

sharp.cache(false); // each photo is processed once: libvips' operation cache would only hold memory

/** Checks and normalises one uploaded photo into an upright JPEG without metadata; refusals say what to do, in Chinese. */
export async function cleanPhoto(bytes: Uint8Array): Promise<{ contentType: 'image/jpeg'; bytes: Uint8Array }> {
	if (bytes.length === 0) throw new InvalidInput(m.concerns_photo_empty(), { photos: m.concerns_photo_empty_field() });
	if (bytes.length > MAX_PHOTO_BYTES) throw new InvalidInput(m.concerns_photo_big(), { photos: m.concerns_photo_big_field() });
	if (!sniffPhoto(bytes)) throw new InvalidInput(m.concerns_photo_format(), { photos: m.concerns_photo_format_field() });
	try {
		const jpeg = await sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'error' })
			.autoOrient()
			.resize({ width: MAX_PHOTO_EDGE, height: MAX_PHOTO_EDGE, fit: 'inside', withoutEnlargement: true })
			.flatten({ background: '#ffffff' })
			.jpeg({ quality: 85 })
			.toBuffer();
		return { contentType: 'image/jpeg', bytes: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.length) };
	} catch (e) {
		if (e instanceof Error && /pixel limit/i.test(e.message)) {
			throw new InvalidInput(m.concerns_photo_pixels(), { photos: m.concerns_photo_pixels_field() });
		}
		throw new InvalidInput(m.concerns_photo_broken(), { photos: m.concerns_photo_broken_field() });
	}
}

/** Cleans every photo of one form, one after another (each already uses libvips' threads). */
export async function cleanPhotos(photos: Uint8Array[]): Promise<{ contentType: 'image/jpeg'; bytes: Uint8Array }[]> {
	const cleaned = [];
	for (const p of photos) cleaned.push(await cleanPhoto(p));
	return cleaned;
}

/**
 * The refusal of a form's photos by their count and sizes alone, before any byte is read or decoded
 * (the route answers 413 with what was typed). Null when they may go on to `cleanPhoto`.
 */
export function photoLimitProblem(files: readonly { name: string; size: number }[]): string | null {
	if (files.length > MAX_PHOTOS) return m.concerns_photo_count({ max: MAX_PHOTOS, count: files.length });
	const big = files.find((f) => f.size > MAX_PHOTO_BYTES);
	if (big) return m.concerns_photo_size({ name: big.name, size: (big.size / 1024 / 1024).toFixed(1) });
	return null;
}

/** The request body was larger than the server takes at all (adapter-node's BODY_SIZE_LIMIT): nothing of it can be read. */
export function isBodyTooLarge(e: unknown): boolean {
	for (let at: unknown = e, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
		if ((at as { status?: number }).status === 413) return true;
	}
	return false;
}

/** The refusal of a post too large to read at all, in the reader's language. */
export const bodyTooLarge = (): string => m.concerns_body_too_large();
/** The same refusal in Chinese, for pages not yet translated. */
export const BODY_TOO_LARGE = m.concerns_body_too_large({}, { locale: 'zh-CN' });
