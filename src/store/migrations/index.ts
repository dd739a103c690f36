import { migration001 } from './001-core.ts';
import { migration002 } from './002-messages.ts';
import { migration003 } from './003-staff.ts';
import { migration004 } from './004-ledger-call-index.ts';
import { migration005 } from './005-outbox-indexes.ts';
import { migration006 } from './006-assist-results.ts';
import { migration007 } from './007-reply-notifications.ts';
import { migration008 } from './008-outbox-stop-race.ts';
import { migration009 } from './009-console.ts';
import { migration010 } from './010-transcript-backlog.ts';
import type { Migration } from './migration.ts';

/** Every migration, in version order. Append new files here; never edit one that has landed. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010];
