/**
 * 管理命令 (admin command): first run and administration without a browser, for headless setups.
 * Does what /setup and /admin do, through the same services, on the database at DATABASE_URL.
 *
 *   npm run admin -- <command> [options]        (npm run admin -- help lists them)
 *
 * Exit codes: 0 done; 1 refused (bad input, not found, a rule — the message says why, in Chinese
 * and English); 2 usage error (unknown command or missing option).
 */
import { parseArgs } from 'node:util';
import type { Actor } from '../lib/domain/access/policy.ts';
import { getDatabase, prepareDatabase, type Database } from '../lib/server/db/client.ts';
import { DomainError } from '../lib/server/errors.ts';
import { createAdministrator, issueSetupToken, setupLink } from '../lib/server/admin/setup.ts';
import { addNode, archiveNode, renameNode, restoreNode, treeFor } from '../lib/server/admin/tree.ts';
import { grantRole, grantsManagedBy, revokeGrant, ROLES } from '../lib/server/admin/grants.ts';
import { allNodes, KIND_LABELS } from '../lib/server/communities/tree.ts';
import { calendarYears, enterCalendarYear } from '../lib/server/scheduler/calendar.ts';
import { readFileSync } from 'node:fs';

const HELP = `议事 管理命令 / Yishi admin command

用法 / usage: npm run admin -- <命令 command> [选项 options]

  setup-link [--origin URL]          打印一次性设置链接（还没有管理员时）
                                     print a one-time setup link (while no administrator exists)
  create-admin --login L [--name N]  创建管理员；密码从标准输入读取，或在终端提示输入两次
                                     create an administrator; password from stdin, or prompted twice
  add-node --kind K --name N [--parent P]
                                     添加节点 add a node; K = 街道|片区|居委|小区|楼栋
                                     (street|cluster|committee|compound|building); 街道无上级
  rename-node --node P --name N      改名 rename a node
  archive-node --node P              停用 archive a node (never deleted; history keeps it)
  restore-node --node P              恢复使用 restore an archived node
  grant --login L --role R [--scope P] [--from YYYY-MM-DD --to YYYY-MM-DD]
                                     授权 grant a role; R = ${ROLES.join('|')}
                                     业委会成员 (owners_committee) 必须有任期 needs a term
  revoke --grant ID                  撤销授权 revoke a grant (ids: list-grants)
  list-tree [--all]                  列出社区结构（--all 含已停用）list the tree (--all: archived too)
  list-grants                        列出授权 list grants
  calendar-import --year Y --file F  录入一年的法定节假日安排（文本文件，格式见 /admin/calendar）
                                     enter a year of the State Council holiday notice from a text file
  calendar-list                      列出已知年份的节假日安排 list the years of the rest-day calendar
  help                               显示本说明 show this help

P 是节点编号或名称（名称要唯一）/ P is a node id or its (unique) name.
数据库 / database: DATABASE_URL（默认 default file:data/yishi.db）
退出码 / exit codes: 0 完成 done; 1 被拒绝 refused; 2 用法错误 usage error`;

/** The command acts as the system: whoever runs it holds the database. Audit rows name it `cli`. */
const COMMAND_ACTOR: Actor = { userId: 'cli', grants: [{ role: 'admin', scopeId: null }], memberships: [] };

class UsageError extends Error {}

const OPTIONS = {
	origin: { type: 'string' },
	login: { type: 'string' },
	name: { type: 'string' },
	kind: { type: 'string' },
	parent: { type: 'string' },
	node: { type: 'string' },
	role: { type: 'string' },
	scope: { type: 'string' },
	from: { type: 'string' },
	to: { type: 'string' },
	grant: { type: 'string' },
	year: { type: 'string' },
	file: { type: 'string' },
	all: { type: 'boolean' },
	help: { type: 'boolean', short: 'h' }
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function need(options: Options, name: keyof Options): string {
	const value = options[name];
	if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`缺少 --${name} / missing --${name}`);
	return value;
}

/** A node by id, or by name when exactly one live node has it. */
async function resolveNode(database: Database, ref: string): Promise<string> {
	const nodes = await allNodes(database);
	if (nodes.some((n) => n.id === ref)) return ref;
	const named = nodes.filter((n) => n.name === ref.trim());
	const live = named.filter((n) => n.archivedAt === null);
	const pick = live.length === 1 ? live : named;
	if (pick.length === 1) return pick[0].id;
	if (pick.length === 0) throw new DomainError(`没有找到节点“${ref}” / no node "${ref}"`, 'not_found');
	throw new DomainError(
		`有 ${pick.length} 个节点叫“${ref}”，请用编号 / ${pick.length} nodes are named "${ref}", use an id: ` +
			pick.map((n) => `${n.id}（${KIND_LABELS[n.kind]}）`).join(', '),
		'ambiguous'
	);
}

/** The password: piped on stdin (first line), or typed twice at a terminal without echo. */
async function readPassword(): Promise<string> {
	if (!process.stdin.isTTY) {
		let text = '';
		for await (const chunk of process.stdin) text += chunk;
		return text.split(/\r?\n/)[0];
	}
	const first = await promptHidden('管理员密码 / password: ');
	const second = await promptHidden('再输入一次 / again: ');
	if (first !== second) throw new DomainError('两次输入的密码不一样 / the passwords differ', 'invalid');
	return first;
}

function promptHidden(question: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const stdin = process.stdin;
		process.stdout.write(question);
		stdin.setRawMode(true);
		stdin.resume();
		stdin.setEncoding('utf8');
		let typed = '';
		const onData = (chunk: string) => {
			for (const ch of chunk) {
				if (ch === '\r' || ch === '\n') {
					stdin.off('data', onData);
					stdin.setRawMode(false);
					stdin.pause();
					process.stdout.write('\n');
					resolve(typed);
					return;
				}
				if (ch === '\u0003') {
					stdin.setRawMode(false);
					reject(new UsageError('已取消 / cancelled'));
					return;
				}
				if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
				else typed += ch;
			}
		};
		stdin.on('data', onData);
	});
}

function describe(e: DomainError): string {
	const fields = Object.entries(e.fields)
		.map(([k, v]) => `  --${k}: ${v}`)
		.join('\n');
	return fields ? `${e.message}\n${fields}` : e.message;
}

async function run(command: string, options: Options, database: Database): Promise<void> {
	switch (command) {
		case 'setup-link': {
			const issued = await issueSetupToken(database);
			if (!issued) throw new DomainError('已经有管理员了，不再需要设置链接 / an administrator exists; no setup link needed', 'rule');
			const origin = options.origin ?? process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
			console.log(setupLink(origin, issued.token));
			console.log(`24 小时内有效，只能用一次 / valid once, for 24 hours`);
			return;
		}
		case 'create-admin': {
			const login = need(options, 'login');
			const password = await readPassword();
			const { userId } = await createAdministrator(database, { login, displayName: options.name?.trim() || '管理员', password });
			console.log(`已创建管理员 / administrator created: ${login} (${userId})`);
			return;
		}
		case 'add-node': {
			const kind = need(options, 'kind');
			const parentId = options.parent ? await resolveNode(database, options.parent) : null;
			const { id } = await addNode(database, COMMAND_ACTOR, { kind, parentId, name: need(options, 'name') });
			console.log(id);
			return;
		}
		case 'rename-node':
			await renameNode(database, COMMAND_ACTOR, {
				nodeId: await resolveNode(database, need(options, 'node')),
				name: need(options, 'name')
			});
			console.log('已改名 / renamed');
			return;
		case 'archive-node':
			await archiveNode(database, COMMAND_ACTOR, await resolveNode(database, need(options, 'node')));
			console.log('已停用 / archived');
			return;
		case 'restore-node':
			await restoreNode(database, COMMAND_ACTOR, await resolveNode(database, need(options, 'node')));
			console.log('已恢复 / restored');
			return;
		case 'grant': {
			const scopeId = options.scope ? await resolveScope(database, options.scope) : null;
			const { grantId } = await grantRole(database, COMMAND_ACTOR, {
				login: need(options, 'login'),
				role: need(options, 'role'),
				scopeId,
				from: options.from,
				to: options.to
			});
			console.log(grantId);
			return;
		}
		case 'revoke':
			await revokeGrant(database, COMMAND_ACTOR, need(options, 'grant'));
			console.log('已撤销 / revoked');
			return;
		case 'list-tree': {
			const tree = await treeFor(database, COMMAND_ACTOR, { includeArchived: options.all === true });
			if (tree.length === 0) console.log('（空 / empty）');
			for (const n of tree)
				console.log(`${'  '.repeat(n.depth)}${n.kindLabel} ${n.name}  [${n.id}]${n.archived ? '  （已停用 archived）' : ''}`);
			return;
		}
		case 'calendar-import': {
			const text = readFileSync(need(options, 'file'), 'utf8');
			const { version, days } = await enterCalendarYear(database, COMMAND_ACTOR, { year: Number(need(options, 'year')), text });
			console.log(`已录入 / entered: ${options.year}, ${days} 天 days, 版本 version ${version}`);
			return;
		}
		case 'calendar-list': {
			for (const y of await calendarYears(database, COMMAND_ACTOR)) {
				const origin = y.origin === 'built_in' ? '随系统 built in' : '录入 entered';
				console.log(
					`${y.year}  ${y.version}  放假 ${y.restDays} 天 rest days, 调休上班 ${y.workDays} 天 work days  ${origin}  ${y.source}`
				);
			}
			return;
		}
		case 'list-grants': {
			const grants = await grantsManagedBy(database, COMMAND_ACTOR);
			if (grants.length === 0) console.log('（没有授权 / no grants）');
			for (const g of grants) {
				const term = g.validFrom || g.validTo ? `  ${g.validFrom ?? '…'} ~ ${g.validTo ?? '…'}` : '';
				console.log(`${g.id}  ${g.login}  ${g.role}（${g.roleLabel}）  ${g.scopeName ?? '-'}${term}  ${g.statusLabel}`);
			}
			return;
		}
		default:
			throw new UsageError(`未知命令 / unknown command: ${command}`);
	}
}

/** A grant's scope: a session id is passed through as is; anything else names a node. */
async function resolveScope(database: Database, ref: string): Promise<string> {
	try {
		return await resolveNode(database, ref);
	} catch (e) {
		if (e instanceof DomainError && e.code === 'not_found') return ref;
		throw e;
	}
}

async function main(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
	} catch (e) {
		console.error(`${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
		return 2;
	}
	const [command, ...extra] = parsed.positionals;
	if (!command || command === 'help' || parsed.values.help) {
		console.log(HELP);
		return command || parsed.values.help ? 0 : 2;
	}
	if (extra.length > 0) {
		console.error(`多余的参数 / unexpected arguments: ${extra.join(' ')}`);
		return 2;
	}
	const database = getDatabase();
	try {
		await prepareDatabase(database);
		await run(command, parsed.values, database);
		return 0;
	} catch (e) {
		if (e instanceof UsageError) {
			console.error(`${e.message}\n\n${HELP}`);
			return 2;
		}
		if (e instanceof DomainError) {
			console.error(describe(e));
			return 1;
		}
		throw e;
	} finally {
		database.close();
	}
}

process.exitCode = await main(process.argv.slice(2));
