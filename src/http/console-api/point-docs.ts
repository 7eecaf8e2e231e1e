// The console's POS terminal operations in the OpenAPI document (tag "console").
import { Doc, type OperationDoc } from '../shared/api-docs.ts';
import { created, ok } from './docs-schemas.ts';

const { str, nullable, list, obj, instant } = Doc;

const Store = obj({ id: str(), name: str(), externalId: nullable(str()), createdAt: instant() });
const Till = obj({ id: str(), storeId: str(), name: str(), externalPosId: str('The till’s id for the integrator (external_pos_id)'), createdAt: instant() });
const Device = obj({
  id: str('MODEL__SERIAL'),
  model: str(),
  status: str('linked, or unlinked after DELETE'),
  operatingMode: str('PDV or STANDALONE'),
  tillId: nullable(str()),
  storeId: nullable(str()),
  externalPosId: nullable(str()),
  linkedAt: nullable(instant()),
});
const storeExample = { id: '0190d2a4-0000-7000-8000-000000000001', name: 'Tienda Centro', externalId: null, createdAt: '2026-01-05T19:40:25.125Z' };
const tillExample = {
  id: '0190d2a4-0000-7000-8000-000000000002',
  storeId: storeExample.id,
  name: 'Caja 1',
  externalPosId: 'CAJA1',
  createdAt: storeExample.createdAt,
};
const deviceExample = {
  id: 'PASARELA_VIRTUAL__SMARTPOS4821930475',
  model: 'PASARELA_VIRTUAL',
  status: 'linked',
  operatingMode: 'STANDALONE',
  tillId: tillExample.id,
  storeId: storeExample.id,
  externalPosId: 'CAJA1',
  linkedAt: storeExample.createdAt,
};

export const consolePointOperations: Record<string, OperationDoc> = {
  'GET /console/api/point': {
    summary: 'Stores, tills and terminals',
    description: 'The merchant’s stores (tiendas), tills (cajas) and linked POS terminals.',
    answers: ok('Everything POS of the merchant.', obj({ stores: list(Store), tills: list(Till), devices: list(Device) }), {
      stores: [storeExample],
      tills: [tillExample],
      devices: [deviceExample],
    }),
  },
  'POST /console/api/point/stores': {
    summary: 'Add a store',
    description: 'A store (tienda) where tills stand.',
    answers: created('The store.', Store, storeExample),
    bodyExample: { name: 'Tienda Centro' },
  },
  'POST /console/api/point/tills': {
    summary: 'Add a till',
    description: 'A till (caja) of one of the merchant’s stores; `externalPosId` is unique per merchant (letters, digits, `_`, `-`).',
    answers: created('The till.', Till, tillExample),
    bodyExample: { storeId: storeExample.id, name: 'Caja 1', externalPosId: 'CAJA1' },
  },
  'POST /console/api/point/devices': {
    summary: 'Link a terminal',
    description:
      'The pairing code the terminal shows (`POST /point/device/register`), and the till it stands at. The terminal then collects its credential (`POST /point/device/activate`). It starts in STANDALONE mode; the integrator switches it to PDV. An unknown or expired code is refused.',
    answers: created('The linked terminal.', Device, deviceExample),
    bodyExample: { pairingCode: 'K7PM2QXA', tillId: tillExample.id },
  },
  'DELETE /console/api/point/devices/:id': {
    summary: 'Unlink a terminal',
    description: 'Its waiting intent (OPEN or taken) is cancelled and its credential stops working at once; to use it again it registers anew.',
    answers: ok('The terminal, unlinked.', Device, { ...deviceExample, status: 'unlinked', tillId: null, storeId: null, externalPosId: null }),
  },
};
