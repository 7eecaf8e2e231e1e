// Expected business outcomes that stop a use case: one closed list with stable codes. A
// service refuses with `refuse({ code, … })`; the command's transaction rolls back, and each
// wire family maps every code with an exhaustive switch to its own error shape (the wallet
// family's Spanish "Validation Failed" tree, the card family's status_detail / cause codes).
// Adding a code here fails compilation in every family until it says how to answer it.
// Only a broken invariant throws anything else (InvariantError).

export type IntentOperation = 'approve' | 'execute_sale' | 'execute_request' | 'pay_in_wallet';

/** What a caller tried to do with a POS intent (its state did not allow it). */
export type PointIntentAction = 'cancel' | 'take' | 'pay' | 'confirm';

/** The input field a refusal is about, in the use case's own input names (e.g. ['pin']). */
export type FieldPath = readonly string[];

/** Who could not be found: a request's recipient, a transaction's destination, an account. */
export type UnknownPartyRole = 'recipient' | 'destination' | 'account';

/** Every refusal may name the input field it is about; a wire family may place it there. */
export type Refusal = RefusalCase & { field?: FieldPath };

type RefusalCase =
  // money
  | { code: 'insufficient_funds'; operation?: 'payment' }
  /** The account's balance would leave the exact range (MAX_BALANCE_MINOR). */
  | { code: 'balance_limit' }
  | { code: 'same_account' }
  // identity and PIN
  | { code: 'pin_not_set' }
  | { code: 'pin_wrong' }
  | { code: 'password_wrong' }
  | { code: 'already_registered' }
  | { code: 'pin_locked' }
  /** Too many failed password checks for this person from this source: wait `retryAfterSeconds`. */
  | { code: 'too_many_attempts'; retryAfterSeconds?: number }
  | { code: 'sandbox_only' }
  /** Production without a mail server (SMTP_URL) cannot send a password reset link. */
  | { code: 'mail_unavailable' }
  /** The password reset link does not exist, was used, or expired. */
  | { code: 'reset_link_invalid' }
  /** The sandbox helpers act only for test users (the demo buyers), never a real person. */
  | { code: 'test_user_required' }
  | { code: 'operator_has_no_wallet' }
  /** An account keeps at most `max` test users alive at once. */
  | { code: 'test_users_limit'; max: number }
  /** A test user idle for 60 days has expired. */
  | { code: 'test_user_expired' }
  /** A payment between a test user and a real user. */
  | { code: 'test_and_real_users' }
  | { code: 'business_account_required' }
  /** The operator locked the account: no sign-in until it is unlocked. */
  | { code: 'account_locked' }
  /** The operator's own account is never locked (nobody could unlock it). */
  | { code: 'operator_not_lockable' }
  // apps
  | { code: 'app_already_active' }
  | { code: 'permission_missing'; permission: 'payment_button' | 'billing_api' }
  | { code: 'permissions_by_operator' }
  /** The operator decides only what is waiting: a request already decided, withdrawn or never made. */
  | { code: 'request_not_pending' }
  /** A permission the app already has is not asked for. */
  | { code: 'permission_already_enabled' }
  /** Tokens per client and window (TOKEN_RATE_LIMIT): wait `retryAfterSeconds`. */
  | { code: 'token_rate_limited'; max: number; windowSeconds: number; retryAfterSeconds: number }
  // payment intents
  | { code: 'intent_executed' }
  | { code: 'intent_annulled' }
  | { code: 'intent_rejected' }
  | { code: 'intent_expired' }
  | { code: 'intent_not_approved' }
  | { code: 'intent_not_payable' }
  | { code: 'intent_wrong_type'; operation: IntentOperation }
  | { code: 'intent_other_payer' }
  | { code: 'intent_for_other_user' }
  | { code: 'own_intent' }
  | { code: 'own_account' }
  | { code: 'request_to_self' }
  | { code: 'unknown_party'; role: UnknownPartyRole }
  | { code: 'pay_token_invalid' }
  /** A sale executed for someone other than the buyer who approved it. */
  | { code: 'payer_not_approver' }
  | { code: 'operator_cannot_pay' }
  | { code: 'distributions_disabled' }
  | { code: 'distribution_unauthorized' }
  | { code: 'fee_exceeds_amount' }
  | { code: 'already_annulled' }
  | { code: 'annul_window_passed' }
  | { code: 'not_executed' }
  | { code: 'funds_moved' }
  // payouts
  | { code: 'batch_full'; maxItems: number }
  | { code: 'batch_total_exceeded' }
  | { code: 'batch_already_submitted' }
  | { code: 'batch_empty' }
  | { code: 'batch_not_submitted' }
  // ledger holds (authorize now, capture or void later)
  | { code: 'hold_already_posted' }
  | { code: 'hold_already_voided' }
  | { code: 'hold_expired' }
  | { code: 'hold_amount_exceeded' }
  // card payments
  /** The card token does not exist for this app, was used already, or expired. */
  | { code: 'card_token_invalid' }
  /** No card processor is configured (production without an adapter). */
  | { code: 'card_processor_missing' }
  /** The processor declined a capture, cancellation or refund (`reason`: its words). */
  | { code: 'card_processor_declined'; action: 'capture' | 'cancel' | 'refund'; reason: string }
  /** The payment method named is not the card's brand. */
  | { code: 'payment_method_mismatch' }
  /** The card's payment method does not take this many installments (a debit card takes one). */
  | { code: 'installments_invalid'; allowed: number }
  /** The action is not valid in the payment's current state (capture of a captured one, …). */
  | { code: 'card_payment_state'; action: 'capture' | 'cancel' | 'refund' }
  /** More than was authorized (capture) or than is left to refund. */
  | { code: 'card_amount_exceeded'; action: 'capture' | 'refund' }
  /** The seller already has a customer with this email. */
  | { code: 'customer_exists' }
  // POS terminals (Point)
  /** The terminal already has an intent that is not finished (one at a time). */
  | { code: 'point_device_busy' }
  /** The terminal is in STANDALONE mode: only a PDV terminal takes intents from the API. */
  | { code: 'point_device_standalone' }
  /** The terminal is not linked to an account (yet, or any more). */
  | { code: 'point_device_not_linked' }
  /** No terminal waits to be linked with this pairing code (or it expired). */
  | { code: 'point_pairing_code_invalid' }
  /** The action is not valid in the intent's current state (cancel once taken, take twice, …). */
  | { code: 'point_intent_state'; action: PointIntentAction; state: string }
  // webhooks
  | { code: 'too_many_endpoints'; maxEndpoints: number }
  | { code: 'delivery_in_flight' }
  // commands
  | { code: 'idempotency_key_reused' };

export type RefusalCode = Refusal['code'];

/** A use case refused: thrown so the transaction rolls back, answered by the wire family. */
export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
    this.name = 'Refused';
  }
  get code(): RefusalCode {
    return this.refusal.code;
  }
}

export function refuse(refusal: Refusal): never {
  throw new Refused(refusal);
}

export function isRefused(error: unknown, code?: RefusalCode): error is Refused {
  return error instanceof Refused && (code === undefined || error.refusal.code === code);
}
