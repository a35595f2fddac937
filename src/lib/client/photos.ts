/**
 * Photos in the browser, before they are sent. Phones take 2–8 MB photos, often stored sideways
 * with an EXIF orientation and the GPS position of the sender. Where the browser can decode a photo
 * we draw it upright on a canvas no larger than 2560 px on its long side and send that as a JPEG:
 * a tenth of the bytes over a slow mobile connection, and no metadata leaves the phone. The server
 * normalises every photo again (src/lib/server/concerns/photos.ts); this only saves time and data.
 */

/** The same limits as the server's (MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_PHOTO_EDGE in $lib/server/concerns/photos). */
export const PHOTO_LIMITS = { maxBytes: 10 * 1024 * 1024, maxCount: 4, maxEdge: 2560, quality: 0.85 } as const;

import type { SubmitFunction } from '@sveltejs/kit';
import { m } from '../paraglide/messages.js';

const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];

export function formatMegabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What is wrong with the chosen files, in words a resident understands; null when they may be sent. */
export function photoProblem(files: readonly File[]): string | null {
	if (files.length > PHOTO_LIMITS.maxCount) return m.photo_too_many({ max: PHOTO_LIMITS.maxCount, count: files.length });
	for (const f of files) {
		// Some Android WebViews give no type at all: the server recognises the file by its bytes.
		if (f.type && !ACCEPTED.includes(f.type)) return m.photo_wrong_type({ name: f.name });
		if (f.size > PHOTO_LIMITS.maxBytes) {
			return m.photo_too_large({ name: f.name, size: formatMegabytes(f.size) });
		}
	}
	return null;
}

type Drawable = ImageBitmap | HTMLImageElement;

/**
 * Decodes upright. `imageOrientation: 'from-image'` is refused (TypeError) by engines that predate
 * it; an <img> then does the same work, since Chrome 81 and iOS 13.4 honour EXIF orientation there.
 */
async function decodeUpright(file: File): Promise<Drawable> {
	if (typeof createImageBitmap === 'function') {
		try {
			return await createImageBitmap(file, { imageOrientation: 'from-image' });
		} catch {
			// fall through to <img>
		}
	}
	const url = URL.createObjectURL(file);
	try {
		const img = new Image();
		img.src = url;
		await img.decode();
		return img;
	} finally {
		URL.revokeObjectURL(url);
	}
}

/** One photo redrawn upright, at most 2560 px, as a JPEG without metadata; the original file if the browser cannot. */
export async function shrinkPhoto(file: File): Promise<File> {
	try {
		const image = await decodeUpright(file);
		const width = image instanceof HTMLImageElement ? image.naturalWidth : image.width;
		const height = image instanceof HTMLImageElement ? image.naturalHeight : image.height;
		if (!width || !height) return file;
		const scale = Math.min(1, PHOTO_LIMITS.maxEdge / Math.max(width, height));
		const canvas = document.createElement('canvas');
		canvas.width = Math.max(1, Math.round(width * scale));
		canvas.height = Math.max(1, Math.round(height * scale));
		const context = canvas.getContext('2d');
		if (!context) return file;
		context.fillStyle = '#ffffff'; // a transparent PNG would turn black in a JPEG
		context.fillRect(0, 0, canvas.width, canvas.height);
		context.drawImage(image, 0, 0, canvas.width, canvas.height);
		if ('close' in image) image.close();
		const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_LIMITS.quality));
		canvas.width = canvas.height = 0; // iOS keeps canvas memory until told
		if (!blob || blob.size === 0) return file;
		return new File([blob], file.name.replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg', lastModified: file.lastModified });
	} catch {
		return file;
	}
}

/** Shrinks the photos one at a time (a phone has little memory for several decoded photos at once). */
export async function shrinkPhotos(files: readonly File[]): Promise<File[]> {
	const out: File[] = [];
	for (const f of files) out.push(await shrinkPhoto(f));
	return out;
}

/** The message for a post the server refused as a whole (the body limit) or that never arrived. */
export function sendFailedMessage(status: number | undefined): string {
	if (status === 413) return m.photo_send_too_large();
	return m.photo_send_failed();
}

/** What a form with photos hands over to the page once the server has answered (anything but a refused post). */
type PhotoFormAnswer = Parameters<Exclude<Awaited<ReturnType<SubmitFunction>>, void>>[0];

/**
 * `use:enhance` for a form with a PhotoInput: the photos go as the field shrank them (nothing is sent while the
 * field has a problem; it shows it), `setBusy` reports the post in flight, and a refusal of the whole post (the
 * server's body limit, a lost connection) keeps the page and everything typed: `setFailed` gets the message that
 * says what to do (null when a new post starts). `answered` takes every other answer.
 */
export function sendWithPhotos(options: {
	photos: () => { photosToSend(): Promise<File[] | null> };
	setBusy: (busy: boolean) => void;
	setFailed: (message: string | null) => void;
	answered: (answer: PhotoFormAnswer) => Promise<void>;
}): SubmitFunction {
	return async ({ formData, cancel }) => {
		options.setFailed(null);
		options.setBusy(true);
		const files = await options.photos().photosToSend();
		if (!files) {
			options.setBusy(false);
			cancel();
			return;
		}
		formData.delete('photos');
		for (const f of files) formData.append('photos', f, f.name);
		return async (answer) => {
			options.setBusy(false);
			if (answer.result.type === 'error') {
				options.setFailed(sendFailedMessage(answer.result.status));
				return;
			}
			await options.answered(answer);
		};
	};
}
