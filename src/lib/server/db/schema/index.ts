export * from './communities.ts';
export * from './auth.ts';
export * from './verification.ts';
export * from './audit.ts';
export * from './voting.ts';
export * from './drafting.ts';
export * from './agenda.ts';
export * from './records.ts';
