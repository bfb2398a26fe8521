// @ts-check
// Admin > Backups: the archives in the backups folder, the last backup's
// verification, a button to take one now, and downloads.

import { get, post } from '../api.js';
import { h, replace, formatDate, announce, errorBox, emptyState, loading, busy, notice } from '../ui.js';
import { pageHead, table } from './common.js';

function size(bytes) {
  const n = Number(bytes) || 0;
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

function verified(v) {
  if (v === true) return h('span', { class: 'pill pill-on' }, 'Verified');
  if (v === false) return h('span', { class: 'pill pill-off' }, 'Failed verification');
  return h('span', { class: 'pill pill-muted' }, 'Not verified');
}

export async function backupsPage(ctx) {
  const area = h('div', {});
  const flash = h('div', { 'aria-live': 'polite' });

  async function download(name, button) {
    // A short-lived signed link instead of the bearer token, so the browser streams the
    // archive to disk itself rather than this page holding it in memory.
    const done = busy(button, 'Preparing…');
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
          h('div', { class: 'stat' }, h('p', { class: 'stat-label' }, 'Last backup'),
            h('p', { class: 'stat-value' }, st.last_backup_at ? formatDate(st.last_backup_at, { dateStyle: 'medium', timeStyle: 'short' }) : 'Never'),
            old ? h('p', { class: 'stat-sub warn-text small' }, 'More than two days old.') : null),
          h('div', { class: 'stat' }, h('p', { class: 'stat-label' }, 'Last verification'), h('p', { class: 'stat-value' }, verified(st.last_verified)),
            st.last_error ? h('p', { class: 'stat-sub error-text small' }, st.last_error) : null)),
        items.length
          ? table('Backups', ['Archive', 'Created', 'Size', 'Check', h('span', { class: 'visually-hidden' }, 'Download')], items.map((b) => {
            const btn = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Download ${b.name}` }, 'Download');
            btn.addEventListener('click', () => download(b.name, btn));
            return h('tr', {}, h('th', { scope: 'row', class: 'mono small' }, b.name),
              h('td', {}, formatDate(b.created_at, { dateStyle: 'medium', timeStyle: 'short' })),
              h('td', { class: 'num' }, size(b.size)), h('td', {}, verified(b.verified)), h('td', {}, btn));
          }))
          : emptyState('No backups yet.', 'Take the first one now; the server keeps serving while it runs.'));
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      replace(area, errorBox(err, { retry: load }));
    }
  }

  const create = h('button', { type: 'button', class: 'btn btn-primary' }, 'Back up now');
  create.addEventListener('click', async () => {
    const done = busy(create, 'Backing up…');
    replace(flash);
    try {
      const entry = await post('/admin/backups', {});
      replace(flash, notice(`Backup ${entry.name} written${entry.verified ? ' and verified' : ''}.`));
      announce('Backup finished.');
      await load();
    } catch (err) {
      replace(flash, errorBox(err));
    } finally {
      done();
    }
  });

  replace(area, loading('Loading backups…'));
  await load();
  return {
    title: 'Backups',
    node: h('section', { class: 'page' },
      pageHead('Backups', 'Archives hold the database, media and secrets: store downloads as safely as the server.', create),
      flash, area),
  };
}

