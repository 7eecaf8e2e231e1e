// The token owner's profile (`/api/user/profile.json`): who the app acts for, and its wallets.
import type { Profile as ProfileModel } from '../models.ts';
import { withResponse, type Transport, type WithResponse } from '../transport.ts';

export class Profile {
  constructor(private readonly transport: Transport) {}

  async retrieve(): Promise<WithResponse<ProfileModel>> {
    const { body, meta } = await this.transport.request<ProfileModel>({ method: 'GET', path: '/api/user/profile.json', auth: true, retry: true });
    return withResponse(body, meta);
  }
}
