// An application's webhooks: its endpoints (enable, disable, edit, resend failed deliveries, renew
// the signing secret, delete — the last two after a confirmation), a form to add one (or to edit
// one, in its place), and the
// signing secret of a new endpoint or a renewal, shown once with a copy button.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { App, WebhookEndpoint } from '../../lib/types.ts';
import { describeError } from '../../lib/messages.ts';
import { Button, ButtonLink } from '../../ui/button.tsx';
import { CopyButton } from '../../ui/copy.tsx';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { Alert, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { EndpointForm } from './endpoint-form.tsx';
import { EndpointItem, type EndpointActions } from './endpoint-item.tsx';
import { Crumbs, WithApp } from './frame.tsx';
import { useCreateEndpoint, useDeleteEndpoint, useEndpoints, useReplayFailed, useRotateSecret, useUpdateEndpoint } from './queries.ts';

interface ShownSecret {
  url: string;
  secret: string;
  rotated: boolean;
}

/** The secret in view until the merchant says it is saved; it exists nowhere else in the page. */
function SecretOnce({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [shown]);
  return (
    <section className="card secret-once" aria-labelledby="secret-once-title" data-testid="webhook-secret-panel">
      <h2 id="secret-once-title" ref={heading} tabIndex={-1}>
        {t('webhooks.secretTitle')}
      </h2>
      <p>
        {shown.rotated ? t('webhooks.secretRotated') : t('webhooks.secretCreated')} <span className="mono">{shown.url}</span>
      </p>
      <div className="secret">
        <code data-testid="webhook-secret">{shown.secret}</code>
        <CopyButton value={shown.secret} what={t('webhooks.secretTitle')} />
      </div>
      <Alert tone="warning">{t('webhooks.secretOnce')}</Alert>
      <Button variant="secondary" onClick={onDone}>
        {t('webhooks.secretDone')}
      </Button>
    </section>
  );
}

function Endpoints({ app }: { app: App }) {
  const { t } = useTranslation();
  const endpoints = useEndpoints(app.id);
  const create = useCreateEndpoint(app.id);
  const update = useUpdateEndpoint(app.id);
  const replay = useReplayFailed(app.id);
  const rotate = useRotateSecret(app.id);
  const remove = useDeleteEndpoint(app.id);
  const [secret, setSecret] = useState<ShownSecret>();
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState<EndpointActions['busy']>();
  const [rotating, setRotating] = useState<WebhookEndpoint>();
  const [removing, setRemoving] = useState<WebhookEndpoint>();
  const [editing, setEditing] = useState<WebhookEndpoint>();

  const said = (text: string) => {
    setFailure(undefined);
    setNotice(text);
  };
  const failed = (error: unknown) => {
    setNotice(undefined);
    setFailure(error);
  };
  const actions: EndpointActions = {
    busy,
    onToggle: (e, enabled) => {
      setBusy({ id: e.id, what: 'toggle' });
      update.mutate(
        { id: e.id, change: { enabled } },
        { onSuccess: () => said(enabled ? t('webhooks.enabledSaved') : t('webhooks.disabledSaved')), onError: failed, onSettled: () => setBusy(undefined) },
      );
    },
    onReplayFailed: (e) => {
      setBusy({ id: e.id, what: 'replay' });
      replay.mutate(e.id, {
        onSuccess: ({ replayed }) => said(t('webhooks.replayedFailed', { count: replayed })),
        onError: failed,
        onSettled: () => setBusy(undefined),
      });
    },
    onEdit: (e) => {
      setNotice(undefined);
      setEditing(e);
    },
    onRotate: (e) => {
      rotate.reset();
      setRotating(e);
    },
    onRemove: (e) => {
      remove.reset();
      setRemoving(e);
    },
  };

  const onCreate = async (draft: Parameters<typeof create.mutateAsync>[0]) => {
    const { endpoint, secret: value } = await create.mutateAsync(draft);
    setNotice(undefined);
    setSecret({ url: endpoint.url, secret: value, rotated: false });
  };
  const onSave = async (change: Parameters<typeof update.mutateAsync>[0]['change']) => {
    if (!editing) return;
    await update.mutateAsync({ id: editing.id, change });
    setEditing(undefined);
    said(t('webhooks.saved'));
  };
  const doRotate = () => {
    if (!rotating) return;
    rotate.mutate(rotating.id, {
      onSuccess: ({ secret: value }) => {
        setNotice(undefined);
        setSecret({ url: rotating.url, secret: value, rotated: true });
        setRotating(undefined);
      },
    });
  };
  const doRemove = () => {
    if (!removing) return;
    remove.mutate(removing.id, {
      onSuccess: () => {
        said(t('webhooks.removed'));
        setRemoving(undefined);
      },
    });
  };

  let list;
  if (!endpoints.isSuccess) list = <QueryStates query={endpoints} />;
  else if (endpoints.data.length === 0)
    list = (
      <div className="empty-inline">
        <h3>{t('webhooks.emptyTitle')}</h3>
        <p className="muted">{t('webhooks.emptyText')}</p>
      </div>
    );
  else
    list = (
      <ul className="list" data-testid="webhook-endpoints">
        {endpoints.data.map((e) => (
          <EndpointItem key={e.id} endpoint={e} actions={actions} />
        ))}
      </ul>
    );

  return (
    <>
      {secret ? <SecretOnce shown={secret} onDone={() => setSecret(undefined)} /> : null}
      <Section
        title={t('webhooks.endpoints')}
        id="endpoints"
        actions={
          <ButtonLink variant="secondary" small to={`/apps/${app.id}/webhooks/deliveries`}>
            {t('webhooks.openLog')}
          </ButtonLink>
        }
      >
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        {failure ? <Alert tone="error">{describeError(failure, t)}</Alert> : null}
        {list}
      </Section>
      {editing ? (
        <EndpointForm key={editing.id} endpoint={editing} onSave={onSave} onCancel={() => setEditing(undefined)} />
      ) : (
        <EndpointForm onCreate={onCreate} />
      )}
      <ConfirmDialog
        open={rotating !== undefined}
        title={t('webhooks.rotateTitle')}
        confirmLabel={t('webhooks.rotateConfirm')}
        busy={rotate.isPending}
        busyLabel={t('webhooks.rotating')}
        danger
        onConfirm={doRotate}
        onClose={() => setRotating(undefined)}
      >
        <p className="mono">{rotating?.url}</p>
        <p>{t('webhooks.rotateText')}</p>
        {rotate.error ? <Alert tone="error">{describeError(rotate.error, t)}</Alert> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={removing !== undefined}
        title={t('webhooks.removeTitle')}
        confirmLabel={t('webhooks.removeConfirm')}
        busy={remove.isPending}
        busyLabel={t('webhooks.removing')}
        danger
        onConfirm={doRemove}
        onClose={() => setRemoving(undefined)}
      >
        <p>{t('webhooks.removeText', { url: removing?.url ?? '' })}</p>
        {remove.error ? <Alert tone="error">{describeError(remove.error, t)}</Alert> : null}
      </ConfirmDialog>
    </>
  );
}

export function WebhooksPage() {
  const { t } = useTranslation();
  return (
    <WithApp>
      {(app) => (
        <>
          <PageHeader title={t('webhooks.title')} intro={t('webhooks.intro')} crumbs={<Crumbs app={app} />} />
          <Endpoints app={app} />
        </>
      )}
    </WithApp>
  );
}
