// The card family's account operations in the OpenAPI document: the seller behind a token,
// tokens (client credentials, the marketplace's authorization code, refresh) and test users.
import { Type } from '@sinclair/typebox';
import { Doc, type OperationDoc } from '../shared/api-docs.ts';

const { str, int, bool, nullable, obj, instant } = Doc;
const json = Doc.answer;

export const cardAccountOperations: Record<string, OperationDoc> = {
  'GET /users/me': {
    summary: 'The seller behind the access token',
    description: 'The account the card SDKs ask about: the seller the token acts for (site MLV, Venezuela; a test user, its own site).',
    answers: json(
      200,
      'The seller.',
      obj({
        id: str(),
        nickname: str(),
        email: nullable(str()),
        first_name: nullable(str()),
        last_name: nullable(str()),
        site_id: str(),
        country_id: str(),
        user_type: str(),
        registration_date: instant(),
        status: obj({ site_status: str() }),
        test_user: bool(),
        live_mode: bool(),
      }),
      {
        id: 'ce4c0730-062d-4d1e-a753-ddd60fe23ebb',
        nickname: 'pepitos-house',
        email: 'pepitos@example.com',
        first_name: 'Pepitos',
        last_name: 'House',
        site_id: 'MLV',
        country_id: 'VE',
        user_type: 'business',
        registration_date: '2026-01-05T19:40:53.180Z',
        status: { site_status: 'active' },
        test_user: false,
        live_mode: false,
      },
    ),
  },
  'POST /oauth/token': {
    summary: 'Obtain or refresh an access token',
    description:
      'Grants: `client_credentials` (the app acts for its owner), `authorization_code` (a seller approved the app on the consent page at `/authorization?client_id=…&response_type=code&redirect_uri=…&state=…`; the code is single use, valid 10 minutes, and `redirect_uri` must be the one it was issued for) and `refresh_token` (rotating). Tokens act for `user_id`: payments made with them are collected by that seller. The client may authenticate with HTTP Basic. Errors carry the OAuth code in `error`: `invalid_client` (401), `invalid_grant`, `invalid_request`, `unsupported_grant_type` (400).',
    security: [],
    answers: json(
      200,
      'The tokens and whom they act for.',
      obj({
        access_token: str(),
        token_type: Type.Literal('bearer'),
        expires_in: int('Seconds', 3600),
        scope: str(),
        user_id: str('The seller the tokens act for'),
        refresh_token: str(),
        public_key: str('The app’s public key, for card tokens in the browser'),
        live_mode: bool(),
      }),
      {
        access_token: 'TEST-sDHEZO0C44e2X4EZDAaeY-m7HCRsdYR8Jfh0c6UZ1rU',
        token_type: 'bearer',
        expires_in: 3600,
        scope: 'offline_access payments read write',
        user_id: 'ce4c0730-062d-4d1e-a753-ddd60fe23ebb',
        refresh_token: 'TEST-w49XddA01V5SjUy6_99dcsORxcRWvd0SDpDprMfwsCo',
        public_key: 'TEST-1d96f5e1-8abb-4ba7-98c0-1caafa1894e5',
        live_mode: false,
      },
    ),
    bodyExample: {
      grant_type: 'authorization_code',
      client_id: 'd8755d0d2d2cc979c83453ee228c4e88',
      client_secret: '87DTsddzKqBnZN4_THeTjCnKAuZTcwvesNFhlQqtvHg',
      code: 'TG-2Ck0vLq3w4cW9ZQfG8bK1xY7pN5sR6tU',
      redirect_uri: 'https://integrador.example/mp/callback',
    },
    errors: [401, 429],
  },
  'POST /users/test_user': {
    summary: 'Create a test user (sandbox)',
    description:
      'A test user of a site of Latin America (MLA ARS, MLB BRL, MLM MXN, MCO COP, MLC CLP, MPE PEN, MLU UYU, MLV VES): it signs in with `nickname` and `password` (shown once) and has a wallet in the site’s currency. At most 10 alive per account; one idle for 60 days expires. Test users and real users never pay each other (400, cause 145). Production answers 403.',
    answers: json(201, 'The test user.', obj({ id: str(), nickname: str(), password: str('Shown once'), site_status: str(), site_id: str(), email: str() }), {
      id: '6a1f0b8e-7c55-4a43-9d51-2f0d7c3e9b11',
      nickname: 'test_user_7127491214',
      password: 'x8Jq2LmN0pQr',
      site_status: 'active',
      site_id: 'MLA',
      email: 'test_user_7127491214@testuser.com',
    }),
    bodyExample: { site_id: 'MLA' },
    errors: [403],
  },
};
