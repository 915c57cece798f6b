import { Client } from 'pg';
import { ensureDatabase } from '../../db/migrate';
import { explainDatabaseError, redactUrl } from '../../scripts/database';
import { freePort } from '../support/global-setup';
import { readTestEnv } from '../support/test-env';

// A wrong DATABASE_URL must come out as one line of advice, not a driver stack trace.

test('connection refused names the address and the way out', async () => {
  const url = `postgresql://app:secret@127.0.0.1:${await freePort()}/salesproc`;
  const client = new Client({ connectionString: url });
  const err = await client.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  const explained = explainDatabaseError(err, url);
  expect(explained.message).toBe(
    `Nothing accepts connections at 127.0.0.1:${new URL(url).port} (DATABASE_URL): start Postgres there, fix the host and port, or unset DATABASE_URL to use the embedded database.`,
  );
  expect(explained.message).not.toContain('secret');
  expect(explained.cause).toBe(err);
});

test('a role without CREATEDB is told to create the database itself (real server)', async () => {
  const admin = new Client({ connectionString: readTestEnv().databaseUrl });
  await admin.connect();
  const role = 'salesproc_ops_nocreatedb';
  try {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    const url = new URL(readTestEnv().databaseUrl);
    url.username = role;
    url.pathname = '/salesproc_ops_never_created';
    const err = await ensureDatabase(url.toString()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(explainDatabaseError(err, url.toString()).message).toMatch(
      new RegExp(`^User "${role}" may not create database "salesproc_ops_never_created" at .*: create it once yourself`),
    );
  } finally {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  }
});

test.each([
  ['28P01', /refused the password of user "app"/],
  ['28000', /does not let user "app" in/],
  ['42501', /may not create database "sales"[^\n]*CREATE DATABASE "sales" OWNER "app"/],
])('Postgres error %s gets its own advice', (code, expected) => {
  const explained = explainDatabaseError(Object.assign(new Error('driver text'), { code }), 'postgresql://app:pw@db.example:6543/sales');
  expect(explained.message).toMatch(expected);
  expect(explained.message).toContain('db.example:6543');
  expect(explained.message).not.toContain('\n');
});

test('anything else keeps the first line of the driver message, without the password', () => {
  const explained = explainDatabaseError(new Error('something odd\nat stack'), 'postgresql://app:pw@h:1/d');
  expect(explained.message).toBe(
    'Cannot use the database postgresql://app:***@h:1/d: something odd — fix DATABASE_URL, or unset DATABASE_URL to use the embedded database.',
  );
  expect(redactUrl('postgresql://u@h/d')).toBe('postgresql://u@h/d');
});
