import { describe, expect, it } from 'vitest';
import { PHOTO_LIMITS, photoProblem, sendFailedMessage } from '../../../src/lib/client/photos.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTO_EDGE, MAX_PHOTOS, isBodyTooLarge, photoLimitProblem } from '../../../src/lib/server/concerns/photos.ts';

const file = (name: string, size: number, type = 'image/jpeg') => new File([new Uint8Array(size)], name, { type });

describe('the limits the browser checks are the server’s', () => {
	it('states the same numbers', () => {
		expect(PHOTO_LIMITS).toMatchObject({ maxBytes: MAX_PHOTO_BYTES, maxCount: MAX_PHOTOS, maxEdge: MAX_PHOTO_EDGE });
	});

	it('accepts up to 4 photos of up to 10 MB each, in the browser and on the server', () => {
		const fine = [
			file('a.jpg', 10 * 1024 * 1024),
			file('b.png', 1, 'image/png'),
			file('c.webp', 1, 'image/webp'),
			file('d.jpg', 1, '')
		];
		expect(photoProblem(fine)).toBeNull();
		expect(photoLimitProblem(fine)).toBeNull();
	});

	it('refuses an 11 MB photo by name and size, saying what to do', () => {
		const big = [file('IMG_0011.jpg', 11 * 1024 * 1024)];
		expect(photoProblem(big)).toBe('「IMG_0011.jpg」有 11.0 MB，每张不能超过 10 MB。请换一张，或在手机相册里把它裁剪缩小后再选。');
		expect(photoLimitProblem(big)).toContain('「IMG_0011.jpg」有 11.0 MB，每张照片不能超过 10 MB');
		expect(photoLimitProblem(big)).toContain('重新选择照片');
	});

	it('refuses a fifth photo and a file that is not a photo', () => {
		const five = Array.from({ length: 5 }, (_, i) => file(`${i}.jpg`, 1));
		expect(photoProblem(five)).toContain('最多 4 张照片，您选了 5 张');
		expect(photoLimitProblem(five)).toContain('最多 4 张照片，您选了 5 张');
		expect(photoProblem([file('IMG_0001.HEIC', 1, 'image/heic')])).toContain('不是 JPG、PNG 或 WebP 照片');
	});

	it('recognises the body limit of the server and says the text is still there', () => {
		expect(
			isBodyTooLarge(new TypeError('Failed to parse', { cause: Object.assign(new Error('Payload Too Large'), { status: 413 }) }))
		).toBe(true);
		expect(isBodyTooLarge(new Error('socket hang up'))).toBe(false);
		expect(sendFailedMessage(413)).toContain('您写的内容还在');
		expect(sendFailedMessage(undefined)).toContain('您写的内容还在');
	});
});
