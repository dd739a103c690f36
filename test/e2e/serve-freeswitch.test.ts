import { serveSuite } from './serve-suite.ts';

/** The same end-to-end proof with the ESL peer (FreeSWITCH): the suite runs once per engine. */
serveSuite('freeswitch');
