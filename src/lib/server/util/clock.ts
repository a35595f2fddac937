import { readFileSync } from 'node:fs';

/**
 * The one clock of the server. Unit and service tests replace `clock.now` with vi.spyOn.
 *
 * Browser tests run the real server in another process, where a spy cannot reach; for them, and
 * only when YISHI_TEST_CLOCK_FILE is set, the file holds an offset in milliseconds added to the
 * real time (so a test can let a voting window or a dispute window pass). Never set in production.
 */
const offsetFile = process.env.YISHI_TEST_CLOCK_FILE;

function testOffset(file: string): number {
	try {
		return Number(readFileSync(file, 'utf8').trim()) || 0;
	} catch {
		return 0;
	}
}

export const clock = {
	now: offsetFile ? (): number => Date.now() + testOffset(offsetFile) : (): number => Date.now()
};
