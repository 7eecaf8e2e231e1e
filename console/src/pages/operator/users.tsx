// "Usuarios": find an account by username, name, email, phone or identification, and lock or
// unlock it. A lock ends its sessions at once and refuses every sign-in until it is unlocked.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDate } from '../../lib/format.ts';
import { describeError } from '../../lib/messages.ts';
import { Button } from '../../ui/button.tsx';
import { ConfirmDialog } from '../../ui/dialog.tsx';
import { Alert, Badge, EmptyState, QueryStates } from '../../ui/feedback.tsx';
import { TextField } from '../../ui/fields.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { useLock, useUsers } from './queries.ts';
import type { AdminUser } from './types.ts';

function UserItem({ user, onLock, onUnlock, busy }: { user: AdminUser; onLock: () => void; onUnlock: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const facts = [`@${user.username}`, t(`operator.users.types.${user.type}`), user.phone, user.identification, user.email].filter(Boolean);
  return (
    <li className="list-item" data-testid="operator-user">
      <div className="grow">
        <strong>{user.name}</strong> {user.locked ? <Badge tone="warning">{t('operator.users.locked')}</Badge> : null}
        <div className="small muted">{facts.join(' · ')}</div>
        <div className="small muted">
          {user.locked && user.lockedAt
            ? t('operator.users.lockedAt', { date: formatDate(user.lockedAt) })
            : t('operator.users.since', { date: formatDate(user.createdAt) })}
        </div>
      </div>
      {user.type === 'operator' ? null : user.locked ? (
        <Button
          small
          variant="secondary"
          busy={busy}
          busyLabel={t('operator.users.unlocking')}
          onClick={onUnlock}
          aria-label={t('operator.users.unlockLabel', { name: user.name })}
        >
          {t('operator.users.unlock')}
        </Button>
      ) : (
        <Button small variant="danger" disabled={busy} onClick={onLock} aria-label={t('operator.users.lockLabel', { name: user.name })}>
          {t('operator.users.lock')}
        </Button>
      )}
    </li>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const users = useUsers(q);
  const change = useLock();
  const [locking, setLocking] = useState<AdminUser>();
  const [done, setDone] = useState<string>();
  const search = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft.trim() ? { q: draft.trim() } : {});
  };
  const run = (user: AdminUser, lock: boolean) => {
    setDone(undefined);
    change.mutate(
      { id: user.id, lock },
      {
        onSuccess: () => {
          setLocking(undefined);
          setDone(t(lock ? 'operator.users.lockedDone' : 'operator.users.unlockedDone', { name: user.name }));
        },
      },
    );
  };

  let body;
  if (!users.isSuccess) body = <QueryStates query={users} />;
  else if (users.data.length === 0) body = <EmptyState title={t('operator.users.emptyTitle')}>{t('operator.users.emptyText')}</EmptyState>;
  else
    body = (
      <Section title={q ? t('operator.users.results', { count: users.data.length }) : t('operator.users.newest')} id="users">
        <ul className="list">
          {users.data.map((u) => (
            <UserItem
              key={u.id}
              user={u}
              busy={change.isPending && change.variables?.id === u.id}
              onLock={() => {
                change.reset();
                setLocking(u);
              }}
              onUnlock={() => run(u, false)}
            />
          ))}
        </ul>
      </Section>
    );

  return (
    <>
      <PageHeader title={t('operator.users.title')} intro={t('operator.users.intro')} />
      <form className="card filters" role="search" aria-label={t('operator.users.searchForm')} onSubmit={search}>
        <TextField
          label={t('operator.users.search')}
          hint={t('operator.users.searchHint')}
          type="search"
          value={draft}
          maxLength={100}
          onChange={(e) => setDraft(e.target.value)}
          action={<Button type="submit">{t('operator.users.searchButton')}</Button>}
        />
      </form>
      {done ? <Alert tone="success">{done}</Alert> : null}
      {change.error && !locking ? <Alert tone="error">{describeError(change.error, t)}</Alert> : null}
      {body}
      <ConfirmDialog
        open={locking !== undefined}
        title={t('operator.users.lockTitle', { name: locking?.name ?? '' })}
        confirmLabel={t('operator.users.lock')}
        busy={change.isPending}
        busyLabel={t('operator.users.locking')}
        danger
        onConfirm={() => locking && run(locking, true)}
        onClose={() => setLocking(undefined)}
      >
        <p>{t('operator.users.lockText')}</p>
        {change.error ? <Alert tone="error">{describeError(change.error, t)}</Alert> : null}
      </ConfirmDialog>
    </>
  );
}
