/**
 * 房屋清册 — the roster of a compound: importing a file (preview, then confirm; XLSX read in a worker
 * thread), the appended roster versions and the units they list. Imports start with an access check
 * and go through database.write; the parsing and checking rules are pure, in $lib/domain/roster.
 */
export {
	rosterManager,
	previewRosterImport,
	confirmRosterImport,
	appendRosterVersion,
	MAX_ROSTER_BYTES,
	MAX_ROSTER_UNITS,
	type RosterPreview
} from './import.ts';
export { stageUpload, takeStaged, dropStaged } from './staging.ts';
export { latestRosterVersion, rosterVersionsOf, unitsOfVersion, currentUnits, unitsOfUser, type UnitView, type MyUnit } from './units.ts';
