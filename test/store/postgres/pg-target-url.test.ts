import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../../src/domain/errors.ts';
import { parsePgTargetUrl } from '../../../src/store/postgres/pg-target-url.ts';

/** The `db copy --to` URL (src/store/postgres/README.md, "Moving an install"): what may be printed of it, and the password kept out of every text. */
describe('parsePgTargetUrl', () => {
  test('names host, port and database only; a socket directory given as ?host= is the host', () => {
    assert.equal(parsePgTargetUrl('postgres://ck:pw@db.example.net/callkeeper').where, 'db.example.net:5432/callkeeper');
    assert.equal(parsePgTargetUrl('postgresql://ck@10.0.0.5:6432/ck').where, '10.0.0.5:6432/ck');
    assert.equal(parsePgTargetUrl('postgres://ck@localhost/ck?host=%2Frun%2Fpostgresql&port=5433').where, '/run/postgresql:5433/ck');
  });

  test('scrub takes the password out of a text, as given and URL-decoded', () => {
    const t = parsePgTargetUrl('postgres://ck:p%40ss%2Fw0rd@db.example.net/ck');
    assert.equal(t.scrub('failed for p@ss/w0rd and p%40ss%2Fw0rd'), 'failed for *** and ***');
    assert.equal(parsePgTargetUrl('postgres://ck@db.example.net/ck').scrub('no password here'), 'no password here');
  });

  test('a URL that is not postgres://, does not parse, or names no database is one line that does not echo it', () => {
    for (const [url, msg] of [
      ['mysql://root:s3cr3t@h/db', /must be a postgres:\/\/ URL, not mysql:\/\//],
      ['postgres://root:s3cr3t@[h/db', /not a URL/],
      ['s3cr3t', /not a URL/],
      ['postgres://root:s3cr3t@h/', /names no database/],
    ] as const) {
      assert.throws(() => parsePgTargetUrl(url), (e: unknown) => isAppError(e, 'INPUT.INVALID') && msg.test(e.message) && !e.message.includes('s3cr3t') && !e.message.includes('\n'));
    }
  });
});
