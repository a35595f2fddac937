export * from './phases.ts';
export * from './threshold.ts';
export * from './triage.ts';
export * from './debate.ts';
export * from './common-ground.ts';
export * from './advisory.ts';
export * from './reminders.ts';
export * from './sessions.ts';
