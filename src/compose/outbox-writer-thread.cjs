// Entry of the outbox writer thread when the sources run under tsx (tests, benches, CALLKEEPER_DEV=1); from
// dist/ outbox-writer.ts starts the compiled outbox-writer-thread.js and the build leaves this file out.
// A worker does not inherit the parent's tsx hooks on Node 20, so it registers them itself.
const { register } = require('tsx/cjs/api');

register();
require('./outbox-writer-thread.ts');
