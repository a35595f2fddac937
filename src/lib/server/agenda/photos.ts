/**
 * 随手拍: photos attached to a concern. We keep only JPEG and PNG, recognised by their bytes (never
 * by the file name or the browser's content type), and strip what may identify the sender: EXIF
 * (GPS, camera serial), XMP, comments and text chunks. A small segment filter of our own, so no
 * image library has to parse untrusted input.
 */
import { InvalidInput } from '../errors.ts';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS = 4;

export type PhotoType = 'image/jpeg' | 'image/png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffPhoto(bytes: Uint8Array): PhotoType | null {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'image/png';
	return null;
}

class Bad extends Error {}

/**
 * Copies a JPEG keeping every segment but APP1–APP15 (EXIF, XMP, ICC, maker notes…) and COM.
 * APP0 (JFIF) stays. Entropy-coded data after each SOS is copied as is; anything after EOI
 * (some phones append a second image or data there) is dropped.
 */
export function stripJpeg(input: Uint8Array): Uint8Array {
	const out: Uint8Array[] = [Uint8Array.of(0xff, 0xd8)];
	const n = input.length;
	let i = 2;
	for (;;) {
		if (i + 1 >= n) throw new Bad('truncated');
		if (input[i] !== 0xff) throw new Bad('not a marker');
		const marker = input[i + 1];
		if (marker === 0xff) {
			i++; // fill byte
			continue;
		}
		if (marker === 0xd9) {
			out.push(Uint8Array.of(0xff, 0xd9));
			break;
		}
		if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			out.push(input.subarray(i, i + 2));
			i += 2;
			continue;
		}
		if (i + 3 >= n) throw new Bad('truncated');
		const length = (input[i + 2] << 8) | input[i + 3];
		if (length < 2) throw new Bad('bad length');
		const end = i + 2 + length;
		if (end > n) throw new Bad('truncated');
		const metadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
		if (!metadata) out.push(input.subarray(i, end));
		i = end;
		if (marker === 0xda) {
			// Entropy-coded data: a 0xFF inside it is followed by 0x00 (stuffing) or RSTn.
			let j = i;
			while (j < n) {
				if (input[j] === 0xff && j + 1 < n) {
					const next = input[j + 1];
					if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
					j += 2;
					continue;
				}
				j++;
			}
			if (j >= n) throw new Bad('no end of image');
			out.push(input.subarray(i, j));
			i = j;
		}
	}
	return concat(out);
}

const PNG_DROP = new Set(['tEXt', 'iTXt', 'zTXt', 'eXIf']);

/** Copies a PNG without its text and EXIF chunks; stops at IEND. Chunks are copied whole, CRC included. */
export function stripPng(input: Uint8Array): Uint8Array {
	const out: Uint8Array[] = [input.subarray(0, 8)];
	let i = 8;
	let first = true;
	for (;;) {
		if (i + 12 > input.length) throw new Bad('truncated');
		const length = ((input[i] << 24) >>> 0) + (input[i + 1] << 16) + (input[i + 2] << 8) + input[i + 3];
		const type = String.fromCharCode(input[i + 4], input[i + 5], input[i + 6], input[i + 7]);
		const end = i + 12 + length;
		if (end > input.length) throw new Bad('truncated');
		if (first && type !== 'IHDR') throw new Bad('no header');
		first = false;
		if (!PNG_DROP.has(type)) out.push(input.subarray(i, end));
		i = end;
		if (type === 'IEND') break;
	}
	return concat(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
	const total = parts.reduce((s, p) => s + p.length, 0);
	const out = new Uint8Array(total);
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** Checks and cleans one uploaded photo; refusals say what to do, in Chinese. */
export function cleanPhoto(bytes: Uint8Array): { contentType: PhotoType; bytes: Uint8Array } {
	if (bytes.length === 0) throw new InvalidInput('照片是空的，请重新选择', { photos: '空文件' });
	if (bytes.length > MAX_PHOTO_BYTES) throw new InvalidInput('每张照片不能超过 5 MB，请压缩后再上传', { photos: '照片太大' });
	const type = sniffPhoto(bytes);
	if (!type) throw new InvalidInput('只能上传 JPG 或 PNG 照片', { photos: '格式不支持' });
	try {
		return { contentType: type, bytes: type === 'image/jpeg' ? stripJpeg(bytes) : stripPng(bytes) };
	} catch (e) {
		if (e instanceof Bad) throw new InvalidInput('照片文件损坏或不完整，请重新拍摄或选择', { photos: '文件损坏' });
		throw e;
	}
}
