// Page furniture: the header of a page and a card section.
import type { ReactNode } from 'react';
import { useTitle } from '../title.tsx';

export function PageHeader({
  title,
  intro,
  actions,
  crumbs,
  media,
}: {
  title: string;
  intro?: ReactNode;
  actions?: ReactNode;
  crumbs?: ReactNode;
  media?: ReactNode;
}) {
  useTitle(title);
  return (
    <>
      {crumbs ? (
        <nav className="breadcrumb" aria-label="breadcrumb">
          {crumbs}
        </nav>
      ) : null}
      <div className="page-header">
        <div className="page-title">
          {media}
          <div>
            <h1>{title}</h1>
            {intro ? <p>{intro}</p> : null}
          </div>
        </div>
        {actions ? <div className="row">{actions}</div> : null}
      </div>
    </>
  );
}

export function Section({ title, actions, children, id }: { title: string; actions?: ReactNode; children: ReactNode; id?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className="card" aria-labelledby={headingId} id={id}>
      <div className="card-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
