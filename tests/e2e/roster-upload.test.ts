/**
 * Roster uploads on the built server (issue #11, part 4): the XLSX is read in a worker thread, so
 * the worker file must have survived the build. A hostile XLSX gets the Chinese message naming the
 * limit, and the server keeps answering other people meanwhile.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl } from './browser.ts';
import { postAction } from './matrix/http.ts';
import { newAccount, newCompound, rosterOf } from './seed.ts';
import { sessionToken } from './session.ts';
import { streamedBomb } from '../fixtures/roster/hostile-xlsx.ts';

/** This file's compound and its 业委会 member, who uploads. */
let token: string;
let importPath: string;
beforeAll(async () => {
	const compound = await newCompound('清册上传小区', rosterOf(4, '清册上传'));
	const ywh = await newAccount('清册上传业委会', { grants: [{ role: 'owners_committee', scopeId: compound.id }] });
	token = await sessionToken(ywh);
	importPath = `/manage/compounds/${compound.id}/import`;
});

const upload = (bytes: Uint8Array, name: string) => {
	const form = new FormData();
	form.append(
		'file',
		new File([bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer], name, {
			type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		})
	);
	return form;
};

describe('XLSX roster upload on the built server', () => {
	it('reads a workbook in the worker thread and previews it', async () => {
		const xlsx = new Uint8Array(readFileSync(new URL('../fixtures/roster/roster.xlsx', import.meta.url)));
		const outcome = await postAction(importPath, 'preview', upload(xlsx, '清册.xlsx'), token);
		expect(outcome.kind, outcome.text).toBe('success');
		expect(outcome.text).toContain('xlsx');
	});

	it('refuses a decompression bomb with the limit named, while answering others', async () => {
		const bomb = streamedBomb(40);
		const refused = postAction(importPath, 'preview', upload(bomb, '清册.xlsx'), token);
		const started = performance.now();
		const other = await fetch(`${baseUrl()}/records`);
		const otherMs = performance.now() - started;
		const outcome = await refused;
		expect(other.status).toBe(200);
		expect(otherMs).toBeLessThan(2000);
		expect(outcome.kind).toBe('failure');
		expect(outcome.status).toBe(400);
		expect(outcome.text).toContain('表格解压后超过 50 MB，请只保留房屋清册一张工作表后重新导出');
	});
});
