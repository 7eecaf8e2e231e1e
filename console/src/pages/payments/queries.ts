// The merchant's payments, server state: the filtered list (polled, see INTENTS_POLL_MS), one
// intent, its annulment, and the balance with the daily volume.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { MerchantIntentDetail, MerchantIntentPage, MerchantSummary } from '../../lib/types.ts';

/**
 * A payment made elsewhere (a wallet holder's console, a till) shows up without reloading by
 * asking again every few seconds while the page is visible, as the wallet's payment requests do
 * (see REQUESTS_POLL_MS): one indexed page query, nothing more from a proxy.
 */
export const INTENTS_POLL_MS = 3000;

export interface IntentFilters {
  state: string;
  app: string;
  /** Local calendar days (YYYY-MM-DD), both included. */
  from: string;
  to: string;
  q: string;
  page: number;
}

export const PAGE_SIZE = 20;

/** A local day's start as an instant: the server filters instants, the merchant thinks in days. */
function localMidnight(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export function intentsPath(f: IntentFilters): string {
  const params = new URLSearchParams({ page: String(f.page), limit: String(PAGE_SIZE) });
  if (f.state) params.set('state', f.state);
  if (f.app) params.set('app', f.app);
  if (f.from) params.set('from', localMidnight(f.from));
  if (f.to) params.set('to', localMidnight(f.to, 1));
  if (f.q.trim()) params.set('q', f.q.trim());
  return `/console/api/merchant/intents?${params.toString()}`;
}

export function useMerchantIntents(filters: IntentFilters) {
  return useQuery({
    queryKey: ['merchant-intents', filters],
    queryFn: () => api<MerchantIntentPage>('GET', intentsPath(filters)),
    refetchInterval: INTENTS_POLL_MS,
    // A new filter keeps the old rows on screen until its answer arrives (no flash of "loading").
    placeholderData: keepPreviousData,
  });
}

export function useMerchantSummary() {
  return useQuery({
    queryKey: ['merchant-summary'],
    queryFn: () => api<MerchantSummary>('GET', '/console/api/merchant/summary'),
    refetchInterval: INTENTS_POLL_MS * 5,
  });
}

export function useMerchantIntent(id: string) {
  return useQuery({
    queryKey: ['merchant-intent', id],
    queryFn: () => api<MerchantIntentDetail>('GET', `/console/api/merchant/intents/${encodeURIComponent(id)}`),
    // An open intent may be paid while the page is open; a final one will not change.
    refetchInterval: (query) => (query.state.data && query.state.data.state !== 'created' ? false : INTENTS_POLL_MS),
  });
}

export function useAnnulIntent(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<MerchantIntentDetail>('POST', `/console/api/merchant/intents/${encodeURIComponent(id)}/annul`),
    onSuccess: (detail) => {
      client.setQueryData(['merchant-intent', id], detail);
      for (const key of ['merchant-intents', 'merchant-summary', 'me', 'wallet', 'movements']) void client.invalidateQueries({ queryKey: [key] });
    },
  });
}
