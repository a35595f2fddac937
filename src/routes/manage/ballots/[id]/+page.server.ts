import { m } from '$lib/paraglide/messages';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor, signedInLoad } from '$lib/server/require-user';
import { act, formValues } from '$lib/server/http';
import { InvalidInput } from '$lib/server/errors';
import { parseTypedRoom } from '$lib/domain/roster/room';
import {
	ballotView,
	closeBallot,
	confirmOwnerChange,
	electorateBuildings,
	enterPaperBallot,
	findElectorateUnit,
	getTurnout,
	listPaperMismatches,
	listProxies,
	myRecentPaperEntries,
	openBallot,
	ownerChangesOfBallot,
	progressByBuilding,
	proposeOwnerChange,
	publishNotice,
	recordProxyByLogin,
	withdrawOwnerChange,
	withdrawPaperEntry
} from '$lib/server/voting';

export const load: PageServerLoad = signedInLoad(async ({ database, actor, event }) => {
	const ballot = await ballotView(database, actor, event.params.id);
	if (!ballot.can.manage && !ballot.can.enterPaper && !ballot.can.watch && !ballot.can.close) error(403, m.voting_manage_forbidden());
	const opened = ballot.openedAt !== null;
	const staffView = ballot.can.enterPaper || ballot.can.watch;
	return {
		ballot,
		turnout: opened ? await getTurnout(database, actor, { ballotId: ballot.id }) : null,
		progress: opened && staffView ? await progressByBuilding(database, actor, { ballotId: ballot.id }) : [],
		mismatches: opened && staffView ? await listPaperMismatches(database, actor, { ballotId: ballot.id }) : [],
		proxies: opened && staffView ? await listProxies(database, actor, { ballotId: ballot.id }) : [],
		buildings: opened ? await electorateBuildings(database, ballot.id, ballot.paperCompoundIds) : [],
		ownerChanges: opened && staffView ? await ownerChangesOfBallot(database, actor, ballot.id) : { changes: [], candidates: [] },
		recentPaper: opened && ballot.can.enterPaper ? await myRecentPaperEntries(database, actor, { ballotId: ballot.id }) : [],
		me: actor.userId,
		// 结束计票 is a two-step action without JavaScript: ?step=close shows what closing will leave out.
		confirmClose: event.url.searchParams.get('step') === 'close',
		// A printed ballot's QR code opens the entry form with its unit filled in (compoundId|building and room).
		paperPrefill: { building: event.url.searchParams.get('building') ?? '', room: event.url.searchParams.get('room') ?? '' }
	};
});

function choicesFrom(data: FormData, prefix: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of data) if (key.startsWith(prefix) && String(value)) out[key.slice(prefix.length)] = String(value);
	return out;
}

async function unitFrom(ballotId: string, data: FormData) {
	// The option value is "compoundId|building": 7号楼 exists in both compounds.
	const [compoundId, building = ''] = String(data.get('building') ?? '').split('|');
	// ５０２, 502室, 502号 and (in the building chosen) 3-502 are all room 502 (roster/room.ts); an empty room is asked for by name.
	const typed = parseTypedRoom(String(data.get('room') ?? ''), building);
	if (!typed.ok) throw new InvalidInput(typed.message, { room: typed.message });
	const unit = await findElectorateUnit(getDatabase(), ballotId, compoundId, building, typed.room);
	if (!unit)
		throw new InvalidInput(m.voting_paper_no_such_unit({ unit: `${building} ${typed.room}` }), {
			room: m.voting_paper_no_such_unit_field()
		});
	return unit;
}

export const actions: Actions = {
	/** 业主变更登记, first step: one 业委会 member proposes, with the reason. */
	ownerChange: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['unitId', 'newUserId', 'reason']);
		return act(async () => {
			await proposeOwnerChange(getDatabase(), actor, { ballotId: event.params.id, ...values });
			return { done: m.voting_owner_change_proposed() };
		}, values);
	},
	/** Second step: a different 业委会 member confirms; the new owner then votes for the unit. */
	confirmOwnerChange: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(async () => {
			const r = await confirmOwnerChange(getDatabase(), actor, {
				ballotId: event.params.id,
				changeId: String(data.get('changeId') ?? '')
			});
			return { done: m.voting_owner_change_confirmed({ unit: r.unitLabel }) };
		});
	},
	withdrawOwnerChange: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(async () => {
			await withdrawOwnerChange(getDatabase(), actor, { ballotId: event.params.id, changeId: String(data.get('changeId') ?? '') });
			return { done: m.voting_owner_change_withdrawn() };
		});
	},
	notice: async (event) => {
		const actor = await requireActor(event);
		return act(async () => ({
			done: m.voting_notice_published(),
			...(await publishNotice(getDatabase(), actor, { ballotId: event.params.id }))
		}));
	},
	open: async (event) => {
		const actor = await requireActor(event);
		return act(async () => {
			const r = await openBallot(getDatabase(), actor, { ballotId: event.params.id });
			return { done: m.voting_opened({ units: r.units }) };
		});
	},
	close: async (event) => {
		const actor = await requireActor(event);
		return act(async () => {
			const r = await closeBallot(getDatabase(), actor, { ballotId: event.params.id });
			return {
				done:
					r.unresolvedPaperEntries > 0
						? m.voting_closed_with_pending({ count: r.unresolvedPaperEntries })
						: m.voting_closed_done()
			};
		});
	},
	paper: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		// A refused entry keeps the room and the choices typed; an accepted one clears them for the next ballot
		// (only the building stays), so one ballot's choice never carries onto the next.
		const choices = choicesFrom(data, 'm-');
		// 受托人代签: the 委托书 chosen, empty for the owner's own signature.
		const proxyId = String(data.get('proxyId') ?? '');
		const place = { building: String(data.get('building') ?? ''), room: String(data.get('room') ?? '') };
		const values = { section: 'paper', ...place, ...choices, proxyId };
		return act(async () => {
			const unit = await unitFrom(event.params.id, data);
			const input = { ballotId: event.params.id, unitId: unit.unitId, choices, proxyId: proxyId || null };
			const r = await enterPaperBallot(getDatabase(), actor, input);
			return { section: 'paper', paperDone: `${unit.label}：${r.message}`, paperStatus: r.status, building: values.building };
		}, values);
	},
	withdraw: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(async () => {
			await withdrawPaperEntry(getDatabase(), actor, { entryId: String(data.get('entryId') ?? '') });
			return { section: 'paper', paperDone: m.voting_paper_withdrawn(), building: String(data.get('building') ?? '') };
		});
	},
	proxy: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = {
			section: 'proxy',
			...formValues(data, ['building', 'room', 'principalName', 'proxyLogin']),
			// The instructions come back with a refusal too (p-A → A), like the paper entry's choices.
			...Object.fromEntries(Object.entries(choicesFrom(data, 'p-')).map(([motionId, choice]) => [`p-${motionId}`, choice]))
		};
		return act(async () => {
			const unit = await unitFrom(event.params.id, data);
			const proxy = { proxyLogin: values.proxyLogin, principalName: values.principalName, instructions: choicesFrom(data, 'p-') };
			await recordProxyByLogin(getDatabase(), actor, { ballotId: event.params.id, unitIds: [unit.unitId], ...proxy });
			return {
				section: 'proxy',
				done: m.voting_proxy_registered({ unit: unit.label, principal: values.principalName, proxy: values.proxyLogin })
			};
		}, values);
	}
};
