/**
 * 房屋清册 (unit roster) types. A roster is the list of 专有部分 (exclusive units) of one compound;
 * it is the electorate and the denominator of owners' decisions (DOMAIN.md §3).
 */

/** Where a unit's area came from; the legal order of preference is registered → surveyed → contract. */
export type AreaSource = 'registered' | 'surveyed' | 'contract';

/**
 * owned: delivered to a buyer. developer_unsold / sold_undelivered: all such units together
 * count as one person, the developer (SPC interpretation art. 9).
 */
export type UnitStatus = 'owned' | 'developer_unsold' | 'sold_undelivered';

export interface RosterOwner {
	name: string;
	/** 业主编号 or 证件后四位: tells apart two owners with the same name. */
	idHint?: string;
	phone?: string;
}

export interface RosterUnit {
	/** Normalised, e.g. "3号楼" (see normaliseBuilding). */
	building: string;
	room: string;
	/** Exclusive area in integer hundredths of ㎡ (89.50 ㎡ → 8950). Never a float. */
	areaHundredths: number;
	areaSource: AreaSource;
	status: UnitStatus;
	/** Co-owners in the order the file lists them; may be empty only for developer statuses. */
	owners: RosterOwner[];
	/** The spreadsheet row it came from (header is row 1), when imported. */
	sourceRow?: number;
}

export type RosterProblemKind =
	| 'empty_file'
	| 'missing_header'
	| 'empty_building'
	| 'unknown_building'
	| 'empty_room'
	| 'duplicate_room'
	| 'bad_area'
	| 'bad_area_source'
	| 'bad_status'
	| 'empty_owner'
	| 'owner_details_mismatch';

export interface RosterProblem {
	kind: RosterProblemKind;
	/** 1-based spreadsheet row (header = row 1 in the usual layout). */
	row: number;
	/** The header text of the offending column as written in the file, when there is one. */
	column?: string;
	/** Plain Chinese, starting with "第N行：", ready to show a resident. */
	message: string;
}

export interface RosterValidation {
	/** Rows without problems. Nothing is written anywhere until the import is confirmed. */
	units: RosterUnit[];
	problems: RosterProblem[];
	/** Data rows looked at (blank rows excluded). */
	rowCount: number;
	/** 1-based row of the header that was recognised, or null when none was. */
	headerRow: number | null;
}

export interface ValidateOptions {
	/** The compound's buildings; when given, any other building is a problem. Normalised before comparing. */
	knownBuildings?: string[];
}
