// An application's webhooks, server state: its endpoints and the changes to them (the signing
// secret is in the answer of a creation or a rotation only, never cached), the delivery log
// (polled, see DELIVERIES_POLL_MS), one delivery with its attempts, and replay.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { DeliveryStatus, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint } from '../../lib/types.ts';

/**
 * Deliveries are made by the server's worker in the background: the log asks again every few
 * seconds while it is open, and a delivery's page while that delivery is still pending.
 */
export const DELIVERIES_POLL_MS = 3000;

const appPath = (appId: string) => `/console/api/apps/${encodeURIComponent(appId)}`;

export function useEndpoints(appId: string) {
  return useQuery({
    queryKey: ['webhooks', appId],
    queryFn: async () => (await api<{ data: WebhookEndpoint[] }>('GET', `${appPath(appId)}/webhooks`)).data,
  });
}

export interface EndpointDraft {
  url: string;
  eventTypes: string[];
  description: string;
}

export function useCreateEndpoint(appId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: EndpointDraft) => api<{ endpoint: WebhookEndpoint; secret: string }>('POST', `${appPath(appId)}/webhooks`, draft),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['webhooks', appId] }),
  });
}

export function useSetEndpointEnabled(appId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      api<{ endpoint: WebhookEndpoint }>('PATCH', `${appPath(appId)}/webhooks/${encodeURIComponent(id)}`, { enabled }),
    onSuccess: ({ endpoint }) => {
      client.setQueryData<WebhookEndpoint[]>(['webhooks', appId], (list) => list?.map((e) => (e.id === endpoint.id ? endpoint : e)));
    },
  });
}

export function useDeleteEndpoint(appId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `${appPath(appId)}/webhooks/${encodeURIComponent(id)}`),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['webhooks', appId] });
      void client.invalidateQueries({ queryKey: ['webhook-deliveries', appId] });
    },
  });
}

export function useRotateSecret(appId: string) {
  return useMutation({
    mutationFn: (id: string) => api<{ secret: string }>('POST', `${appPath(appId)}/webhooks/${encodeURIComponent(id)}/secret`),
  });
}

export function useReplayFailed(appId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ replayed: number }>('POST', `${appPath(appId)}/webhooks/${encodeURIComponent(id)}/replay-failed`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['webhook-deliveries', appId] }),
  });
}

export interface DeliveryFilters {
  status: '' | DeliveryStatus;
  endpoint: string;
  eventType: string;
}

export function deliveriesPath(appId: string, f: DeliveryFilters): string {
  const params = new URLSearchParams({ limit: '100' });
  if (f.status) params.set('status', f.status);
  if (f.endpoint) params.set('endpointId', f.endpoint);
  if (f.eventType) params.set('eventType', f.eventType);
  return `${appPath(appId)}/webhook-deliveries?${params.toString()}`;
}

export function useDeliveries(appId: string, filters: DeliveryFilters) {
  return useQuery({
    queryKey: ['webhook-deliveries', appId, filters],
    queryFn: async () => (await api<{ data: WebhookDelivery[] }>('GET', deliveriesPath(appId, filters))).data,
    refetchInterval: DELIVERIES_POLL_MS,
    placeholderData: keepPreviousData,
  });
}

export function useDelivery(appId: string, deliveryId: string) {
  return useQuery({
    queryKey: ['webhook-delivery', appId, deliveryId],
    queryFn: async () =>
      (await api<{ delivery: WebhookDeliveryDetail }>('GET', `${appPath(appId)}/webhook-deliveries/${encodeURIComponent(deliveryId)}`)).delivery,
    // A pending delivery is about to be attempted; a settled one changes only when replayed.
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? DELIVERIES_POLL_MS : false),
  });
}

export function useReplayDelivery(appId: string, deliveryId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ delivery: WebhookDelivery }>('POST', `${appPath(appId)}/webhook-deliveries/${encodeURIComponent(deliveryId)}/replay`),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['webhook-delivery', appId, deliveryId] });
      void client.invalidateQueries({ queryKey: ['webhook-deliveries', appId] });
    },
  });
}
