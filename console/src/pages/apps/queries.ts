// The applications' server state: lists, one app, its keys, and the changes to them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import type { App, Credentials, Permissions } from '../../lib/types.ts';

export function useApps() {
  return useQuery({ queryKey: ['apps'], queryFn: async () => (await api<{ data: App[] }>('GET', '/console/api/apps')).data });
}

export function useApp(id: string) {
  return useQuery({ queryKey: ['apps', id], queryFn: async () => (await api<{ app: App }>('GET', `/console/api/apps/${encodeURIComponent(id)}`)).app });
}

/** The keys are fetched only when the user asks to see them, and never kept in a cache. */
export function useRevealCredentials(id: string) {
  return useMutation({ mutationFn: () => api<Credentials>('GET', `/console/api/apps/${encodeURIComponent(id)}/credentials`) });
}

export function useRenewCredentials(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<Credentials>('POST', `/console/api/apps/${encodeURIComponent(id)}/credentials/renew`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['apps', id] }),
  });
}

function useAppChange<T, R extends { app: App }>(id: string, send: (input: T) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: ({ app }) => {
      client.setQueryData(['apps', id], app);
      void client.invalidateQueries({ queryKey: ['apps'], exact: true });
    },
  });
}

export function useSetPermission(id: string) {
  return useAppChange(id, (change: Partial<Permissions>) => api<{ app: App }>('PATCH', `/console/api/apps/${encodeURIComponent(id)}/permissions`, change));
}

export function useSetRedirectUris(id: string) {
  return useAppChange(id, (redirectUris: string[]) => api<{ app: App }>('PATCH', `/console/api/apps/${encodeURIComponent(id)}`, { redirectUris }));
}

export function useAddDistributionAccount(id: string) {
  return useAppChange(id, (account: string) =>
    api<{ app: App; accountId: string; added: boolean }>('POST', `/console/api/apps/${encodeURIComponent(id)}/distribution-accounts`, { account }),
  );
}

export function useRemoveDistributionAccount(id: string) {
  return useAppChange(id, (accountId: string) =>
    api<{ app: App; removed: boolean }>('DELETE', `/console/api/apps/${encodeURIComponent(id)}/distribution-accounts/${encodeURIComponent(accountId)}`),
  );
}

export function useRequestActivation(id: string) {
  const client = useQueryClient();
  return useAppChange(id, async () => {
    const answer = await api<{ app: App }>('POST', `/console/api/apps/${encodeURIComponent(id)}/activation-request`);
    void client.invalidateQueries({ queryKey: ['apps', id, 'requests'] });
    return answer;
  });
}

export function useCreateApp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (form: FormData) => api<{ app: App; credentials: Credentials }>('POST', '/console/api/apps', form),
    onSuccess: ({ app }) => {
      client.setQueryData(['apps', app.id], app);
      void client.invalidateQueries({ queryKey: ['apps'], exact: true });
    },
  });
}
