import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from '../../src/db/migrate';
import { createPrismaClient } from '../../src/db/prisma';
import { seedReferenceData } from '../../src/db/seed';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { formatIsoDate } from '../../src/calendar/dates';
import { wallClockAt } from '../../src/calendar/zoned';
import { readTestState } from '../setup/state';

const TEMPLATE = 'pis_test_template';

function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL ?? readTestState()?.pgAdminUrl;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests through jest so global setup starts PostgreSQL');
  return url;
}

function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrated and seeded once per run, then copied for each suite (CREATE DATABASE … TEMPLATE). */
async function ensureTemplate(): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(424242)');
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (exists.rowCount) return;
      await admin.query(`CREATE DATABASE "${TEMPLATE}_wip"`);
      const url = urlFor(`${TEMPLATE}_wip`);
      await applyMigrations(url);
      const prisma = createPrismaClient(url);
      try {
        await seedReferenceData(prisma);
      } finally {
        await prisma.$disconnect();
      }
      await admin.query(`ALTER DATABASE "${TEMPLATE}_wip" RENAME TO "${TEMPLATE}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(424242)');
    }
  });
}

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

/**
 * Suites on the real clock run at any hour. With every office closed today and tomorrow (Rome
 * dates, as extra closures), a handover computed now is always in the future, as the tests that
 * wait for it or move it expect, whether CI runs at night or during office hours.
 */
async function closeOfficesTodayAndTomorrow(prisma: PrismaClient, now = Date.now()): Promise<void> {
  const dates: string[] = [0, 1].map((days) => formatIsoDate(wallClockAt(now + days * 86_400_000, 'Europe/Rome')));
  for (const comune of await prisma.comune.findMany({ select: { code: true, calendar: true } })) {
    const calendar = comune.calendar as { extraClosures?: Array<{ date: string; reason: string }> };
    const extraClosures = [
      ...(calendar.extraClosures ?? []).filter((c) => !dates.includes(c.date)),
      ...dates.map((date) => ({ date, reason: 'Chiusura di prova (test sul tempo reale)' })),
    ];
    await prisma.comune.update({ where: { code: comune.code }, data: { calendar: { ...calendar, extraClosures } } });
  }
}

/**
 * A fresh, migrated and seeded database for one suite. `realClock` (the default): the suite runs
 * on the wall clock, so the offices are closed today and tomorrow (see above); time-skipping
 * suites pass false and keep the seeded calendars as they are.
 */
export async function createTestDatabase(prefix = 'suite', opts: { realClock?: boolean } = {}): Promise<TestDatabase> {
  await ensureTemplate();
  const name = `${prefix.replace(/[^a-z0-9_]/g, '_')}_${randomUUID().slice(0, 8)}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`));
  const url = urlFor(name);
  const prisma = createPrismaClient(url);
  if (opts.realClock !== false) await closeOfficesTodayAndTomorrow(prisma);
  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
