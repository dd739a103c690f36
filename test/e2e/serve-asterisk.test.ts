import { serveSuite } from './serve-suite.ts';

/** The end-to-end proof through `startService` with the ARI simulator (Asterisk). */
serveSuite('asterisk');
