// @ts-check
// Admin > Backups: the archives in the backups folder, the last backup's
// verification, a button to take one now, and downloads.

import { get, post } from '../api.js';
import { h, replace, formatDate, announce, errorBox, emptyState, loading, busy, notice } from '../ui.js';
import { pageHead, table } from './common.js';
import { t } from '../i18n.js';

function size(bytes) {
  const n = Number(bytes) || 0;
  if (n >= 1e9) return t('value-gb', { value: (n / 1e9).toFixed(1) });
  if (n >= 1e6) return t('value-mb', { value: (n / 1e6).toFixed(1) });
  if (n >= 1e3) return t('value-kb', { value: Math.round(n / 1e3) });
  return t('n-b', { n });
}

function verified(v) {
  if (v === true) return h('span', { class: 'pill pill-on' }, t('verified'));
  if (v === false) return h('span', { class: 'pill pill-off' }, t('failed-verification'));
  return h('span', { class: 'pill pill-muted' }, t('not-verified'));
}

export async function backupsPage(ctx) {
  const area = h('div', {});
  const flash = h('div', { 'aria-live': 'polite' });

  async function download(name, button) {
    // A short-lived signed link instead of the bearer token, so the browser streams the
    // archive to disk itself rather than this page holding it in memory.
    const done = busy(button, t('preparing'));
    try {
      const link = await post(`/admin/backups/${encodeURIComponent(name)}/link`, {});
      const a = h('a', { href: link.url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (err) {
      replace(flash, errorBox(err));
    } finally {
      done();
    }
  }

  async function load() {
    try {
      const body = await get('/admin/backups', null, { signal: ctx.signal });
      const items = body.items || [];
      const st = body.state || {};
      const old = st.last_backup_at && Date.now() - Date.parse(st.last_backup_at) > 2 * 86400000;
      replace(area,
        h('div', { class: 'stats' },
          h('div', { class: 'stat' }, h('p', { class: 'stat-label' }, t('last-backup')),
            h('p', { class: 'stat-value' }, st.last_backup_at ? formatDate(st.last_backup_at, { dateStyle: 'medium', timeStyle: 'short' }) : t('never')),
            old ? h('p', { class: 'stat-sub warn-text small' }, t('more-than-two-days-old')) : null),
          h('div', { class: 'stat' }, h('p', { class: 'stat-label' }, t('last-verification')), h('p', { class: 'stat-value' }, verified(st.last_verified)),
            st.last_error ? h('p', { class: 'stat-sub error-text small' }, st.last_error) : null)),
        items.length
          ? table(t('backups'), [t('archive'), t('created'), t('size'), t('check'), h('span', { class: 'visually-hidden' }, t('download'))], items.map((b) => {
            const btn = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': t('download-name', { name: b.name }) }, t('download'));
            btn.addEventListener('click', () => download(b.name, btn));
            return h('tr', {}, h('th', { scope: 'row', class: 'mono small' }, b.name),
              h('td', {}, formatDate(b.created_at, { dateStyle: 'medium', timeStyle: 'short' })),
              h('td', { class: 'num' }, size(b.size)), h('td', {}, verified(b.verified)), h('td', {}, btn));
          }))
          : emptyState(t('no-backups-yet'), t('take-the-first-one-now-the')));
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      replace(area, errorBox(err, { retry: load }));
    }
  }

  const create = h('button', { type: 'button', class: 'btn btn-primary' }, t('back-up-now'));
  create.addEventListener('click', async () => {
    const done = busy(create, t('backing-up'));
    replace(flash);
    try {
      const entry = await post('/admin/backups', {});
      replace(flash, notice(entry.verified ? t('backup-name-written-and-verified', { name: entry.name }) : t('backup-name-written', { name: entry.name })));
      announce(t('backup-finished'));
      await load();
    } catch (err) {
      replace(flash, errorBox(err));
    } finally {
      done();
    }
  });

  replace(area, loading(t('loading-backups')));
  await load();
  return {
    title: t('backups'),
    node: h('section', { class: 'page' },
      pageHead(t('backups'), t('archives-hold-the-database-media-and'), create),
      flash, area),
  };
}

