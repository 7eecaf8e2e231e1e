// What the operator's pages read from the console API (src/http/console-api/operator-routes.ts).
export type RequestSubject = 'activation' | 'payment_button' | 'billing_api' | 'distributions' | 'payouts';

export interface PendingRequest {
  appId: string;
  appName: string;
  environment: 'sandbox' | 'production';
  subject: RequestSubject;
  requestedAt: string;
  owner: { id: string; username: string; name: string };
}

export interface AppRequest {
  subject: RequestSubject;
  state: 'pending' | 'approved' | 'rejected';
  requestedAt: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface AdminUser {
  id: string;
  type: 'person' | 'business' | 'operator';
  username: string;
  name: string;
  email: string | null;
  phone: string | null;
  identification: string | null;
  createdAt: string;
  locked: boolean;
  lockedAt: string | null;
}

export interface AffiliationCode {
  code: string;
  type: 'regular' | 'commercial';
  createdAt: string;
  usedAt: string | null;
  usedBy: string | null;
}

export interface FeeRule {
  operation: string;
  currency: string;
  percent: string;
  fixed: string;
}

export interface LedgerVerification {
  ok: boolean;
  checkedAt: string;
  durationMs: number;
  total: number;
  problems: { kind: string; id: string; detail: string }[];
}

export interface OperatorBatch {
  id: string;
  state: 'pending_upload' | 'submitted' | 'settled';
  currency: string;
  itemCount: number;
  total: string;
  fee: string;
  totalCharged: string;
  counts: Record<string, number>;
  createdAt: string;
  submittedAt: string | null;
  settledAt: string | null;
  ownerUsername?: string;
}

export interface BankAnswerReport {
  batchId: string;
  lines: number;
  paid: string[];
  failed: string[];
  unchanged: string[];
  unknown: { line: number; ref: string }[];
  /** `code`: the payouts rule that words the message, said in the console's language. */
  rejected: { line: number; ref?: string; message: string; code?: string }[];
  batch: OperatorBatch;
}
