export * from './phases.ts';
export * from './sessions.ts';
