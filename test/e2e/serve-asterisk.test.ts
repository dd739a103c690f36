import { serveSuite } from './serve-suite.ts';

/** Issue 6's end-to-end proof through `startService` with the ARI simulator (Asterisk). */
serveSuite('asterisk');
