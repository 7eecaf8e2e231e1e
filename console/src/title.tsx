// After each navigation: the document title names the page (its h1), and focus moves to the
// main content so a screen reader starts reading the new page.
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

export function TitleAndFocus() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      const heading = document.querySelector('main h1')?.textContent;
      document.title = heading ? `${heading} · Pasarela` : 'Pasarela';
      if (first.current) first.current = false;
      else document.getElementById('main')?.focus({ preventScroll: true });
    }, 50);
    return () => window.clearTimeout(timer);
  }, [location.pathname]);
  return null;
}
