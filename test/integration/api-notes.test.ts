import request from 'supertest';
import { type ApiHarness, bearer, createCase, eventually, startApiHarness } from './api-harness';

/** A note is a mutating request too: a retry with the same Idempotency-Key returns the note it wrote. */

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('notes');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

it('writes one note and one timeline entry for a retried request, and refuses the key for another text', async () => {
  const caseId = await createCase(h);
  const send = (text: string, key?: string) => {
    const r = request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1'));
    return (key === undefined ? r : r.set('Idempotency-Key', key)).send({ text });
  };
  const first = await send('Richiamato il 112: in arrivo', 'note-retry-000001');
  expect(first.status).toBe(201);
  const again = await send('Richiamato il 112: in arrivo', 'note-retry-000001');
  expect(again.status).toBe(201);
  expect((again.body as { note: { id: string } }).note.id).toBe((first.body as { note: { id: string } }).note.id);
  expect(await h.prisma.note.count({ where: { caseId } })).toBe(1);

  const conflict = await send('Un altro testo', 'note-retry-000001');
  expect(conflict.status).toBe(422);
  expect((conflict.body as { code: string }).code).toBe('IDEMPOTENCY_CONFLICT');

  // Without a key every request is a new note.
  expect((await send('Seconda nota')).status).toBe(201);
  expect((await send('Seconda nota')).status).toBe(201);
  expect(await h.prisma.note.count({ where: { caseId } })).toBe(3);

  const noteId = (first.body as { note: { id: string } }).note.id;
  await eventually('the note in the timeline', async () =>
    (await h.prisma.timelineEntry.count({ where: { caseId, kind: 'note_added' } })) === 3 ? true : undefined,
  );
  expect(await h.prisma.timelineEntry.count({ where: { caseId, kind: 'note_added', data: { path: ['noteId'], equals: noteId } } })).toBe(1);
  expect(JSON.stringify(first.body)).not.toContain('idempotencyKey');
});
