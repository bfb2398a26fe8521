// @ts-check
// Admin > Settings: the school's effective configuration, read-only, section by section,
// with the config-file key and environment variable of each value; secrets are redacted.

import { get } from '../api.js';
import { h } from '../ui.js';
import { pageHead, table } from './common.js';

const SECTION_NAMES = {
  server: 'Server', database: 'Database', auth: 'Sign-in', store: 'Store', mail: 'Mail',
  payments: 'Payments', refunds: 'Refunds', tax: 'Tax', shipping: 'Shipping', orders: 'Orders',
  media: 'Media', rate_limit: 'Rate limits', backups: 'Backups', metrics: 'Monitoring',
};

function shown(setting) {
  const v = setting.value;
  if (setting.secret) return h('span', { class: 'pill pill-muted' }, v === '<redacted>' ? 'Set (hidden)' : 'Not in the config');
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
    const title = SECTION_NAMES[section] || (section === 'general' ? 'General' : section);
    return h('section', { class: 'settings-section', 'aria-labelledby': `settings-${section}` },
      h('h2', { id: `settings-${section}` }, title),
      table(`${title} settings`, ['Setting', 'Value', 'Environment variable'], settings.map((s) => h('tr', {},
        h('th', { scope: 'row', class: 'wrap-any' }, h('code', {}, s.key)),
        h('td', { class: 'wrap-any' }, shown(s)),
        h('td', { class: 'mono small wrap-any' }, s.env)))));
  });
  return {
    title: 'Settings',
    node: h('section', { class: 'page' },
      pageHead('Settings', 'What this server runs with: the config file, environment variables and defaults together. Change a value in the config file (or its environment variable) and restart the server. The command schoolhouse config check prints the same.'),
      sections),
  };
}
