// An application's webhooks, server state: its endpoints and the changes to them (the signing
// secret is in the answer of a creation or a rotation only, never cached), the delivery log
// (polled, see DELIVERIES_POLL_MS), one delivery with its attempts, and replay.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

/** A change to an endpoint: whether it receives events (the switch), or everything at once (its form). */
export function useUpdateEndpoint(appId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: Partial<EndpointDraft> & { enabled?: boolean } }) =>
      api<{ endpoint: WebhookEndpoint }>('PATCH', `${appPath(appId)}/webhooks/${encodeURIComponent(id)}`, change),
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

/** Deliveries per page of the log; "Ver más" asks for the next, older page (by the server's cursor). */
export const DELIVERIES_PAGE = 50;

export function deliveriesPath(appId: string, f: DeliveryFilters, cursor = ''): string {
  const params = new URLSearchParams({ limit: String(DELIVERIES_PAGE) });
  if (cursor) params.set('cursor', cursor);
  if (f.status) params.set('status', f.status);
  if (f.endpoint) params.set('endpointId', f.endpoint);
  if (f.eventType) params.set('eventType', f.eventType);
  return `${appPath(appId)}/webhook-deliveries?${params.toString()}`;
}

export function useDeliveries(appId: string, filters: DeliveryFilters) {
  return useInfiniteQuery({
    queryKey: ['webhook-deliveries', appId, filters],
    queryFn: ({ pageParam }) => api<{ data: WebhookDelivery[]; nextCursor: string | null }>('GET', deliveriesPath(appId, filters, pageParam)),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Polling asks for every page shown again, each after the one before it.
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

/** Whether the app has a notification secret (it signs notification_url calls and Point webhooks); never the secret itself. */
export function useNotificationSecret(appId: string) {
  return useQuery({
    queryKey: ['notification-secret', appId],
    queryFn: () => api<{ exists: boolean; createdAt: string | null }>('GET', `${appPath(appId)}/notification-secret`),
  });
}

/** A new notification secret: in this answer only, never cached; the old one stops signing at once. */
export function useRenewNotificationSecret(appId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ secret: string }>('POST', `${appPath(appId)}/notification-secret`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['notification-secret', appId] }),
  });
}
