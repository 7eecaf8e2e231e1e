// The app's access token, obtained with the keys (`urn:client_apps`) when first needed and
// renewed before it expires with its refresh token — or with the keys again when the refresh
// token is refused. One renewal at a time: the server rotates refresh tokens and treats a
// refresh token used twice as stolen (it revokes the whole family), so concurrent calls that
// find the token stale wait for the same renewal.
import { checkTokenEnvironment, type ApiContext } from './config.ts';
import { PasarelaAuthenticationError } from './errors.ts';
import type { TokenSource, Transport } from './transport.ts';

/** The token endpoint's answer (`POST /oauth/v2/token`). */
export interface TokenAnswer {
  access_token: string;
  expires_in: number;
  token_type: 'bearer';
  scope: string;
  refresh_token: string;
}

interface Held {
  accessToken: string;
  refreshToken: string;
  /** Renew from this instant on (a little before the server's expiry). */
  renewAtMs: number;
}

/** Renew this long before expiry (at most half the token's life). */
const EARLY_MS = 60_000;

export class TokenManager implements TokenSource {
  private held: Held | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly context: ApiContext,
    private readonly transport: Transport,
  ) {}

  current(): Promise<string> {
    const credentials = this.context.credentials;
    if (credentials.kind === 'token') return Promise.resolve(credentials.accessToken);
    if (this.held && Date.now() < this.held.renewAtMs) return Promise.resolve(this.held.accessToken);
    this.pending ??= this.renew().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(token: string): boolean {
    if (this.context.credentials.kind === 'token') return false;
    if (this.held?.accessToken === token) this.held.renewAtMs = 0;
    return true;
  }

  private async renew(): Promise<string> {
    const refreshToken = this.held?.refreshToken;
    if (refreshToken) {
      try {
        return this.keep(await this.grant({ grant_type: 'refresh_token', refresh_token: refreshToken }));
      } catch (error) {
        // Expired, revoked or already used: the keys still get a fresh token.
        if (!(error instanceof PasarelaAuthenticationError && error.code === 'invalid_grant')) throw error;
      }
    }
    return this.keep(await this.grant({ grant_type: 'urn:client_apps' }));
  }

  private async grant(fields: Record<string, string>): Promise<TokenAnswer> {
    const credentials = this.context.credentials;
    if (credentials.kind !== 'keys') throw new Error('Pasarela: no keys to obtain a token with');
    const { body } = await this.transport.request<TokenAnswer>({
      method: 'POST',
      path: '/oauth/v2/token',
      form: { ...fields, client_id: credentials.clientId, client_secret: credentials.clientSecret },
      auth: false,
      // A second token after a lost answer is harmless; a refresh token sent twice is refused
      // and renew() falls back to the keys.
      retry: true,
    });
    if (typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new PasarelaAuthenticationError({ message: 'Pasarela: the token endpoint answered without a token.', body });
    }
    checkTokenEnvironment(body.access_token, this.context.environment);
    return body;
  }

  private keep(answer: TokenAnswer): string {
    const lifeMs = answer.expires_in * 1000;
    this.held = { accessToken: answer.access_token, refreshToken: answer.refresh_token, renewAtMs: Date.now() + lifeMs - Math.min(EARLY_MS, lifeMs / 2) };
    return answer.access_token;
  }
}
