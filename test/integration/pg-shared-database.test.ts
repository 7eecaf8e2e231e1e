// Several deployments (or test runs) share one PostgreSQL database, each in its own schema. The
// migrator's check for its own tables read every schema's catalog and failed ("relation … does
// not exist") when another schema was dropped at that moment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openTestPlatform, PG_URL, postgresAvailable } from '../helpers.ts';

const reason = 'needs PostgreSQL (DATABASE_URL or the local server)';

test('introspection sees the schema in use only', async (t) => {
  if (!(await postgresAvailable())) return t.skip(reason);
  const platform = await openTestPlatform({ backend: 'postgres' });
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const other = `t_other_${process.pid}`;
  try {
    await admin.query(`create schema ${other}`);
    await admin.query(`create table ${other}.stranger (id serial primary key)`);
    const tables = await platform.ctx.store.db.introspection.getTables({ withInternalKyselyTables: true });
    const schemas = new Set(tables.map((table) => table.schema));
    assert.deepEqual([...schemas], [platform.env.DATABASE_SCHEMA]);
    assert.ok(
      tables.some((table) => table.name === 'kysely_migration'),
      'its own migration table is listed',
    );
    assert.ok(!tables.some((table) => table.name === 'stranger'));
  } finally {
    await admin.query(`drop schema if exists ${other} cascade`);
    await admin.end();
    await platform.close();
  }
});

test('a deployment migrates while other schemas are created and dropped around it', async (t) => {
  if (!(await postgresAvailable())) return t.skip(reason);
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  let churning = true;
  const churn = (async () => {
    for (let i = 0; churning; i++) {
      const name = `t_churn_${process.pid}_${i}`;
      await admin.query(`create schema ${name}; create table ${name}.a (id serial primary key, b text); create table ${name}.c (id serial primary key)`);
      await admin.query(`drop schema ${name} cascade`);
    }
  })();
  try {
    for (let i = 0; i < 3; i++) {
      const platform = await openTestPlatform({ backend: 'postgres' });
      await platform.close();
    }
  } finally {
    churning = false;
    await churn;
    await admin.end();
  }
});
