// @ts-check
// A small History API router.
//
//   const router = createRouter({ outlet, routes, notFound, scope, siteName });
//   routes: [{ path: '/courses/:id', page: async (ctx) => ({ title, node }) }]
//   a page may instead return { redirect: '/login?next=...' }
//   ctx: { params, query (URLSearchParams), path, url, signal, router }
//
// Same-origin links inside `scope` are intercepted; other links load normally.
// After each navigation the document title is updated, the page scrolls to
// the top and focus moves to the page's main heading, so screen reader and
// keyboard users land where a full page load would put them.

import { h, loading, errorBox, replace } from './ui.js';
import { t } from './i18n.js';

function compile(path) {
  const names = [];
  const pattern = path
    .replace(/\/+$/, '')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/:(\w+)/g, (_, name) => {
      names.push(name);
      return '([^/]+)';
    });
  return { re: new RegExp(`^${pattern}/?$`), names };
}

/** Paths the storefront handles itself: not the API, media, the admin app or files. */
export function storefrontScope(p) {
  if (p === '/admin' || p.startsWith('/admin/')) return false;
  if (/^\/(api|media|js|css|vendor|fonts)\//.test(p)) return false;
  if (/^\/(healthz|readyz|metrics)$/.test(p)) return false;
  return !/\.[a-z0-9]+$/i.test(p); // a file, e.g. /favicon.svg
}

/**
 * @param {{ outlet: HTMLElement, routes: any[], notFound: (ctx: any) => any, scope?: (path: string) => boolean,
 *   siteName?: string | (() => string), onChange?: (url: URL) => void }} opts
 */
export function createRouter({ outlet, routes, notFound, scope = storefrontScope, siteName = 'Schoolhouse', onChange }) {
  const table = routes.map((r) => ({ ...r, ...compile(r.path) }));
  let controller = null;
  let seq = 0;
  let rendered = null; // path + query of the page on screen

  function match(pathname) {
    for (const route of table) {
      const m = route.re.exec(pathname);
      if (m) {
        const params = {};
        route.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1]);
        });
        return { route, params };
      }
    }
    return null;
  }

  function focusHeading() {
    const heading = outlet.querySelector('h1');
    const target = heading || outlet;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  }

  async function render({ focus = true } = {}) {
    const mySeq = ++seq;
    if (controller) controller.abort();
    controller = new AbortController();
    const url = new URL(window.location.href);
    rendered = url.pathname + url.search;
    const found = match(url.pathname);
    const ctx = {
      params: found ? found.params : {},
      query: url.searchParams,
      path: url.pathname,
      url,
      signal: controller.signal,
      router: api,
    };
    if (onChange) onChange(url);
    // Only show a spinner when the page takes a moment, to avoid flicker.
    const spinner = setTimeout(() => {
      if (mySeq === seq) {
        outlet.setAttribute('aria-busy', 'true');
        replace(outlet, loading());
      }
    }, 120);
    let result;
    try {
      result = found ? await found.route.page(ctx) : await notFound(ctx);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      console.error(err);
      result = {
        title: t('something-went-wrong'),
        node: h('section', { class: 'page' }, h('h1', {}, t('something-went-wrong')), errorBox(err, { retry: () => render() })),
      };
    } finally {
      clearTimeout(spinner);
    }
    if (mySeq !== seq || !result) return; // a newer navigation won
    if (result.redirect) {
      navigate(result.redirect, { replace: true });
      return;
    }
    outlet.removeAttribute('aria-busy');
    replace(outlet, result.node);
    // The site's name may depend on the language (a function is asked each time).
    const name = typeof siteName === 'function' ? siteName() : siteName;
    document.title = result.title ? `${result.title} · ${name}` : name;
    if (focus) {
      window.scrollTo(0, 0);
      focusHeading();
    }
    if (typeof result.afterRender === 'function') result.afterRender();
  }

  /**
   * Go to `to` (path + query). Options: replace (replaceState instead of
   * pushState), silent (update the URL only; the current page handles it).
   */
  function navigate(to, { replace: rep = false, silent = false } = {}) {
    const url = new URL(to, window.location.origin);
    if (url.origin !== window.location.origin || !scope(url.pathname)) {
      window.location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    if (rep) history.replaceState(null, '', target);
    else history.pushState(null, '', target);
    if (!silent) render();
  }

  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download') || a.dataset.reload !== undefined) return;
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || !scope(url.pathname)) return;
    // In-page anchors keep the browser's behaviour.
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  }

  const api = {
    navigate,
    render,
    start() {
      document.addEventListener('click', onClick);
      // A fragment link (the skip link, in-page anchors) also fires popstate:
      // only a change of path or query is a new page.
      window.addEventListener('popstate', () => {
        if (window.location.pathname + window.location.search !== rendered) render();
      });
      return render();
    },
  };
  return api;
}
