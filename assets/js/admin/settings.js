// @ts-check
// Admin > Settings: the school's effective configuration, read-only, section by section,
// with the config-file key and environment variable of each value; secrets are redacted.

import { get } from '../api.js';
import { h } from '../ui.js';
import { pageHead, table } from './common.js';
import { t } from '../i18n.js';

const SECTION_NAMES = () => ({
  server: t('server'), database: t('database'), auth: t('sign-in'), store: t('store'), mail: t('mail'),
  payments: t('payments'), refunds: t('refunds'), tax: t('tax'), shipping: t('shipping'), orders: t('orders'),
  media: t('media'), rate_limit: t('rate-limits'), backups: t('backups'), metrics: t('monitoring'),
});

function shown(setting) {
  const v = setting.value;
  if (setting.secret) return h('span', { class: 'pill pill-muted' }, v === '<redacted>' ? t('set-hidden') : t('not-in-the-config'));
  if (v === '' || v === null) return h('span', { class: 'muted' }, 'empty');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return h('code', { class: 'small' }, JSON.stringify(v));
  return String(v);
}

export async function settingsPage(ctx) {
  const body = await get('/admin/settings', null, { signal: ctx.signal });
  const groups = new Map();
  for (const s of body.settings || []) {
    const section = s.key.includes('.') ? s.key.split('.')[0] : 'general';
    if (!groups.has(section)) groups.set(section, []);
    groups.get(section).push(s);
  }
  const sections = [...groups.entries()].map(([section, settings]) => {
    const title = SECTION_NAMES()[section] || (section === 'general' ? t('general') : section);
    return h('section', { class: 'settings-section', 'aria-labelledby': `settings-${section}` },
      h('h2', { id: `settings-${section}` }, title),
      table(t('title-settings', { title }), [t('setting'), t('value'), t('environment-variable')], settings.map((s) => h('tr', {},
        h('th', { scope: 'row', class: 'wrap-any' }, h('code', {}, s.key)),
        h('td', { class: 'wrap-any' }, shown(s)),
        h('td', { class: 'mono small wrap-any' }, s.env)))));
  });
  return {
    title: t('settings'),
    node: h('section', { class: 'page' },
      pageHead(t('settings'), t('what-this-server-runs-with-the')),
      sections),
  };
}
