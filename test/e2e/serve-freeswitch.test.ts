import { serveSuite } from './serve-suite.ts';

/** The same end-to-end proof with the ESL peer (FreeSWITCH): issue 7 runs it once per engine. */
serveSuite('freeswitch');
