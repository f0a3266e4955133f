export * from './rollout';
export * from './haproxy';
