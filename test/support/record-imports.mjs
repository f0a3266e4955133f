// NODE_OPTIONS=--import=<this file> with RECORD_IMPORTS=<file>: every file: module the process
// loads is appended to that file, so a test can tell which bundle chunks a run really loaded.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url);
