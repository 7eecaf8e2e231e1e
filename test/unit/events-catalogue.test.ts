// The event catalogue is the one list of event types: the README's table is checked against it,
// and an event type outside it does not compile (checked by `npm run typecheck`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EVENT_CATALOGUE, EVENT_TYPES, isEventType, type EventInput } from '../../src/modules/events/index.ts';

export function eventTable(): string {
  const rows = EVENT_TYPES.map((type) => `| \`${type}\` | ${EVENT_CATALOGUE[type].object} | ${EVENT_CATALOGUE[type].summary} |`);
  return ['| type | object | when |', '|---|---|---|', ...rows].join('\n');
}

/** A Markdown table as its cells, whatever the padding a formatter gives its columns. */
function normalized(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, '|')
        .replace(/\|-+(?=\|)/g, '|-'),
    )
    .join('\n');
}

test('the README lists exactly the catalogue’s event types', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.ok(
    normalized(readme).includes(normalized(eventTable())),
    `README.md must contain this table (generated from src/modules/events/catalogue.ts):\n\n${eventTable()}\n`,
  );
});

test('every catalogue type names its object and is recognised; others are not', () => {
  for (const type of EVENT_TYPES) {
    assert.ok(isEventType(type));
    assert.equal(type.slice(0, type.indexOf('.')), EVENT_CATALOGUE[type].object, `${type} is about a ${EVENT_CATALOGUE[type].object}`);
  }
  for (const other of ['payment.deleted', 'paymnt.created', '*', 'toString', '__proto__']) assert.equal(isEventType(other), false, other);
});

test('an event outside the catalogue does not type-check', () => {
  // @ts-expect-error — 'payment.deleted' is not in the catalogue
  const wrong: EventInput = { type: 'payment.deleted', objectId: 'x', ownerUserId: null, payload: {} };
  assert.equal(isEventType(wrong.type), false);
});
