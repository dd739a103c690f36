// Entry of an export worker thread (src/store/sqlite-ledger-export-reader.ts). Node 20 does not carry
// the parent's loader hooks into a worker (`node --import tsx`, or bin/callkeeper.mjs's `register()`:
// "Unknown file extension .ts", nodejs/node#47747, privatenumber/tsx#354), so the worker registers
// tsx itself. CommonJS on purpose: tsx's ESM `register()` starts a hooks thread of its own, about
// 10 MB more per worker, while its CommonJS hook compiles in the worker's own thread.
const { register } = require('tsx/cjs/api');

register();
require('./ledger-export-worker.ts');
