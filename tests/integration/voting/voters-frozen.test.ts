/**
 * Who may vote for a unit is fixed while a ballot is open (issue #11, part 2). The attack found by
 * the outside probe: a 业委会 member prints a new letter for a unit that already has a verified
 * owner, claims it with another account and votes, silently replacing the owner's counted vote.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadActor } from '../../../src/lib/server/access.ts';
import { issueLetters, reissueLetter } from '../../../src/lib/server/communities/letters.ts';
import { claimCode, normaliseCode } from '../../../src/lib/server/communities/verification.ts';
import { auditLog, memberships, orgNodes } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import {
	ballotView,
	castElectronicBallot,
	openBallot,
	previewElectronicBallot,
	voterStanding
} from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, countedRows, freshCompoundForEachTest, newCompound, newNoticedBallot, newOpenBallot } from './factories.ts';
import { newOwner, newStaff, newUser } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

freshCompoundForEachTest({ units: 6, buildings: 1, committee: '业委会甲' }, (bed) => ({ database, time, compound, committee } = bed));

async function buildingOf(unitBuilding: string): Promise<string> {
	const rows = await database.db
		.select({ id: orgNodes.id })
		.from(orgNodes)
		.where(and(eq(orgNodes.parentId, compound.compoundId), eq(orgNodes.name, unitBuilding)));
	return rows[0].id;
}

const ORIGIN = 'https://yishi.test';

describe('printing letters for a building', () => {
	it('issues codes only for units without a verified owner, whatever the form asked', async () => {
		const owner = await newOwner(database, compound);
		const printed = await issueLetters(database, committee.actor, compound.compoundId, {
			buildingId: await buildingOf(owner.units[0].building),
			origin: ORIGIN
		});
		expect(printed.letters.map((l) => l.unitId)).not.toContain(owner.units[0].unitId);
		expect(printed.letters).toHaveLength(compound.units.length - 1);
	});
});

describe('the probe’s attack: reissue, claim with another account, vote', () => {
	it('leaves the frozen owner’s counted vote in place and tells the new claimant why', async () => {
		const owner = await newOwner(database, compound);
		const unit = owner.units[0];
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound], { allowChange: true });
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });

		const letter = await reissueLetter(database, committee.actor, compound.compoundId, {
			unitId: unit.unitId,
			reason: '业主称原核验信遗失',
			origin: ORIGIN
		});
		const intruder = await newUser(database, '另一个账号');
		await claimCode(database, intruder, normaliseCode(letter.code), '10.0.0.9');
		const intruderActor = await loadActor(database, intruder);

		await expect(castElectronicBallot(database, intruderActor, { ballotId, choices: CHOICES_1 })).rejects.toThrow(
			/本次表决开始时的业主是另一位已核验业主/
		);
		await expect(previewElectronicBallot(database, intruderActor, { ballotId, choices: CHOICES_1 })).rejects.toBeInstanceOf(RuleBroken);
		const counted = await countedRows(database, ballotId);
		expect(counted.map((c) => c.choice)).toEqual(['yes', 'yes', 'yes']);

		// The reissue did not unbind the verified owner, who still votes (and may still change).
		const ownerRows = await database.db.select().from(memberships).where(eq(memberships.userId, owner.userId));
		expect(ownerRows.every((m) => m.revokedAt === null)).toBe(true);
		const receipt = await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });

		// The /vote page explains it in plain words, and its check step lists the units a cast records.
		const standing = await voterStanding(database, intruderActor, ballotId);
		expect(standing.frozenOut.map((u) => u.unitId)).toEqual([unit.unitId]);
		expect(standing.voting).toEqual([]);
		expect(standing.message).toMatch(/您的核验从下一次表决起生效/);
		const ownerStanding = await voterStanding(database, owner.actor, ballotId);
		expect(ownerStanding.frozenOut).toEqual([]);
		expect(ownerStanding.voting).toEqual(receipt.units);
		expect((await ballotView(database, intruderActor, ballotId)).id).toBe(ballotId);
	});

	it('lets the new claimant vote in the next ballot opened after the claim', async () => {
		const owner = await newOwner(database, compound);
		const unit = owner.units[0];
		const letter = await reissueLetter(database, committee.actor, compound.compoundId, {
			unitId: unit.unitId,
			reason: '房屋已过户',
			origin: ORIGIN
		});
		const buyer = await newUser(database, '新业主');
		await claimCode(database, buyer, normaliseCode(letter.code), '10.0.0.9');
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const receipt = await castElectronicBallot(database, await loadActor(database, buyer), { ballotId, choices: ALL_YES });
		expect(receipt.units.map((u) => u.unitId)).toEqual([unit.unitId]);
	});

	it('fixes the first claimant of a unit that had no verified owner at opening', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const unit = compound.units[0];
		const printed = await issueLetters(database, committee.actor, compound.compoundId, {
			buildingId: await buildingOf(unit.building),
			origin: ORIGIN
		});
		const first = await newUser(database, '首位认领人');
		await claimCode(database, first, normaliseCode(printed.letters.find((l) => l.unitId === unit.unitId)!.code), '10.0.0.8');
		const second = await newUser(database, '后来者');
		const again = await reissueLetter(database, committee.actor, compound.compoundId, {
			unitId: unit.unitId,
			reason: '业主称原核验信遗失',
			origin: ORIGIN
		});
		await claimCode(database, second, normaliseCode(again.code), '10.0.0.9');
		await expect(castElectronicBallot(database, await loadActor(database, second), { ballotId, choices: ALL_YES })).rejects.toThrow(
			/另一位已核验业主/
		);
		await castElectronicBallot(database, await loadActor(database, first), { ballotId, choices: ALL_YES });
		expect(await countedRows(database, ballotId)).toHaveLength(3);
	});

	it('lets an owner bound after opening vote for a unit that has no voter, while other units have theirs', async () => {
		const early = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		// Bound without a letter (as an administrator or the demo does): no claim fixed a voter for the unit.
		const late = await newOwner(database, compound);
		await castElectronicBallot(database, late.actor, { ballotId, choices: ALL_YES });
		await castElectronicBallot(database, early.actor, { ballotId, choices: ALL_YES });
		expect(await countedRows(database, ballotId)).toHaveLength(6);
	});

	it('freezes co-owners verified before opening together: either may vote for the shared unit', async () => {
		const owner = await newOwner(database, compound);
		const coOwner = await newOwner(database, compound, { unitIds: [owner.units[0].unitId] });
		const { ballotId } = await newNoticedBallot(database, time, committee.actor, [compound], { allowChange: true });
		time.set(time.now + 17 * 24 * 3600_000);
		await openBallot(database, committee.actor, { ballotId });
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		const second = await castElectronicBallot(database, coOwner.actor, { ballotId, choices: CHOICES_1 });
		expect(second.replaced).toBe(true);
	});
});

describe('补发核验信 (reissuing one unit’s letter)', () => {
	it('asks for a reason, audits it, and revokes only the unit’s unclaimed code', async () => {
		const owner = await newOwner(database, compound);
		const unit = owner.units[0];
		await expect(
			reissueLetter(database, committee.actor, compound.compoundId, { unitId: unit.unitId, reason: ' ', origin: ORIGIN })
		).rejects.toBeInstanceOf(InvalidInput);
		const first = await reissueLetter(database, committee.actor, compound.compoundId, {
			unitId: unit.unitId,
			reason: '原信遗失',
			origin: ORIGIN
		});
		await reissueLetter(database, committee.actor, compound.compoundId, {
			unitId: unit.unitId,
			reason: '第二封也丢了',
			origin: ORIGIN
		});
		await expect(claimCode(database, await newUser(database), normaliseCode(first.code), '10.0.0.7')).rejects.toThrow(/已作废/);
		const audits = await database.db.select().from(auditLog).where(eq(auditLog.action, 'verification.reissue_letter'));
		expect(audits).toHaveLength(2);
		expect(JSON.parse(audits[0].detail!)).toMatchObject({ reason: '原信遗失', unitId: unit.unitId, verifiedOwners: 1 });
		expect(first.building).toBe(unit.building);
		expect(first.room).toBe(unit.room);
	});

	it('finds the unit however its room is typed: ５０２, 502室, 502号 or with its building first', async () => {
		const unit = compound.units[0];
		const building = await buildingOf(unit.building);
		const number = unit.building.replace(/号楼$/, '');
		const full = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
		for (const room of [
			full(unit.room),
			`${unit.room}室`,
			`${unit.room}号`,
			` ${unit.room} `,
			`${number}-${unit.room}`,
			`${unit.building}${unit.room}室`
		]) {
			const letter = await reissueLetter(database, committee.actor, compound.compoundId, {
				buildingId: building,
				room,
				reason: '原信遗失',
				origin: ORIGIN
			});
			expect(letter.unitId, room).toBe(unit.unitId);
		}
		const empty = reissueLetter(database, committee.actor, compound.compoundId, {
			buildingId: building,
			room: '\u3000',
			reason: '原信遗失',
			origin: ORIGIN
		});
		await expect(empty).rejects.toMatchObject({ message: '请填写室号', fields: { room: '请填写室号' } });
	});

	it('is refused to an owner and to another compound’s 业委会', async () => {
		const owner = await newOwner(database, compound);
		const other = await newCompound(database, { units: 2 });
		const otherCommittee = await newStaff(database, 'owners_committee', other.compoundId);
		const input = { unitId: owner.units[0].unitId, reason: '原信遗失', origin: ORIGIN };
		await expect(reissueLetter(database, owner.actor, compound.compoundId, input)).rejects.toBeInstanceOf(AccessDenied);
		await expect(reissueLetter(database, otherCommittee.actor, compound.compoundId, input)).rejects.toBeInstanceOf(AccessDenied);
		await expect(reissueLetter(database, otherCommittee.actor, other.compoundId, input)).rejects.toBeInstanceOf(InvalidInput);
	});
});
