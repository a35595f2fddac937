import { describe, expect, it } from 'vitest';
import type { ActionResult } from '@sveltejs/kit';
import { sendFailedMessage, sendWithPhotos } from '../../../src/lib/client/photos.ts';

const file = (name: string) => new File([new Uint8Array(3)], name, { type: 'image/jpeg' });

/** A form post as enhance starts it, and what the page saw of it. */
function post(ready: File[] | null) {
	const seen = { busy: [] as boolean[], failed: [] as (string | null)[], answered: [] as string[], cancelled: false, updates: 0 };
	const formData = new FormData();
	formData.append('title', '路灯坏了');
	formData.append('photos', file('original.jpg'));
	const submit = sendWithPhotos({
		photos: () => ({ photosToSend: async () => ready }),
		setBusy: (busy) => void seen.busy.push(busy),
		setFailed: (message) => void seen.failed.push(message),
		answered: async ({ result, update }) => {
			seen.answered.push(result.type);
			await update();
		}
	});
	const start = () =>
		submit({
			formData,
			cancel: () => (seen.cancelled = true),
			action: new URL('http://localhost/concerns/new'),
			formElement: {} as HTMLFormElement,
			controller: new AbortController(),
			submitter: null
		});
	const answer = async (result: ActionResult) => {
		const after = await start();
		if (!after) throw new Error('the post was not sent');
		await after({
			result,
			update: async () => void seen.updates++,
			formData,
			action: new URL('http://localhost/concerns/new'),
			formElement: {} as HTMLFormElement
		});
	};
	return { seen, formData, start, answer };
}

describe('sendWithPhotos', () => {
	it('sends the photos as the field shrank them, in place of the chosen ones, and hands the answer to the page', async () => {
		const p = post([file('a-small.jpg'), file('b-small.jpg')]);
		await p.answer({ type: 'success', status: 200 });
		expect(p.formData.getAll('photos').map((f) => (f as File).name)).toEqual(['a-small.jpg', 'b-small.jpg']);
		expect(p.formData.get('title')).toBe('路灯坏了');
		expect(p.seen).toMatchObject({ busy: [true, false], failed: [null], answered: ['success'], cancelled: false, updates: 1 });
	});

	it('sends nothing while the photo field has a problem, and is no longer busy', async () => {
		const p = post(null);
		expect(await p.start()).toBeUndefined();
		expect(p.seen).toMatchObject({ busy: [true, false], cancelled: true, answered: [] });
	});

	it('keeps the page on a refusal of the whole post, with the message that says what to do', async () => {
		const p = post([file('a.jpg')]);
		await p.answer({ type: 'error', status: 413, error: new Error('too large') });
		expect(p.seen).toMatchObject({ busy: [true, false], failed: [null, sendFailedMessage(413)], answered: [], updates: 0 });
		const lost = post([file('a.jpg')]);
		await lost.answer({ type: 'error', error: new Error('offline') });
		expect(lost.seen.failed).toEqual([null, sendFailedMessage(undefined)]);
	});
});
