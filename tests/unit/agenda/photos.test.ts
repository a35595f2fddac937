import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanPhoto, stripJpeg, stripPng, sniffPhoto } from '../../../src/lib/server/agenda/photos.ts';
import { InvalidInput } from '../../../src/lib/server/errors.ts';

const seg = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
const ascii = (s: string) => [...new TextEncoder().encode(s)];

function crc32(bytes: Uint8Array): number {
	let c = ~0;
	for (const b of bytes) {
		c ^= b;
		for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
	}
	return ~c >>> 0;
}
function chunk(type: string, data: number[]): number[] {
	const body = Uint8Array.from([...ascii(type), ...data]);
	const crc = crc32(body);
	const len = data.length;
	return [len >>> 24, (len >> 16) & 255, (len >> 8) & 255, len & 255, ...body, crc >>> 24, (crc >> 16) & 255, (crc >> 8) & 255, crc & 255];
}

describe('JPEG metadata stripping', () => {
	const app0 = seg(0xe0, ascii('JFIF\0'));
	const exif = seg(0xe1, ascii('Exif\0\0GPS:31.19N,121.40E'));
	const xmp = seg(0xe1, ascii('http://ns.adobe.com/xap/1.0/ camera'));
	const com = seg(0xfe, ascii('taken by 13912345678'));
	const dqt = seg(0xdb, [0, 1, 2, 3]);
	const sos = seg(0xda, [1, 1, 0]);
	const scan = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56];

	it('drops APP1 (EXIF, XMP) and COM, keeps APP0, tables and the scan', () => {
		const input = Uint8Array.from([0xff, 0xd8, ...app0, ...exif, ...xmp, ...com, ...dqt, ...sos, ...scan, 0xff, 0xd9]);
		const out = stripJpeg(input);
		expect([...out]).toEqual([0xff, 0xd8, ...app0, ...dqt, ...sos, ...scan, 0xff, 0xd9]);
	});

	it('drops whatever follows the end of the image', () => {
		const input = Uint8Array.from([0xff, 0xd8, ...sos, ...scan, 0xff, 0xd9, ...ascii('trailing GPS')]);
		expect(Buffer.from(stripJpeg(input)).includes(Buffer.from('GPS'))).toBe(false);
	});

	it('refuses a truncated file', () => {
		expect(() => cleanPhoto(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0x10, 0x00, 1, 2]))).toThrow('照片文件损坏或不完整');
	});

	it('never leaves an APPn (n ≥ 1) or COM segment before the scan, whatever the input', () => {
		const segment = fc.oneof(
			fc.tuple(fc.integer({ min: 0xe0, max: 0xef }), fc.uint8Array({ maxLength: 20 })).map(([m, p]) => seg(m, [...p])),
			fc.uint8Array({ maxLength: 20 }).map((p) => seg(0xfe, [...p])),
			fc.uint8Array({ maxLength: 20 }).map((p) => seg(0xdb, [...p]))
		);
		fc.assert(
			fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
				const input = Uint8Array.from([0xff, 0xd8, ...segments.flat(), ...sos, ...scan, 0xff, 0xd9]);
				const out = stripJpeg(input);
				let i = 2;
				while (out[i + 1] !== 0xda) {
					const m = out[i + 1];
					expect((m >= 0xe1 && m <= 0xef) || m === 0xfe).toBe(false);
					i += 2 + ((out[i + 2] << 8) | out[i + 3]);
				}
			})
		);
	});
});

describe('PNG metadata stripping', () => {
	const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	const ihdr = chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
	const idat = chunk('IDAT', [1, 2, 3]);
	const iend = chunk('IEND', []);

	it('drops tEXt, iTXt, zTXt and eXIf, keeps the image chunks', () => {
		const input = Uint8Array.from([...sig, ...ihdr, ...chunk('tEXt', ascii('Author\0me')), ...chunk('eXIf', ascii('MM GPS')), ...chunk('iTXt', ascii('x')), ...chunk('zTXt', ascii('y')), ...idat, ...iend]);
		expect([...stripPng(input)]).toEqual([...sig, ...ihdr, ...idat, ...iend]);
	});

	it('recognises photos by their bytes, not their names', () => {
		expect(sniffPhoto(Uint8Array.from([...sig, ...ihdr]))).toBe('image/png');
		expect(sniffPhoto(Uint8Array.from(ascii('<svg/>')))).toBeNull();
		expect(() => cleanPhoto(Uint8Array.from(ascii('GIF89a')))).toThrow(InvalidInput);
	});

	it('refuses a photo over 5 MB', () => {
		const big = new Uint8Array(5 * 1024 * 1024 + 1);
		big.set(sig);
		expect(() => cleanPhoto(big)).toThrow('不能超过 5 MB');
	});
});
