/**
 * 业主变更登记 during an open ballot, under double control: the only way a new claimant votes for a
 * unit whose voter was fixed at opening. Counting rule: the previous owner's ballot stays in the
 * record; the new owner's later ballot supersedes it; a recount of the export agrees.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseExport, verifyExport } from '../../../src/lib/domain/voting/index.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import { reissueLetter } from '../../../src/lib/server/communities/letters.ts';
import { claimCode, normaliseCode } from '../../../src/lib/server/communities/verification.ts';
import { auditLog, ballots, memberships, notifications } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import {
	castElectronicBallot,
	closeBallot,
	confirmOwnerChange,
	getResult,
	ownerChangesOfBallot,
	proposeOwnerChange,
	voterStanding,
	withdrawOwnerChange
} from '../../../src/lib/server/voting/index.ts';
import { recordElectronicVotes, requireElectorateUnits } from '../../../src/lib/server/voting/electronic.ts';
import { loadBallot } from '../../../src/lib/server/voting/common.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { DAY, freshCompoundForEachTest, newCompound, newOpenBallot, newOwner, newStaff, newUser } from './factories.ts';
import type { FakeTime, TestCompound, TestOwner, TestStaff } from './factories.ts';

type PersonsOf = { yes: { persons: number }; no: { persons: number } };

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let first: TestStaff;
let second: TestStaff;
let seller: TestOwner;

freshCompoundForEachTest({ units: 6, buildings: 1, committee: '业委会甲' }, async (bed) => {
	({ database, time, compound, committee: first } = bed);
	second = await newStaff(database, 'owners_committee', compound.compoundId, '业委会乙');
	seller = await newOwner(database, compound, { name: '原业主' });
});

/** The buyer claims a reissued letter while the ballot is open: verified, but not this ballot's voter. */
async function buyerClaims(): Promise<string> {
	const letter = await reissueLetter(database, first.actor, compound.compoundId, {
		unitId: seller.units[0].unitId,
		reason: '房屋已过户',
		origin: 'https://yishi.test'
	});
	const buyer = await newUser(database, '新业主');
	await claimCode(database, buyer, normaliseCode(letter.code), '10.0.0.5');
	return buyer;
}

describe('owner change under double control', () => {
	it(
		'lets the new owner vote only after a second 业委会 member confirms; their ballot supersedes ' +
			'the seller’s and the recount agrees',
		async () => {
			const { ballotId, closesAt } = await newOpenBallot(database, time, first.actor, [compound], {
				ruleKind: 'ordinary',
				motions: [{ id: 'A', title: '续聘' }]
			});
			await castElectronicBallot(database, seller.actor, { ballotId, choices: { A: 'yes' } });
			const buyer = await buyerClaims();
			await expect(
				castElectronicBallot(database, await loadActor(database, buyer), { ballotId, choices: { A: 'no' } })
			).rejects.toThrow(/另一位已核验业主/);

			const listed = await ownerChangesOfBallot(database, first.actor, ballotId);
			expect(listed.candidates).toEqual([
				{
					unitId: seller.units[0].unitId,
					unitLabel: `${seller.units[0].building} ${seller.units[0].room}`,
					accounts: [{ userId: buyer, displayName: '新业主' }]
				}
			]);

			await expect(
				proposeOwnerChange(database, first.actor, { ballotId, unitId: seller.units[0].unitId, newUserId: buyer, reason: '' })
			).rejects.toBeInstanceOf(InvalidInput);
			const { changeId } = await proposeOwnerChange(database, first.actor, {
				ballotId,
				unitId: seller.units[0].unitId,
				newUserId: buyer,
				reason: '房屋已过户'
			});
			// Proposed is not yet changed: the buyer still cannot vote, and the proposer cannot confirm alone.
			await expect(
				castElectronicBallot(database, await loadActor(database, buyer), { ballotId, choices: { A: 'no' } })
			).rejects.toBeInstanceOf(RuleBroken);
			await expect(confirmOwnerChange(database, first.actor, { ballotId, changeId })).rejects.toThrow(/另一位业委会成员确认/);
			expect((await ownerChangesOfBallot(database, second.actor, ballotId)).changes[0]).toMatchObject({
				reason: '房屋已过户',
				confirmedAt: null,
				canConfirm: true
			});

			await confirmOwnerChange(database, second.actor, { ballotId, changeId });
			await expect(confirmOwnerChange(database, second.actor, { ballotId, changeId })).rejects.toThrow(/已经处理过了/);

			// The seller is told, and no longer holds the unit.
			const told = await database.db.select().from(notifications).where(eq(notifications.userId, seller.userId));
			expect(told).toHaveLength(1);
			expect(told[0].kind).toBe('owner_change');
			expect(told[0].body).toContain('房屋已过户');
			const sellerRows = await database.db.select().from(memberships).where(eq(memberships.userId, seller.userId));
			expect(sellerRows.every((m) => m.revokedAt !== null)).toBe(true);
			expect((await voterStanding(database, await loadActor(database, buyer), ballotId)).frozenOut).toEqual([]);

			// A cast by the seller checked before the confirmation and written after it is refused in the write.
			const record = await loadBallot(database.db, ballotId);
			const units = await requireElectorateUnits(database.db, ballotId, [seller.units[0].unitId]);
			await expect(
				database.write((tx) =>
					recordElectronicVotes(tx, {
						ballot: record,
						units,
						choices: new Map([['A', 'yes']]),
						voterUserId: seller.userId,
						proxyId: null
					})
				)
			).rejects.toThrow(/另一位已核验业主/);

			// The buyer votes once (this ballot does not allow changes), superseding the seller's ballot.
			time.advance(DAY);
			await castElectronicBallot(database, await loadActor(database, buyer), { ballotId, choices: { A: 'no' } });
			time.set(closesAt + 1);
			await closeBallot(database, first.actor, { ballotId });
			const result = await getResult(database, { ballotId });
			const figures = result.result.motions[0].compounds[0] as unknown as PersonsOf;
			expect(figures.no.persons).toBe(1);
			expect(figures.yes.persons).toBe(0);

			const [row] = await database.db.select({ exportJson: ballots.exportJson }).from(ballots).where(eq(ballots.id, ballotId));
			const doc = JSON.parse(row.exportJson!);
			expect(doc.ballots).toHaveLength(2); // the seller's ballot stays in the record
			expect(doc.ownerChanges).toEqual({ count: 1, reasons: ['房屋已过户'] });
			expect(JSON.stringify(doc.ownerChanges)).not.toContain('新业主');
			const parsed = parseExport(JSON.stringify(doc));
			expect(parsed.ok).toBe(true);
			expect(verifyExport(doc)).toEqual([]);
			expect(result.ownerChanges).toEqual({ count: 1, reasons: ['房屋已过户'] });

			const audits = await database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subjectId, ballotId));
			expect(audits.map((a) => a.action)).toEqual(
				expect.arrayContaining(['ballot.owner_change_propose', 'ballot.owner_change_confirm'])
			);
		}
	);

	it('withdraws a pending proposal, after which the unit can be proposed again', async () => {
		const { ballotId } = await newOpenBallot(database, time, first.actor, [compound]);
		const buyer = await buyerClaims();
		const input = { ballotId, unitId: seller.units[0].unitId, newUserId: buyer, reason: '房屋已过户' };
		const { changeId } = await proposeOwnerChange(database, first.actor, input);
		await expect(proposeOwnerChange(database, second.actor, input)).rejects.toThrow(/待确认的业主变更/);
		await withdrawOwnerChange(database, second.actor, { ballotId, changeId });
		await expect(confirmOwnerChange(database, second.actor, { ballotId, changeId })).rejects.toThrow(/已经处理过了/);
		await proposeOwnerChange(database, second.actor, input);
		expect((await ownerChangesOfBallot(database, first.actor, ballotId)).changes).toHaveLength(1);
	});

	it('keeps the seller’s ballot counted when the new owner does not vote', async () => {
		const { ballotId, closesAt } = await newOpenBallot(database, time, first.actor, [compound], {
			ruleKind: 'ordinary',
			motions: [{ id: 'A', title: '续聘' }]
		});
		await castElectronicBallot(database, seller.actor, { ballotId, choices: { A: 'yes' } });
		const buyer = await buyerClaims();
		const { changeId } = await proposeOwnerChange(database, first.actor, {
			ballotId,
			unitId: seller.units[0].unitId,
			newUserId: buyer,
			reason: '房屋已过户'
		});
		await confirmOwnerChange(database, second.actor, { ballotId, changeId });
		time.set(closesAt + 1);
		await closeBallot(database, first.actor, { ballotId });
		const result = await getResult(database, { ballotId });
		expect((result.result.motions[0].compounds[0] as unknown as PersonsOf).yes.persons).toBe(1);
	});

	it('is refused to a 居委 worker, to another compound’s 业委会, and for an account that has not verified the unit', async () => {
		const { ballotId } = await newOpenBallot(database, time, first.actor, [compound]);
		const juwei = await newStaff(database, 'committee_staff', null);
		const other = await newCompound(database, { units: 2 });
		const otherYwh = await newStaff(database, 'owners_committee', other.compoundId);
		const stranger = await newUser(database, '路人');
		const input = { ballotId, unitId: seller.units[0].unitId, newUserId: stranger, reason: '房屋已过户' };
		await expect(proposeOwnerChange(database, juwei.actor, input)).rejects.toBeInstanceOf(AccessDenied);
		await expect(proposeOwnerChange(database, otherYwh.actor, input)).rejects.toBeInstanceOf(AccessDenied);
		await expect(proposeOwnerChange(database, first.actor, input)).rejects.toThrow(/须先用核验信核验/);
		await expect(ownerChangesOfBallot(database, seller.actor, ballotId)).rejects.toBeInstanceOf(AccessDenied);
	});
});
