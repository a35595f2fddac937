import { decide, type Actor } from '../../domain/access/policy.ts';
import { compoundScope, requireAccess } from '../access.ts';
import type { Database } from '../db/client.ts';
import { childrenOf, getNode, pathOf } from './tree.ts';
import { latestRosterVersion, rosterVersionsOf, unitsOfVersion } from '../roster/units.ts';
import { codeStatusOfUnits } from './verification.ts';

const PAGE = 200;

/** What the 业委会/居委 sees of one compound: roster versions, buildings, units with letter status. */
export async function compoundOverview(
	database: Database,
	actor: Actor,
	compoundId: string,
	filter: { buildingId?: string; room?: string }
) {
	const target = { compounds: [await compoundScope(database, compoundId)] };
	requireAccess(actor, 'roster.read', target);
	const compound = await getNode(database, compoundId, 'compound');
	const path = await pathOf(database, compoundId);
	const buildings = await childrenOf(database, compoundId, 'building');
	const versions = await rosterVersionsOf(database, compoundId);
	const latest = await latestRosterVersion(database, compoundId);
	const buildingId = filter.buildingId ?? (filter.room ? undefined : buildings[0]?.id);
	const unitRows = latest ? await unitsOfVersion(database, latest.id, { buildingId, room: filter.room, limit: PAGE }) : [];
	const status = await codeStatusOfUnits(
		database,
		unitRows.map((u) => u.id)
	);
	return {
		compound,
		path: path.reverse().map((n) => ({ id: n.id, name: n.name, kind: n.kind })),
		buildings,
		versions: versions.map((v) => ({
			id: v.id,
			versionNo: v.versionNo,
			fileName: v.fileName,
			createdAt: v.createdAt,
			unitCount: v.unitCount,
			totalAreaHundredths: v.totalAreaHundredths,
			diffSummary: v.diffSummary
		})),
		selectedBuildingId: buildingId ?? null,
		room: filter.room ?? '',
		units: unitRows.map((u) => ({
			...u,
			owners: u.owners.map((o) => o.name),
			letter: status.get(u.id)!.state,
			verifiedOwners: status.get(u.id)!.owners
		})),
		canManage: decide(actor, 'roster.manage', target).allowed
	};
}
