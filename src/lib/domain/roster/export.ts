import { formatAreaHundredths } from './area.ts';
import { quoteCsvField } from './csv.ts';
import { defuseFormula } from './text.ts';
import type { AreaSource, RosterOwner, RosterUnit, UnitStatus } from './types.ts';

const SOURCE_WORDS: Record<AreaSource, string> = { registered: '登记', surveyed: '实测', contract: '合同' };
const STATUS_WORDS: Record<UnitStatus, string> = { owned: '已售', developer_unsold: '开发商未售', sold_undelivered: '已售未交付' };

export const ROSTER_CSV_HEADER = ['楼栋', '室号', '面积(㎡)', '面积来源', '状态', '业主', '证件后四位', '联系电话'];

/**
 * Writes units as a CSV that decodeRosterFile + validateRoster read back to the same units.
 * Starts with a BOM and uses CRLF so Excel opens it as UTF-8. Text cells that Excel would run as
 * a formula (= + - @ tab CR first) get a leading apostrophe; the reader removes it again. The area
 * is a number the app writes itself, so it is written as it is (a minus sign stays a minus sign).
 */
export function rosterToCsv(units: RosterUnit[], { bom = true }: { bom?: boolean } = {}): string {
	const lines = [ROSTER_CSV_HEADER.join(',')];
	for (const unit of units) {
		const cells = [
			defuseFormula(unit.building),
			defuseFormula(unit.room),
			formatAreaHundredths(unit.areaHundredths),
			SOURCE_WORDS[unit.areaSource],
			STATUS_WORDS[unit.status],
			defuseFormula(unit.owners.map((owner) => owner.name).join('、')),
			defuseFormula(detailCell(unit.owners, 'idHint')),
			defuseFormula(detailCell(unit.owners, 'phone'))
		];
		lines.push(cells.map(quoteCsvField).join(','));
	}
	return (bom ? '\ufeff' : '') + lines.join('\r\n') + '\r\n';
}

/** One value per co-owner, positions kept ("、1234" = second owner only), empty when nobody has one. */
function detailCell(owners: RosterOwner[], field: 'idHint' | 'phone'): string {
	return owners.some((owner) => owner[field]) ? owners.map((owner) => owner[field] ?? '').join('、') : '';
}
