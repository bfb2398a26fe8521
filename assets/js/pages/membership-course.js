// @ts-check
// A course page's membership box: "included in your membership" (with a way in) for a member
// whose plan opens the course, else the plans that open it and any payment plan for it.

import { get, post } from '../api.js';
import { h, replace, errorBox, busy } from '../ui.js';
import { covers, planPrice, myMemberships, LIVE } from './membership.js';
import { t } from '../i18n.js';

/**
 * What the course page shows about memberships: `note` (a node for the buy box, or null) and
 * `member` (true when a live membership of the caller opens this course), plus `start`, the
 * button that enrols a member through the membership and opens the course.
 */
export async function membershipOffer(ctx, course) {
  const none = { note: null, member: false, start: null };
  if (Number(course.price_cents) === 0) return none;
  let plans;
  let mine;
  try {
    [plans, mine] = await Promise.all([get('/membership-plans', null, { signal: ctx.signal }), myMemberships(ctx.signal)]);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return none;
  }
  const opening = plans.filter((p) => covers(p, course));
  const held = mine.find((m) => LIVE.includes(m.status) && m.status !== 'paused' && covers(m.plan, course));
  if (held) {
    const message = h('div', { 'aria-live': 'polite' });
    const start = h('button', { type: 'button', class: 'btn btn-primary btn-block' }, t('start-the-course'));
    start.addEventListener('click', async () => {
      const done = busy(start, t('enrolling'));
      replace(message);
      try {
        await post(`/courses/${encodeURIComponent(course.id)}/enroll`, {});
        ctx.router.navigate(`/learn/${encodeURIComponent(course.id)}`);
      } catch (err) {
        done();
        replace(message, errorBox(err));
      }
    });
    return {
      member: true,
      start: h('div', {}, start, message),
      note: h('p', { class: 'membership-note' }, h('span', { class: 'check', 'aria-hidden': 'true' }, '✓ '),
        t('membership-included', { name: held.plan.name }), ' ', h('a', { href: '/account/membership' }, t('my-membership'))),
    };
  }
  if (!opening.length) return none;
  const instalments = opening.filter((p) => p.cycles);
  const memberships = opening.filter((p) => !p.cycles);
  return {
    member: false,
    start: null,
    note: h('div', { class: 'membership-note stack' },
      memberships.length ? h('p', {}, t('membership-or-included', { count: memberships.length, name: memberships[0].name })) : null,
      instalments.map((p) => h('p', {}, t('membership-or-instalments', { price: planPrice(p) }))),
      h('p', {}, h('a', { href: '/membership' }, t('membership-see-plans')))),
  };
}
