// The console API's payout answers, as these pages use them.
import type { UploadColumn } from '../../../../src/modules/payouts/model.ts';

export type BatchState = 'pending_upload' | 'submitted' | 'settled';
export type ItemState = 'APPROVED' | 'PROCESSING' | 'PAID' | 'FAILED';

export interface PayoutItem {
  ref: string;
  type: 'DISPERSION' | 'DISPERSION_INSTANT_INTERBANK';
  status: ItemState;
  reference: string;
  nameAccount: string;
  identificationNumber: string;
  bankAccount: string;
  bankCode: string;
  bankName: string;
  currency: string;
  amount: string;
  fee: string;
  failureReason: string | null;
  createdAt: string;
}

export interface PayoutBatch {
  id: string;
  state: BatchState;
  currency: string;
  itemCount: number;
  total: string;
  fee: string;
  totalCharged: string;
  feeIsEstimate: boolean;
  counts: Record<ItemState, number>;
  createdAt: string;
  submittedAt: string | null;
  settledAt: string | null;
  items?: PayoutItem[];
}

export interface UploadProblem {
  line: number;
  field: UploadColumn;
  column: string;
  message: string;
  /** The shared rule's code, when one words the message. */
  code?: string;
}

export interface UploadAnswer {
  batchId: string | null;
  rows: number;
  accepted: number;
  rejected: number;
  errors: UploadProblem[];
}
