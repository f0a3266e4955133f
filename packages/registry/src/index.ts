export * from './metadata/index';
