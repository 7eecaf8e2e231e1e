// "Movimientos": every posting on the person's wallets, newest first, a page at a time ("Ver
// más" asks the server for the next, older page); the wallet page shows the latest few.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatMoney } from '../../lib/format.ts';
import type { Movement } from '../../lib/types.ts';
import { Button, ButtonLink } from '../../ui/button.tsx';
import { EmptyState, QueryError, QueryStates } from '../../ui/feedback.tsx';
import { PageHeader, Section } from '../../ui/layout.tsx';
import { useMovements } from './queries.ts';

const KINDS = ['transfer', 'sandbox_funding', 'intent_sale', 'intent_request', 'annulment', 'payout_batch', 'payout_failed', 'payout_paid'] as const;

function MovementItem({ movement }: { movement: Movement }) {
  const { t } = useTranslation();
  const incoming = !movement.amount.startsWith('-');
  const kind = (KINDS as readonly string[]).includes(movement.kind) ? t(`wallet.kinds.${movement.kind as (typeof KINDS)[number]}`) : t('wallet.kinds.other');
  return (
    <li className="list-item movement">
      <div className="grow">
        <div>{movement.description || kind}</div>
        <div className="small muted">
          {movement.description && movement.description !== kind ? `${kind} · ` : ''}
          <time dateTime={movement.createdAt}>{formatDate(movement.createdAt)}</time>
        </div>
      </div>
      <div className={`amount ${incoming ? 'amount-in' : 'amount-out'}`}>
        <span className="visually-hidden">{incoming ? t('wallet.in') : t('wallet.out')} </span>
        {formatMoney(movement.amount, movement.currency, { signed: true })}
      </div>
    </li>
  );
}

export function MovementList({ movements }: { movements: Movement[] }) {
  return (
    <ul className="list" data-testid="movements">
      {movements.map((m) => (
        <MovementItem key={m.id} movement={m} />
      ))}
    </ul>
  );
}

/** The latest movements, on the wallet page. */
export function RecentMovements() {
  const { t } = useTranslation();
  const movements = useMovements(5);
  const list = movements.data?.pages[0]?.data;
  let body;
  if (!movements.isSuccess) body = <QueryStates query={movements} />;
  else if (!list?.length) body = <p className="muted">{t('wallet.noMovements')}</p>;
  else body = <MovementList movements={list} />;
  return (
    <Section
      title={t('wallet.recent')}
      id="recent"
      actions={
        list?.length ? (
          <ButtonLink to="/wallet/movements" variant="secondary" small>
            {t('wallet.allMovements')}
          </ButtonLink>
        ) : undefined
      }
    >
      {body}
    </Section>
  );
}

export function MovementsPage() {
  const { t } = useTranslation();
  const movements = useMovements(20);
  const header = <PageHeader title={t('wallet.movementsTitle')} intro={t('wallet.movementsIntro')} crumbs={<Link to="/wallet">{t('nav.wallet')}</Link>} />;
  // A failed "Ver más" keeps the pages already shown; only a failed first page replaces them.
  if (!movements.data) return <QueryStates query={movements} header={header} />;
  const all = movements.data.pages.flatMap((p) => p.data);
  if (all.length === 0)
    return (
      <>
        {header}
        <EmptyState title={t('wallet.noMovementsTitle')} action={<ButtonLink to="/wallet">{t('wallet.goToWallet')}</ButtonLink>}>
          {t('wallet.noMovements')}
        </EmptyState>
      </>
    );
  return (
    <>
      {header}
      <div className="card">
        <MovementList movements={all} />
        {movements.isFetchNextPageError ? <QueryError error={movements.error} /> : null}
        {movements.hasNextPage ? (
          <div className="list-more">
            <Button variant="secondary" busy={movements.isFetchingNextPage} busyLabel={t('common.loading')} onClick={() => void movements.fetchNextPage()}>
              {t('wallet.more')}
            </Button>
          </div>
        ) : (
          <p className="small muted list-end">{t('wallet.allShown')}</p>
        )}
      </div>
    </>
  );
}
