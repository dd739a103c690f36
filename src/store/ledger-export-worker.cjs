// Entry of an export worker thread when the sources run under tsx (tests, CALLKEEPER_DEV=1); from dist/
// the reader (src/store/sqlite-ledger-export-reader.ts) starts the compiled ledger-export-worker.js and
// the build leaves this file out. Node 20 does not carry the parent's loader hooks into a worker
// (`node --import tsx`, or bin/callkeeper.mjs's `register()` under CALLKEEPER_DEV=1:
// "Unknown file extension .ts", nodejs/node#47747, privatenumber/tsx#354), so the worker registers
// tsx itself. CommonJS on purpose: tsx's ESM `register()` starts a hooks thread of its own, about
// 10 MB more per worker, while its CommonJS hook compiles in the worker's own thread.
const { register } = require('tsx/cjs/api');

register();
require('./ledger-export-worker.ts');
