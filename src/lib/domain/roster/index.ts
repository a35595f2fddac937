/**
 * 房屋清册 import core: decode an uploaded file, map its headers, validate every row into units
 * with Chinese problem messages, diff against the previous version, group owners (SPC art. 9).
 * Pure: no I/O, runs in Node and the browser.
 */
export type * from './types.ts';
export {
	decodeRosterFile,
	decodeText,
	decodeDelimited,
	checkRosterFile,
	isXlsx,
	MAX_ROSTER_FILE_BYTES,
	type DecodedRosterFile,
	type RosterTextEncoding
} from './decode.ts';
export { RosterFileError } from './errors.ts';
export { parseCsv, detectDelimiter, type Delimiter } from './csv.ts';
export { readXlsxFirstSheet, toRosterFileError, XLSX_LIMITS } from './xlsx.ts';
export { mapHeaders, cleanHeader, type RosterColumns, type HeaderMatch } from './headers.ts';
export { parseAreaHundredths, formatAreaHundredths, MAX_AREA_HUNDREDTHS, type AreaParse } from './area.ts';
export { normaliseBuilding, normaliseRoom } from './building.ts';
export { parseTypedRoom, emptyRoomMessage, type TypedRoom } from './room.ts';
export { validateRoster, validateRosterInChunks, splitOwnerNames, unitKey, unitKeyOf, type ChunkOptions } from './validate.ts';
export { diffRosters, type RosterDiff, type RosterChange, type RosterField } from './diff.ts';
export { ownerGroupKey, ownerIdentity, summariseRoster, DEVELOPER_OWNER_KEY, type RosterSummary } from './grouping.ts';
export { rosterToCsv, ROSTER_CSV_HEADER } from './export.ts';
