import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { cleanPhoto, MAX_PHOTO_BYTES, sniffPhoto } from '../../../src/lib/server/concerns/photos.ts';
import { InvalidInput } from '../../../src/lib/server/errors.ts';
import { phonePhoto, redSide } from '../../fixtures/photos/phone-photo.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('photos are turned upright and lose every piece of metadata', () => {
	it('a sideways phone photo with GPS comes out upright, as a JPEG with no EXIF at all', async () => {
		const photo = await phonePhoto({ width: 640, height: 480 });
		const before = await sharp(photo).metadata();
		expect(before.orientation).toBe(6);
		expect(before.exif?.length).toBeGreaterThan(100);
		expect(await redSide(photo)).toMatchObject({ width: 640, height: 480, red: 'top' });

		const cleaned = await cleanPhoto(photo);
		expect(cleaned.contentType).toBe('image/jpeg');
		const after = await sharp(cleaned.bytes).metadata();
		expect(after.format).toBe('jpeg');
		expect(after.exif).toBeUndefined();
		expect(after.xmp).toBeUndefined();
		expect(after.icc).toBeUndefined();
		expect(after.orientation).toBeUndefined();
		expect(Buffer.from(cleaned.bytes).includes(Buffer.from('YishiPhone'))).toBe(false);
		expect(await redSide(cleaned.bytes)).toMatchObject({ width: 480, height: 640, red: 'right' });
	});

	it('shrinks a large photo to 2560 px on its long side', async () => {
		const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080' } })
			.jpeg()
			.toBuffer();
		const after = await sharp((await cleanPhoto(big)).bytes).metadata();
		expect([after.width, after.height]).toEqual([2560, 1920]);
	});

	it('re-encodes PNG (text chunks and all) and WebP as JPEG', async () => {
		const png = await sharp({ create: { width: 20, height: 10, channels: 4, background: '#ff000080' } })
			.png()
			.withMetadata({ orientation: 1 })
			.withExif({ IFD0: { Copyright: '13912345678' } })
			.toBuffer();
		const webp = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#00ff00' } })
			.webp()
			.toBuffer();
		for (const input of [png, webp]) {
			const cleaned = await cleanPhoto(input);
			expect((await sharp(cleaned.bytes).metadata()).format).toBe('jpeg');
			expect(Buffer.from(cleaned.bytes).includes(Buffer.from('13912345678'))).toBe(false);
		}
	});
});

describe('photos that are refused, with a message in Chinese', () => {
	it('recognises photos by their bytes, not their names', () => {
		expect(sniffPhoto(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
		expect(sniffPhoto(ascii('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
		expect(sniffPhoto(ascii('<svg/>'))).toBeNull();
	});

	it('refuses SVG and GIF before any decoder sees them', async () => {
		await expect(cleanPhoto(ascii('<svg onload=alert(1)>'))).rejects.toThrow('只能上传 JPG、PNG 或 WebP 照片');
		await expect(cleanPhoto(ascii('GIF89a'))).rejects.toBeInstanceOf(InvalidInput);
	});

	it('refuses a truncated file', async () => {
		await expect(cleanPhoto(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0x10, 0x00, 1, 2]))).rejects.toThrow('照片文件损坏或不完整');
	});

	it('refuses a photo over 10 MB', async () => {
		const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
		big.set([0xff, 0xd8, 0xff]);
		await expect(cleanPhoto(big)).rejects.toThrow('不能超过 10 MB');
	});

	it('refuses a decompression bomb: a small PNG that claims 200 million pixels', async () => {
		const chunk = (type: string, data: Buffer) => {
			const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
			const out = Buffer.alloc(body.length + 8);
			out.writeUInt32BE(data.length, 0);
			body.copy(out, 4);
			out.writeUInt32BE(crc32(body), body.length + 4);
			return out;
		};
		const header = Buffer.alloc(13);
		header.writeUInt32BE(20_000, 0);
		header.writeUInt32BE(10_000, 4);
		header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
		const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		const bomb = Buffer.concat([
			signature,
			chunk('IHDR', header),
			chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00])),
			chunk('IEND', Buffer.alloc(0))
		]);
		await expect(cleanPhoto(bomb)).rejects.toThrow('照片像素太多');
	});
});
