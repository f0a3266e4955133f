export * from './weights';
export * from './rollout';
export * from './readback';
export * from './haproxy';
export * from './nginx';
export * from './hooks';
export * from './command';
