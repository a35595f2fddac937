/** Describes the machine a benchmark ran on, for the report header. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
	cpuModel: string;
	cores: number;
	memoryGiB: number;
	node: string;
	platform: string;
	date: string;
}

export function describeMachine(): MachineInfo {
	let cpuModel = os.cpus()[0]?.model ?? 'unknown';
	try {
		const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
		if (match) cpuModel = match[1].trim();
	} catch {
		/* not Linux: os.cpus() it is */
	}
	return {
		cpuModel,
		cores: os.availableParallelism?.() ?? os.cpus().length,
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
		date: new Date().toISOString()
	};
}

export function machineMarkdown(m: MachineInfo): string {
	return [
		'| | |',
		'|---|---|',
		`| CPU | ${m.cpuModel} |`,
		`| cores | ${m.cores} |`,
		`| memory | ${m.memoryGiB} GiB |`,
		`| Node | ${m.node} |`,
		`| OS | ${m.platform} |`,
		`| date | ${m.date} |`
	].join('\n');
}

/** Resident set size of another process in bytes (Linux), or null. */
export function rssOf(pid: number): number | null {
	try {
		const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : null;
	} catch {
		return null;
	}
}

/** Peak resident set size of another process in bytes (Linux), or null. */
export function peakRssOf(pid: number): number | null {
	try {
		const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : null;
	} catch {
		return null;
	}
}

/** CPU time (user + system) another process has used so far, in ms (Linux), or null. */
export function cpuMsOf(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// fields[11] = utime, fields[12] = stime (after pid and comm), in clock ticks (100 Hz on Linux).
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return null;
	}
}
