// The app's requests to the operator (activation, permissions) and its answers: a rejection
// carries the operator's reason, shown on the application page.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { AppRequest, RequestSubject } from '../operator/types.ts';

export function useAppRequests(id: string) {
  return useQuery({
    queryKey: ['apps', id, 'requests'],
    queryFn: async () => (await api<{ data: AppRequest[] }>('GET', `/console/api/apps/${encodeURIComponent(id)}/requests`)).data,
  });
}

export function useRequestPermission(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (permission: Exclude<RequestSubject, 'activation'>) =>
      api<{ data: AppRequest[] }>('POST', `/console/api/apps/${encodeURIComponent(id)}/permission-requests`, { permission }),
    onSuccess: ({ data }) => client.setQueryData(['apps', id, 'requests'], data),
  });
}

export function requestOf(requests: AppRequest[] | undefined, subject: RequestSubject): AppRequest | undefined {
  return requests?.find((r) => r.subject === subject);
}
