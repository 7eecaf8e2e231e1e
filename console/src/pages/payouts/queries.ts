// The merchant's payout batches, server state: the list, one batch (asked again while its
// payments are in process, so their status follows without reloading) and its submission.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { PayoutBatch } from './types.ts';

/** How often a batch in process is asked again: the settlement worker and the bank's answer move it. */
export const BATCH_POLL_MS = 5000;

const inProcess = (batch: PayoutBatch | undefined) => batch?.state === 'submitted';

export function usePayoutBatches() {
  return useQuery({
    queryKey: ['payout-batches'],
    queryFn: async () => (await api<{ data: PayoutBatch[] }>('GET', '/console/api/payout-batches')).data,
    refetchInterval: (query) => (query.state.data?.some(inProcess) ? BATCH_POLL_MS : false),
  });
}

/** The batch pending upload (at most one), where uploaded payments go. */
export function usePendingBatch() {
  return useQuery({
    queryKey: ['payout-batches', 'pending'],
    queryFn: async () => (await api<{ data: PayoutBatch[] }>('GET', '/console/api/payout-batches?state=pending_upload&limit=1')).data[0] ?? null,
  });
}

export function usePayoutBatch(id: string) {
  return useQuery({
    queryKey: ['payout-batch', id],
    queryFn: async () => (await api<{ batch: PayoutBatch }>('GET', `/console/api/payout-batches/${encodeURIComponent(id)}`)).batch,
    refetchInterval: (query) => (inProcess(query.state.data) ? BATCH_POLL_MS : false),
  });
}

export function useSubmitBatch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => (await api<{ batch: PayoutBatch }>('POST', `/console/api/payout-batches/${encodeURIComponent(id)}/submit`)).batch,
    onSuccess: (batch) => {
      client.setQueryData(['payout-batch', batch.id], batch);
      for (const key of ['payout-batches', 'me', 'wallet', 'movements']) void client.invalidateQueries({ queryKey: [key] });
    },
  });
}

/** After an upload: the lists and the pending batch are asked again. */
export function useUploaded() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['payout-batches'] });
    void client.invalidateQueries({ queryKey: ['payout-batch'] });
  };
}
