// What every service call needs: the store, the configuration, the clock, the keyring and the mailer.
import type { Config } from './config.ts';
import type { Store } from '../store/db.ts';
import type { Clock } from './clock.ts';
import type { Keyring } from './secrets.ts';
import type { Mailer } from './mailer.ts';

export interface Ctx {
  store: Store;
  config: Config;
  clock: Clock;
  keys: Keyring;
  mailer: Mailer;
}
