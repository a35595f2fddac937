import { MAX_AREA_HUNDREDTHS, parseAreaHundredths, type AreaParse } from './area.ts';
import { normaliseBuilding, normaliseRoom } from './building.ts';
import { mapHeaders, type AreaColumnKind, type RosterColumns } from './headers.ts';
import { stripFormulaGuard, toHalfWidth, trimCell } from './text.ts';
import { m } from '../../paraglide/messages.js';
import { getLocale, type Locale } from '../../paraglide/runtime.js';

/** The reader's language, read once per file (not per row: a 20,000-row file stays fast). */
type InLocale = { locale: Locale };
import type {
	AreaSource,
	RosterOwner,
	RosterProblem,
	RosterProblemKind,
	RosterUnit,
	RosterValidation,
	UnitStatus,
	ValidateOptions
} from './types.ts';

/**
 * Checks every row of a decoded roster and reports every problem in plain Chinese, so the preview
 * can show them all at once. Pure and O(n): one pass, one Map for duplicates. Nothing is stored
 * here; the caller writes a new roster version only after the user confirms.
 */
export function validateRoster(rows: string[][], options: ValidateOptions = {}): RosterValidation {
	const run = startValidation(rows, options);
	if ('done' in run) return run.done;
	for (let i = run.firstDataIndex; i < rows.length; i++) run.checkRow(rows[i], i + 1);
	return run.finish();
}

export interface ChunkOptions {
	/** Rows per slice between yields; 500 keeps a 20,000-row import responsive without slowing it much. */
	chunkSize?: number;
	signal?: AbortSignal;
}

/**
 * Same result as validateRoster, but yields to the event loop between chunks and reports
 * progress (data rows done, data rows total), so the browser can paint a progress bar.
 */
export async function validateRosterInChunks(
	rows: string[][],
	options: ValidateOptions = {},
	onProgress?: (done: number, total: number) => void,
	{ chunkSize = 500, signal }: ChunkOptions = {}
): Promise<RosterValidation> {
	const run = startValidation(rows, options);
	if ('done' in run) {
		onProgress?.(0, 0);
		return run.done;
	}
	const total = rows.length - run.firstDataIndex;
	onProgress?.(0, total);
	for (let start = run.firstDataIndex; start < rows.length; start += chunkSize) {
		signal?.throwIfAborted();
		const end = Math.min(rows.length, start + chunkSize);
		for (let i = start; i < end; i++) run.checkRow(rows[i], i + 1);
		onProgress?.(end - run.firstDataIndex, total);
		if (end < rows.length) await new Promise<void>((resolve) => setTimeout(resolve, 0));
	}
	return run.finish();
}

const STATUS_WORDS: Record<string, UnitStatus> = {};
for (const word of ['已售', '自有', '自住', '已交付', '已售已交付', '正常', '出租', '已出租', '空置', '私有', 'owned'])
	STATUS_WORDS[word] = 'owned';
for (const word of ['开发商未售', '未售', '未出售', '开发商', 'developer_unsold']) STATUS_WORDS[word] = 'developer_unsold';
for (const word of ['已售未交付', '未交付', '已售未交房', '未交房', 'sold_undelivered']) STATUS_WORDS[word] = 'sold_undelivered';

const SOURCE_WORDS: Record<string, AreaSource> = {};
for (const word of ['登记', '登记面积', '产权', '产权面积', '产证', '不动产登记', 'registered']) SOURCE_WORDS[word] = 'registered';
for (const word of ['实测', '实测面积', '测绘', '测绘面积', 'surveyed']) SOURCE_WORDS[word] = 'surveyed';
for (const word of ['合同', '合同面积', '预售', '预测', '预测面积', 'contract']) SOURCE_WORDS[word] = 'contract';

/** Co-owners in one cell: 张三、李四 / 张三，李四 / 张三;李四 / 张三/李四. */
const OWNER_SEPARATOR = /[、，,;；/／\n]/;

export function splitOwnerNames(cell: string): string[] {
	return cell
		.split(OWNER_SEPARATOR)
		.map(trimCell)
		.filter((name) => name !== '');
}

function word(cell: string): string {
	return toHalfWidth(cell)
		.replace(/[\s\u3000]+/g, '')
		.toLowerCase();
}

type Run =
	| { done: RosterValidation }
	| { firstDataIndex: number; checkRow: (cells: string[], row: number) => void; finish: () => RosterValidation };

function startValidation(rows: string[][], options: ValidateOptions): Run {
	const nonBlank = rows.findIndex((row) => !isBlank(row));
	if (nonBlank === -1) {
		return {
			done: {
				units: [],
				problems: [{ kind: 'empty_file', row: 1, message: m.admin_rp_empty_file() }],
				rowCount: 0,
				headerRow: null
			}
		};
	}
	const header = mapHeaders(rows);
	if (!header.ok) {
		const row = header.headerIndex + 1;
		return {
			done: {
				units: [],
				problems: [{ kind: 'missing_header', row, message: m.admin_rp_row({ row, text: header.missing }) }],
				rowCount: 0,
				headerRow: null
			}
		};
	}
	const columns = header.columns;
	const known = options.knownBuildings ? new Set(options.knownBuildings.map(normaliseBuilding)) : null;
	const firstRowOfUnit = new Map<string, number>();
	const units: RosterUnit[] = [];
	const problems: RosterProblem[] = [];
	let rowCount = 0;
	const o: InLocale = { locale: getLocale() };

	function checkRow(raw: string[], row: number): void {
		if (isBlank(raw)) return;
		rowCount++;
		const cell = (index: number | undefined): string => (index === undefined ? '' : trimCell(stripFormulaGuard(raw[index] ?? '')));
		const before = problems.length;
		const report = (kind: RosterProblemKind, column: number | undefined, text: string): void => {
			const message = m.admin_rp_row({ row, text }, o);
			problems.push({ kind, row, column: column === undefined ? undefined : columns.labels[column], message });
		};

		const buildingText = cell(columns.building);
		const building = normaliseBuilding(buildingText);
		if (building === '') report('empty_building', columns.building, m.admin_rp_empty_building({}, o));
		else if (known && !known.has(building)) report('unknown_building', columns.building, m.admin_rp_unknown_building({ building }, o));

		const room = normaliseRoom(cell(columns.room));
		if (room === '') report('empty_room', columns.room, m.admin_rp_empty_room({}, o));

		if (building !== '' && room !== '') {
			const key = unitKeyOf(building, room);
			const first = firstRowOfUnit.get(key);
			if (first === undefined) firstRowOfUnit.set(key, row);
			else report('duplicate_room', columns.room, m.admin_rp_duplicate_room({ building, room, first }, o));
		}

		const area = readArea(columns, cell, report, o);

		let status: UnitStatus = 'owned';
		let statusKnown = true;
		const statusText = cell(columns.status);
		if (statusText !== '') {
			const parsed = STATUS_WORDS[word(statusText)];
			if (parsed) {
				status = parsed;
			} else {
				statusKnown = false;
				report('bad_status', columns.status, m.admin_rp_bad_status({ text: statusText }, o));
			}
		}

		const names = splitOwnerNames(cell(columns.owners));
		// The developer's units may be listed without a name: the developer is their owner.
		if (names.length === 0 && status === 'owned' && statusKnown) {
			report('empty_owner', columns.owners, m.admin_rp_empty_owner({}, o));
		}
		const owners: RosterOwner[] = names.map((name) => ({ name }));
		attachDetails(owners, 'idHint', columns.idHint, cell(columns.idHint), report, o);
		attachDetails(owners, 'phone', columns.phone, cell(columns.phone), report, o);

		if (problems.length === before && area) {
			units.push({ building, room, areaHundredths: area.hundredths, areaSource: area.source, status, owners, sourceRow: row });
		}
	}

	return {
		firstDataIndex: header.headerIndex + 1,
		checkRow,
		finish: () => ({ units, problems, rowCount, headerRow: header.headerIndex + 1 })
	};
}

function readArea(
	columns: RosterColumns,
	cell: (index: number | undefined) => string,
	report: (kind: RosterProblemKind, column: number | undefined, text: string) => void,
	o: InLocale
): { hundredths: number; source: AreaSource } | null {
	const columnOf = (kind: AreaColumnKind) => columns.area.find((column) => column.kind === kind);
	const sourceText = cell(columns.areaSource);
	let stated: AreaSource | undefined;
	if (sourceText !== '') {
		stated = SOURCE_WORDS[word(sourceText)];
		if (!stated) {
			report('bad_area_source', columns.areaSource, m.admin_rp_bad_area_source({ text: sourceText }, o));
			return null;
		}
	}
	// Without a stated source, the legal order applies: registered, else surveyed, else contract (SPC art. 8).
	const candidates = stated
		? [columnOf(stated), columnOf('unspecified'), columns.area.length === 1 ? columns.area[0] : undefined]
		: (['registered', 'unspecified', 'surveyed', 'contract'] as const).map(columnOf);
	const chosen = candidates.find((column) => column !== undefined && cell(column.index) !== '');
	if (!chosen) {
		report('bad_area', columns.area[0].index, m.admin_rp_no_area({}, o));
		return null;
	}
	const text = cell(chosen.index);
	const parsed = parseAreaHundredths(text);
	if (!parsed.ok) {
		report('bad_area', chosen.index, areaMessage(text, parsed, o));
		return null;
	}
	const source = stated ?? (chosen.kind === 'unspecified' ? 'registered' : chosen.kind);
	return { hundredths: parsed.hundredths, source };
}

function areaMessage(text: string, parsed: Extract<AreaParse, { ok: false }>, o: InLocale): string {
	switch (parsed.reason) {
		case 'empty':
			return m.admin_rp_no_area({}, o);
		case 'not_a_number':
			return m.admin_rp_area_not_number({ text }, o);
		case 'negative':
			return m.admin_rp_area_negative({ text }, o);
		case 'zero':
			return m.admin_rp_area_zero({ text }, o);
		case 'too_many_decimals':
			return m.admin_rp_area_decimals({ text }, o);
		case 'too_large':
			return m.admin_rp_area_too_large({ text, max: MAX_AREA_HUNDREDTHS / 100 }, o);
	}
}

/**
 * 证件后四位 / 联系电话 for co-owners: one value per owner in the same order and with the same
 * separators as the names; a single value belongs to the first owner (the usual contact).
 */
function attachDetails(
	owners: RosterOwner[],
	field: 'idHint' | 'phone',
	column: number | undefined,
	text: string,
	report: (kind: RosterProblemKind, column: number | undefined, text: string) => void,
	o: InLocale
): void {
	if (text === '' || owners.length === 0) return;
	const parts = text.split(OWNER_SEPARATOR).map(trimCell);
	const filled = parts.filter((part) => part !== '');
	if (filled.length === 0) return;
	if (parts.length === owners.length) {
		parts.forEach((part, i) => {
			if (part !== '') owners[i][field] = part;
		});
	} else if (filled.length === 1) {
		owners[0][field] = filled[0];
	} else {
		const label = field === 'idHint' ? m.admin_rp_label_id({}, o) : m.admin_rp_label_phone({}, o);
		report('owner_details_mismatch', column, m.admin_rp_details_mismatch({ owners: owners.length, label, filled: filled.length }, o));
	}
}

function isBlank(row: string[] | undefined): boolean {
	return !row || row.every((cell) => trimCell(cell ?? '') === '');
}

/** The identity of a unit within a compound: building + room, both normalised. */
export function unitKeyOf(building: string, room: string): string {
	return `${building}\u0000${room}`;
}

export function unitKey(unit: Pick<RosterUnit, 'building' | 'room'>): string {
	return unitKeyOf(unit.building, unit.room);
}
