// What every service call needs: the store, the configuration, the clock and the keyring.
import type { Config } from './config.ts';
import type { Store } from '../store/db.ts';
import type { Clock } from './clock.ts';
import type { Keyring } from './secrets.ts';

export interface Ctx {
  store: Store;
  config: Config;
  clock: Clock;
  keys: Keyring;
}
