// One endpoint in the list: its URL, description and event types, whether it receives events
// (a switch), and what can be done to it. Each control's name ends with the URL (hidden from
// sight), so a screen reader tells the endpoints' buttons apart.
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format.ts';
import type { WebhookEndpoint } from '../../lib/types.ts';
import { Button, ButtonLink } from '../../ui/button.tsx';
import { Alert, Badge } from '../../ui/feedback.tsx';

export interface EndpointActions {
  onToggle: (endpoint: WebhookEndpoint, enabled: boolean) => void;
  onReplayFailed: (endpoint: WebhookEndpoint) => void;
  onEdit: (endpoint: WebhookEndpoint) => void;
  onRotate: (endpoint: WebhookEndpoint) => void;
  onRemove: (endpoint: WebhookEndpoint) => void;
  /** The endpoint a change is being saved for, and which. */
  busy?: { id: string; what: 'toggle' | 'replay' };
}

const Hidden = ({ children }: { children: string }) => <span className="visually-hidden"> {children}</span>;

export function EndpointItem({ endpoint: e, actions }: { endpoint: WebhookEndpoint; actions: EndpointActions }) {
  const { t } = useTranslation();
  const switchId = `endpoint-${e.id}-enabled`;
  const busy = actions.busy?.id === e.id ? actions.busy.what : undefined;
  return (
    <li className="list-item endpoint-item" data-testid="webhook-endpoint" data-id={e.id}>
      <div className="grow">
        <div className="endpoint-head">
          <strong className="mono">{e.url}</strong>
          {e.flagged ? (
            <Badge tone="warning">{t('webhooks.flagged')}</Badge>
          ) : (
            <Badge tone={e.enabled ? 'success' : 'neutral'}>{e.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</Badge>
          )}
        </div>
        {e.description ? <div className="small">{e.description}</div> : null}
        <ul className="tags" aria-label={t('webhooks.eventTypes')}>
          {e.eventTypes.map((type) => (
            <li key={type} className="tag mono">
              {type === '*' ? `* (${t('webhooks.allEvents')})` : type}
            </li>
          ))}
        </ul>
        <div className="small muted">{t('webhooks.createdAt', { date: formatDate(e.createdAt) })}</div>
        {e.flagged && e.flagReason ? <Alert tone="warning">{t('webhooks.flaggedText', { reason: e.flagReason })}</Alert> : null}
      </div>
      <div className="toggle-row endpoint-switch">
        <label htmlFor={switchId}>
          {t('webhooks.enabledSwitch')}
          <Hidden>{e.url}</Hidden>
        </label>
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          checked={e.enabled}
          disabled={busy === 'toggle'}
          aria-busy={busy === 'toggle' || undefined}
          onChange={(event) => actions.onToggle(e, event.target.checked)}
        />
      </div>
      <div className="row endpoint-actions">
        <ButtonLink variant="secondary" small to={`/apps/${e.appId}/webhooks/deliveries?endpoint=${encodeURIComponent(e.id)}`}>
          {t('webhooks.deliveries')}
          <Hidden>{e.url}</Hidden>
        </ButtonLink>
        <Button variant="secondary" small busy={busy === 'replay'} busyLabel={t('webhooks.replaying')} onClick={() => actions.onReplayFailed(e)}>
          {t('webhooks.replayFailed')}
          <Hidden>{e.url}</Hidden>
        </Button>
        <Button variant="secondary" small onClick={() => actions.onEdit(e)}>
          {t('webhooks.edit')}
          <Hidden>{e.url}</Hidden>
        </Button>
        <Button variant="secondary" small onClick={() => actions.onRotate(e)}>
          {t('webhooks.rotate')}
          <Hidden>{e.url}</Hidden>
        </Button>
        <Button variant="danger" small onClick={() => actions.onRemove(e)}>
          {t('webhooks.remove')}
          <Hidden>{e.url}</Hidden>
        </Button>
      </div>
    </li>
  );
}
