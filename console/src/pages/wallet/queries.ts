// The wallet's server state: balances and PIN state, movements a page at a time, the payment
// requests addressed to the person (polled, see REQUESTS_POLL_MS), and the changes to them.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { MovementPage, PaymentRequest, Transfer, Wallet, WalletSummary } from '../../lib/types.ts';

/**
 * New payment requests show up without reloading by asking every few seconds while the page is
 * open and visible (TanStack Query pauses in a hidden tab). The server's event stream is per
 * merchant app, not per person; one indexed query every few seconds is cheaper than a stream
 * per open console, and needs nothing more from a proxy.
 */
export const REQUESTS_POLL_MS = 3000;

export function useWallet() {
  return useQuery({ queryKey: ['wallet'], queryFn: () => api<WalletSummary>('GET', '/console/api/wallet') });
}

export function usePaymentRequests() {
  return useQuery({
    queryKey: ['payment-requests'],
    queryFn: async () => (await api<{ data: PaymentRequest[] }>('GET', '/console/api/payment-requests')).data,
    refetchInterval: REQUESTS_POLL_MS,
  });
}

export function useMovements(pageSize: number) {
  return useInfiniteQuery({
    queryKey: ['movements', pageSize],
    queryFn: ({ pageParam }) =>
      api<MovementPage>('GET', `/console/api/movements?limit=${pageSize}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** After money moved: balances (here and on the home page), movements and requests again. */
function moneyMoved(client: QueryClient): void {
  for (const key of ['wallet', 'movements', 'payment-requests', 'me']) void client.invalidateQueries({ queryKey: [key] });
}

/** A paid or declined request leaves the list at once, before the list is asked for again. */
function settled(client: QueryClient, id: string): void {
  client.setQueryData<PaymentRequest[]>(['payment-requests'], (list) => list?.filter((r) => r.id !== id));
}

export function usePayRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, pin }: { id: string; pin: string }) =>
      api<{ id: string }>('POST', `/console/api/payment-requests/${encodeURIComponent(id)}/pay`, { pin }),
    onSuccess: ({ id }) => {
      settled(client, id);
      moneyMoved(client);
    },
  });
}

export function useRejectRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, pin }: { id: string; pin: string }) =>
      api<{ id: string }>('POST', `/console/api/payment-requests/${encodeURIComponent(id)}/reject`, { pin }),
    onSuccess: ({ id }) => {
      settled(client, id);
      void client.invalidateQueries({ queryKey: ['payment-requests'] });
    },
  });
}

export function useSendMoney() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ idempotencyKey, ...body }: { to: string; amount: string; currency: string; pin: string; description?: string; idempotencyKey: string }) =>
      api<Transfer>('POST', '/console/api/transfers', body, { headers: { 'x-idempotency-key': idempotencyKey } }),
    onSuccess: () => moneyMoved(client),
  });
}

export function useSetPin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { password: string; pin: string }) => api<void>('PUT', '/console/api/pin', body),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['wallet'] }),
  });
}

export function useTopUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { amount: string; currency: string }) => api<Wallet>('POST', '/console/api/sandbox/top-up', body),
    onSuccess: () => moneyMoved(client),
  });
}
