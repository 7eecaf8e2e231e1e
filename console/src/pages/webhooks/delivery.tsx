// One delivery: what was sent where, its status, and every attempt (time, status code, latency,
// error, the first kilobyte of the answer); "Reenviar" sends it again now. The page asks again
// while the delivery is pending, so the new attempt shows up by itself.
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { formatDate } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import type { App, WebhookAttempt, WebhookDeliveryDetail } from '../../lib/types.ts';
import { Button, ButtonLink } from '../../ui/button.tsx';
import { Alert, Badge, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { useEventSummary } from './events.ts';
import { Crumbs, WithApp } from './frame.tsx';
import { useDelivery, useReplayDelivery } from './queries.ts';
import { DeliveryStatusBadge } from './status.tsx';

function Summary({ delivery: d }: { delivery: WebhookDeliveryDetail }) {
  const { t } = useTranslation();
  const summary = useEventSummary();
  return (
    <Section title={t('webhooks.summary')} id="summary">
      <dl className="details">
        <dt>{t('webhooks.status')}</dt>
        <dd data-testid="delivery-status">
          <DeliveryStatusBadge status={d.status} />
        </dd>
        <dt>{t('webhooks.event')}</dt>
        <dd>
          {d.eventType ? (
            <>
              <span className="mono">{d.eventType}</span>
              <div className="small muted">{summary(d.eventType)}</div>
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>{t('webhooks.eventId')}</dt>
        <dd className="mono small">{d.eventId}</dd>
        <dt>{t('webhooks.target')}</dt>
        <dd className="mono small">{d.url}</dd>
        <dt>{t('webhooks.createdAtLabel')}</dt>
        <dd>{formatDate(d.createdAt)}</dd>
        {d.nextAttemptAt ? (
          <>
            <dt>{t('webhooks.nextAttemptLabel')}</dt>
            <dd>{formatDate(d.nextAttemptAt)}</dd>
          </>
        ) : null}
        {d.completedAt ? (
          <>
            <dt>{t('webhooks.completedAt')}</dt>
            <dd>{formatDate(d.completedAt)}</dd>
          </>
        ) : null}
      </dl>
    </Section>
  );
}

function Attempt({ attempt: a }: { attempt: WebhookAttempt }) {
  const { t } = useTranslation();
  const headingId = `attempt-${a.number}`;
  return (
    <li className="attempt" data-testid="webhook-attempt" aria-labelledby={headingId}>
      <div className="attempt-head">
        <h3 id={headingId}>{t('webhooks.attempt', { number: a.number })}</h3>
        <Badge tone={a.succeeded ? 'success' : 'warning'}>{a.succeeded ? t('webhooks.succeededAttempt') : t('webhooks.failedAttempt')}</Badge>
      </div>
      <dl className="details compact">
        <dt>{t('webhooks.when')}</dt>
        <dd>{formatDate(a.at)}</dd>
        <dt>{t('webhooks.statusCode')}</dt>
        <dd data-testid="attempt-status">{a.statusCode ?? '—'}</dd>
        <dt>{t('webhooks.latency')}</dt>
        <dd>{a.latencyMs !== null ? t('webhooks.latencyMs', { ms: a.latencyMs }) : '—'}</dd>
        {a.error ? (
          <>
            <dt>{t('webhooks.error')}</dt>
            <dd className="mono small">{a.error}</dd>
          </>
        ) : null}
        <dt>{t('webhooks.responseBody')}</dt>
        <dd>
          <pre className="response-body" data-testid="attempt-body">
            {a.responseBody || t('webhooks.emptyBody')}
          </pre>
        </dd>
      </dl>
    </li>
  );
}

function Delivery({ app }: { app: App }) {
  const { t } = useTranslation();
  const { deliveryId = '' } = useParams();
  const delivery = useDelivery(app.id, deliveryId);
  const replay = useReplayDelivery(app.id, deliveryId);
  const crumbs = <Crumbs app={app} webhooks />;
  const back = (
    <ButtonLink variant="secondary" small to={`/apps/${app.id}/webhooks/deliveries`}>
      {t('webhooks.backToLog')}
    </ButtonLink>
  );
  if (!delivery.isSuccess)
    return (
      <QueryStates
        query={delivery}
        notFound={
          <>
            <PageHeader title={t('webhooks.deliveryNotFound')} crumbs={crumbs} />
            <EmptyState title={t('webhooks.deliveryNotFound')} action={back}>
              {t('common.notFoundText')}
            </EmptyState>
          </>
        }
      />
    );
  const d = delivery.data;
  return (
    <>
      <PageHeader title={t('webhooks.delivery')} intro={<span className="mono">{d.eventType ?? d.eventId}</span>} crumbs={crumbs} actions={back} />
      <Summary delivery={d} />
      <Section
        title={t('webhooks.attempts')}
        id="attempts"
        actions={
          <Button small busy={replay.isPending} busyLabel={t('webhooks.replaying')} onClick={() => replay.mutate()}>
            {t('webhooks.replay')}
          </Button>
        }
      >
        <p className="small muted">{t('webhooks.replayText')}</p>
        {replay.isSuccess ? <Alert tone="success">{t('webhooks.replayed')}</Alert> : null}
        {replay.error ? <Alert tone="error">{describeError(replay.error, t)}</Alert> : null}
        {d.attemptLog.length === 0 ? (
          <p className="muted">{t('webhooks.attemptsEmpty')}</p>
        ) : (
          <ol className="attempts" data-testid="webhook-attempts">
            {d.attemptLog.map((a) => (
              <Attempt key={a.number} attempt={a} />
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}

export function DeliveryPage() {
  return <WithApp>{(app) => <Delivery app={app} />}</WithApp>;
}
