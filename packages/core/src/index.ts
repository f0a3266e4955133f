export * from './errors';
export * from './clock';
export * from './retry';
export * from './secrets';
export * from './logger';
export * from './exec';
export * from './args';
export * from './http';
export * as markdown from './markdown';
