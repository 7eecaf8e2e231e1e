// A value as pg will send it: pg's own conversion (pg/lib/utils, exported by the package but not
// typed), which throws on what pg cannot send. Applied when a statement is made rather than when
// pg writes it: a held insert that fails inside the driver must fail before a COMMIT pipelined
// behind it is written (it would commit without it), and pg would keep a named statement it had
// to close as prepared on that connection.
import { createRequire } from 'node:module';

export const pgValue = (createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown }).prepareValue;
