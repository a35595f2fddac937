import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { act, formValues, load as guard } from '$lib/server/http';
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

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	const ballot = await guard(() => ballotView(database, actor, event.params.id));
	if (!ballot.can.manage && !ballot.can.enterPaper && !ballot.can.watch && !ballot.can.close)
		error(403, '只有业委会、居委和监票人可以管理表决');
	const opened = ballot.openedAt !== null;
	const staffView = ballot.can.enterPaper || ballot.can.watch;
	return {
		ballot,
		turnout: opened ? await guard(() => getTurnout(database, actor, { ballotId: ballot.id })) : null,
		progress: opened && staffView ? await guard(() => progressByBuilding(database, actor, { ballotId: ballot.id })) : [],
		mismatches: opened && staffView ? await guard(() => listPaperMismatches(database, actor, { ballotId: ballot.id })) : [],
		proxies: opened && staffView ? await guard(() => listProxies(database, actor, { ballotId: ballot.id })) : [],
		buildings: opened ? await electorateBuildings(database, ballot.id, ballot.paperCompoundIds) : [],
		ownerChanges:
			opened && staffView ? await guard(() => ownerChangesOfBallot(database, actor, ballot.id)) : { changes: [], candidates: [] },
		recentPaper:
			opened && ballot.can.enterPaper ? await guard(() => myRecentPaperEntries(database, actor, { ballotId: ballot.id })) : [],
		me: actor.userId,
		// 结束计票 is a two-step action without JavaScript: ?step=close shows what closing will leave out.
		confirmClose: event.url.searchParams.get('step') === 'close',
		// A printed ballot's QR code opens the entry form with its unit filled in (compoundId|building and room).
		paperPrefill: { building: event.url.searchParams.get('building') ?? '', room: event.url.searchParams.get('room') ?? '' }
	};
};

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
	if (!unit) throw new InvalidInput(`本次表决的业主名单里没有“${building} ${typed.room}”，请核对房号`, { room: '没有这户' });
	return unit;
}

export const actions: Actions = {
	/** 业主变更登记, first step: one 业委会 member proposes, with the reason. */
	ownerChange: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = {
			unitId: String(data.get('unitId') ?? ''),
			newUserId: String(data.get('newUserId') ?? ''),
			reason: String(data.get('reason') ?? '')
		};
		return act(async () => {
			await proposeOwnerChange(getDatabase(), actor, { ballotId: event.params.id, ...values });
			return { done: '已提议业主变更，须由另一位业委会成员确认后生效' };
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
			return { done: `${r.unitLabel} 的业主变更已确认，本次表决改由新业主投票，原业主已收到通知` };
		});
	},
	withdrawOwnerChange: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		return act(async () => {
			await withdrawOwnerChange(getDatabase(), actor, { ballotId: event.params.id, changeId: String(data.get('changeId') ?? '') });
			return { done: '已撤回这项业主变更提议' };
		});
	},
	notice: async (event) => {
		const actor = await requireActor(event);
		return act(async () => ({ done: '公告已发布', ...(await publishNotice(getDatabase(), actor, { ballotId: event.params.id })) }));
	},
	open: async (event) => {
		const actor = await requireActor(event);
		return act(async () => {
			const r = await openBallot(getDatabase(), actor, { ballotId: event.params.id });
			return { done: `投票已开始，业主名单已冻结（共 ${r.units} 户）` };
		});
	},
	close: async (event) => {
		const actor = await requireActor(event);
		return act(async () => {
			const r = await closeBallot(getDatabase(), actor, { ballotId: event.params.id });
			return {
				done:
					r.unresolvedPaperEntries > 0 ? `计票已结束。有 ${r.unresolvedPaperEntries} 张纸质票未完成复核，未计入。` : '计票已结束'
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
			return { section: 'paper', paperDone: '已撤回这条录入，可以重新录入这户', building: String(data.get('building') ?? '') };
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
				done: `已登记 ${unit.label} 的委托书（委托人：${values.principalName}，受托人：${values.proxyLogin}）`
			};
		}, values);
	}
};
