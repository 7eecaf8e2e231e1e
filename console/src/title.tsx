// Page titles and focus. Each page names itself (useTitle: the document title follows its h1);
// after a navigation, focus moves to the main content so a screen reader starts reading the new page.
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

export function useTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · Pasarela`;
  }, [title]);
}

export function FocusOnNavigation() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);
  return null;
}
