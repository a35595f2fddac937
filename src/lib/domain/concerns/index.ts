export * from './threshold.ts';
export * from './triage.ts';
export * from './categories.ts';
