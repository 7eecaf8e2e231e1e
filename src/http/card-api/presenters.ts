// Models → the card family's JSON: amounts as JSON numbers in major units, dates in ISO 8601,
// ids as integers; a card shows its first six and last four digits only.
import { amountAsJsonNumber } from '../../kernel/money.ts';
import { TEST_USER_SITES, type TestUserSite, type UserRow } from '../../modules/identity/index.ts';
import {
  brandById,
  BRANDS,
  IDENTIFICATION_TYPES,
  type CardPayment,
  type CardRefund,
  type CardToken,
  type Customer,
  type CustomerCardRow,
} from '../../modules/cards/index.ts';
import { iso, isoOrNull } from '../../kernel/instants.ts';

export function cardTokenWire(token: CardToken) {
  return {
    id: token.id,
    first_six_digits: token.firstSixDigits,
    last_four_digits: token.lastFourDigits,
    expiration_month: token.expirationMonth,
    expiration_year: token.expirationYear,
    cardholder: { name: token.cardholder.name, identification: token.cardholder.identification ?? {} },
    status: token.status,
    date_created: iso(token.createdAt),
    date_last_updated: iso(token.createdAt),
    date_due: iso(token.expiresAt),
    luhn_validation: true,
    live_mode: token.liveMode,
    require_esc: false,
    card_number_length: token.cardNumberLength,
    security_code_length: token.securityCodeLength,
    payment_method_id: token.paymentMethodId,
  };
}

export function cardPaymentWire({ row, currency }: CardPayment) {
  const money = (minor: number) => amountAsJsonNumber(minor, currency);
  const net = row.captured_minor - row.fee_minor;
  return {
    id: row.id,
    date_created: iso(row.created_at),
    date_approved: isoOrNull(row.approved_at),
    date_last_updated: iso(row.updated_at),
    operation_type: 'regular_payment',
    payment_method_id: row.payment_method_id,
    payment_type_id: row.payment_type_id,
    status: row.status,
    status_detail: row.status_detail,
    currency_id: currency,
    description: row.description,
    live_mode: row.live_mode === 1,
    collector_id: row.collector_user_id,
    payer: JSON.parse(row.payer) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    // A capture of less than was authorized is what the payment is for from then on.
    transaction_amount: money(row.captured_minor || row.amount_minor),
    transaction_amount_refunded: money(row.refunded_minor),
    captured: row.status === 'approved' || row.status === 'refunded',
    installments: row.installments,
    transaction_details: {
      net_received_amount: money(Math.max(0, net)),
      total_paid_amount: money(row.captured_minor || row.amount_minor),
      installment_amount: money(Math.floor((row.captured_minor || row.amount_minor) / row.installments)),
    },
    fee_details: row.fee_minor > 0 ? [{ type: 'application_fee', amount: money(row.fee_minor), fee_payer: 'collector' }] : [],
    card: JSON.parse(row.card) as Record<string, unknown>,
    external_reference: row.external_reference,
    notification_url: row.notification_url,
    statement_descriptor: row.statement_descriptor,
    binary_mode: false,
    // Only a payment taken at a POS terminal says where (its device, store and till).
    ...(row.point_of_interaction ? { point_of_interaction: JSON.parse(row.point_of_interaction) as Record<string, unknown> } : {}),
  };
}

export function cardRefundWire({ row, currency }: CardRefund) {
  return {
    id: row.id,
    payment_id: row.payment_id,
    amount: amountAsJsonNumber(row.amount_minor, currency),
    status: 'approved',
    date_created: iso(row.created_at),
    source: { type: 'collector' },
    unique_sequence_number: null,
  };
}

export function paymentMethodsWire() {
  return BRANDS.map((b) => ({
    id: b.id,
    name: b.name,
    payment_type_id: b.paymentTypeId,
    status: 'active',
    secure_thumbnail: '',
    thumbnail: '',
    deferred_capture: 'supported',
    settings: [
      {
        card_number: { validation: 'standard', length: Math.max(...b.lengths) },
        bin: { pattern: b.binPattern, installments_pattern: b.binPattern, exclusion_pattern: null },
        security_code: { length: b.securityCodeLength, card_location: b.securityCodeLocation, mode: 'mandatory' },
      },
    ],
    additional_info_needed: ['cardholder_name', 'cardholder_identification_type', 'cardholder_identification_number'],
    min_allowed_amount: 0.01,
    max_allowed_amount: 1_000_000_000,
    accreditation_time: 0,
    financial_institutions: [],
    processing_modes: ['aggregator'],
  }));
}

export function identificationTypesWire() {
  return IDENTIFICATION_TYPES.map((t) => ({ id: t.id, name: t.name, type: t.type, min_length: t.minLength, max_length: t.maxLength }));
}

/** The seller behind a token, as `GET /users/me` shows it. */
export function sellerWire(user: UserRow, liveMode: boolean) {
  const [first, ...rest] = user.name.split(' ');
  // A test user belongs to the site it was made for; everyone else to the platform's own.
  const site: TestUserSite = (user.test_site_id as TestUserSite | null) ?? 'MLV';
  return {
    id: user.id,
    nickname: user.username,
    email: user.email,
    first_name: first ?? '',
    last_name: rest.join(' '),
    site_id: site,
    country_id: TEST_USER_SITES[site].country,
    user_type: user.type === 'business' ? 'business' : 'normal',
    registration_date: iso(user.created_at),
    status: { site_status: 'active' },
    test_user: user.is_test === 1,
    live_mode: liveMode,
  };
}

export function customerCardWire(card: CustomerCardRow) {
  const brand = brandById(card.payment_method_id);
  return {
    id: card.id,
    customer_id: card.customer_id,
    expiration_month: card.expiration_month,
    expiration_year: card.expiration_year,
    first_six_digits: card.first_six_digits,
    last_four_digits: card.last_four_digits,
    payment_method: { id: card.payment_method_id, name: brand?.name ?? card.payment_method_id, payment_type_id: card.payment_type_id },
    security_code: { length: card.security_code_length, card_location: brand?.securityCodeLocation ?? 'back' },
    issuer: { id: null, name: brand?.name ?? card.payment_method_id },
    cardholder: {
      name: card.cardholder_name,
      identification: card.identification_type ? { type: card.identification_type, number: card.identification_number } : {},
    },
    date_created: iso(card.created_at),
    date_last_updated: iso(card.updated_at),
  };
}

export function customerWire({ row, cards }: Customer) {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    phone: JSON.parse(row.phone) as Record<string, unknown>,
    identification: JSON.parse(row.identification) as Record<string, unknown>,
    description: row.description,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    default_card: row.default_card_id,
    cards: cards.map(customerCardWire),
    addresses: [],
    date_created: iso(row.created_at),
    date_last_updated: iso(row.updated_at),
    live_mode: false,
  };
}
