export * from './files';
export * from './sql';
export * from './lint';
export * from './engine';
export * from './adopt';
export * from './command';
export * from './report';
export * from './pg-parser';
