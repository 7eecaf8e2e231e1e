// The operator's server state: requests, users, affiliation codes, fees, the ledger check and
// payout batches, and the changes to them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { App } from '../../lib/types.ts';
import type { AdminUser, AffiliationCode, BankAnswerReport, FeeRule, LedgerVerification, OperatorBatch, PendingRequest, RequestSubject } from './types.ts';

const enc = encodeURIComponent;

export function usePendingRequests() {
  return useQuery({
    queryKey: ['operator', 'requests'],
    queryFn: async () => (await api<{ data: PendingRequest[] }>('GET', '/console/api/operator/requests')).data,
  });
}

/** Approve or reject (with a reason) one request; the list is read again either way. */
export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ appId, subject, approve, reason }: { appId: string; subject: RequestSubject; approve: boolean; reason?: string }) => {
      const app = `/console/api/operator/apps/${enc(appId)}`;
      if (subject === 'activation')
        return api<{ app: App }>('POST', approve ? `${app}/activate` : `${app}/activation/reject`, approve ? undefined : { reason });
      return api<{ app: App }>('POST', `${app}/permission-requests/${enc(subject)}/${approve ? 'approve' : 'reject'}`, approve ? undefined : { reason });
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['operator', 'requests'] }),
  });
}

export function useUsers(q: string) {
  return useQuery({
    queryKey: ['operator', 'users', q],
    queryFn: async () => (await api<{ data: AdminUser[] }>('GET', `/console/api/operator/users?q=${enc(q)}`)).data,
  });
}

export function useLock() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, lock }: { id: string; lock: boolean }) =>
      api<{ user: AdminUser }>('POST', `/console/api/operator/users/${enc(id)}/${lock ? 'lock' : 'unlock'}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['operator', 'users'] }),
  });
}

export function useAffiliationCodes() {
  return useQuery({
    queryKey: ['operator', 'codes'],
    queryFn: async () => (await api<{ data: AffiliationCode[] }>('GET', '/console/api/operator/affiliation-codes')).data,
  });
}

export function useIssueCodes() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ regular: string; commercial: string }>('POST', '/console/api/operator/affiliation-codes'),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['operator', 'codes'] }),
  });
}

export function useFees() {
  return useQuery({ queryKey: ['operator', 'fees'], queryFn: async () => (await api<{ data: FeeRule[] }>('GET', '/console/api/operator/fees')).data });
}

export function useSetFee() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (rule: FeeRule) => api<FeeRule>('PUT', '/console/api/operator/fees', rule),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['operator', 'fees'] }),
  });
}

export function useLastVerification() {
  return useQuery({
    queryKey: ['operator', 'ledger'],
    queryFn: async () => (await api<{ verification: LedgerVerification | null }>('GET', '/console/api/operator/ledger/verification')).verification,
  });
}

export function useVerifyLedger() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => (await api<{ verification: LedgerVerification }>('POST', '/console/api/operator/ledger/verification')).verification,
    onSuccess: (verification) => client.setQueryData(['operator', 'ledger'], verification),
  });
}

export function useOperatorBatches(state: string) {
  return useQuery({
    queryKey: ['operator', 'batches', state],
    queryFn: async () =>
      (await api<{ data: OperatorBatch[] }>('GET', `/console/api/operator/payout-batches?limit=100${state ? `&state=${enc(state)}` : ''}`)).data,
  });
}

export function useImportBankAnswer(batchId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (csv: string) => api<BankAnswerReport>('POST', `/console/api/operator/payout-batches/${enc(batchId)}/bank-answer`, { csv }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['operator', 'batches'] }),
  });
}

/** A plain link downloads it: a GET needs no CSRF token, and the cookie goes along. */
export function bankFileUrl(batchId: string): string {
  return `/console/api/operator/payout-batches/${enc(batchId)}/bank-file.csv`;
}
