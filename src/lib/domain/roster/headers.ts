import { toHalfWidth } from './text.ts';
import type { AreaSource } from './types.ts';
import { m } from '../../paraglide/messages.js';

/**
 * Column headers as residents' Excel files have them. Headers are compared after cleaning:
 * half-width, no whitespace, no bracketed notes ("面积(㎡)" → "面积", "业主（多人用、分隔）" → "业主"),
 * no unit suffix, no required-field asterisk.
 */

export type AreaColumnKind = AreaSource | 'unspecified';

export interface RosterColumns {
	building: number;
	room: number;
	/** One column per kind at most. "unspecified" (建筑面积/面积) takes its source from 面积来源, default registered. */
	area: { index: number; kind: AreaColumnKind }[];
	areaSource?: number;
	status?: number;
	owners: number;
	idHint?: number;
	phone?: number;
	/** Header text as written, by column index, for problem messages. */
	labels: string[];
}

type Field = 'building' | 'room' | 'areaSource' | 'status' | 'owners' | 'idHint' | 'phone';

const FIELD_SYNONYMS: Record<Field, string[]> = {
	building: ['楼栋', '楼号', '幢', '幢号', '栋', '栋号', '楼栋号', '楼幢', '楼幢号', '楼'],
	room: ['室号', '房号', '门牌', '门牌号', '室', '房间号', '房屋号', '户号', '房间'],
	areaSource: ['面积来源', '面积类型', '面积依据', '来源'],
	status: ['状态', '房屋状态', '产权状态', '销售状态', '交付状态'],
	owners: ['业主', '业主姓名', '产权人', '产权人姓名', '权利人', '所有权人', '业主名称', '姓名'],
	idHint: ['业主编号', '证件后四位', '身份证后四位', '证件号后四位', '证件号码后四位', '身份证号后四位', '编号'],
	phone: ['联系电话', '手机', '手机号', '手机号码', '电话', '电话号码', '联系方式']
};

const AREA_SYNONYMS: Record<AreaColumnKind, string[]> = {
	registered: ['产权面积', '登记面积', '产证面积', '不动产登记面积'],
	unspecified: ['建筑面积', '面积', '专有部分面积', '专有面积', '房屋面积'],
	surveyed: ['实测面积', '测绘面积'],
	contract: ['合同面积', '预售面积', '预测面积']
};

/** How each required column is named in the "missing header" message. */
const REQUIRED_LABELS: { field: Field | 'area'; label: string; alternatives: string }[] = [
	{ field: 'building', label: '楼栋', alternatives: '楼号、幢' },
	{ field: 'room', label: '室号', alternatives: '房号、门牌' },
	{ field: 'area', label: '面积', alternatives: '产权面积、建筑面积、实测面积、合同面积' },
	{ field: 'owners', label: '业主', alternatives: '业主姓名、产权人' }
];

const LOOKUP = new Map<string, { field: Field } | { area: AreaColumnKind }>();
for (const [field, names] of Object.entries(FIELD_SYNONYMS)) for (const name of names) LOOKUP.set(name, { field: field as Field });
for (const [kind, names] of Object.entries(AREA_SYNONYMS)) for (const name of names) LOOKUP.set(name, { area: kind as AreaColumnKind });

export function cleanHeader(raw: string): string {
	return toHalfWidth(raw)
		.replace(/[\s\u3000\u00a0\ufeff]+/g, '')
		.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕/g, '')
		.replace(/[*:：]/g, '')
		.replace(/(㎡|m²|m2|平方米|平米)$/i, '')
		.toLowerCase();
}

export type HeaderMatch = { ok: true; headerIndex: number; columns: RosterColumns } | { ok: false; headerIndex: number; missing: string };

/** How many leading rows may hold a title ("爱建小区房屋清册") before the header. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Finds the header row (the first of the leading rows with the most recognised columns, so a title
 * row above it is fine) and maps columns. The first column wins when two mean the same thing.
 */
export function mapHeaders(rows: string[][]): HeaderMatch {
	let best = { index: 0, score: 0 };
	for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
		const score = new Set(
			rows[i]
				.map((cell) => LOOKUP.get(cleanHeader(cell)))
				.filter(Boolean)
				.map((m) => JSON.stringify(m))
		).size;
		if (score > best.score) best = { index: i, score };
	}
	const header = rows[best.index] ?? [];
	const found: Partial<Record<Field, number>> = {};
	const area: RosterColumns['area'] = [];
	header.forEach((cell, index) => {
		const match = LOOKUP.get(cleanHeader(cell));
		if (!match) return;
		if ('field' in match) {
			if (found[match.field] === undefined) found[match.field] = index;
		} else if (!area.some((column) => column.kind === match.area)) {
			area.push({ index, kind: match.area });
		}
	});
	const missing = REQUIRED_LABELS.filter(({ field }) => (field === 'area' ? area.length === 0 : found[field] === undefined));
	if (missing.length > 0) {
		const list = missing
			.map(({ label, alternatives }) => m.admin_rp_header_item({ label, alternatives }))
			.join(m.admin_rp_header_join());
		const which = missing.length === 1 ? m.admin_rp_header_one() : m.admin_rp_header_many();
		return { ok: false, headerIndex: best.index, missing: m.admin_rp_header_missing({ which, list }) };
	}
	return {
		ok: true,
		headerIndex: best.index,
		columns: {
			building: found.building!,
			room: found.room!,
			area,
			areaSource: found.areaSource,
			status: found.status,
			owners: found.owners!,
			idHint: found.idHint,
			phone: found.phone,
			labels: header.map((cell) => cell.trim())
		}
	};
}
