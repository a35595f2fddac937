export * from './debate.ts';
export * from './common-ground.ts';
export * from './advisory.ts';
