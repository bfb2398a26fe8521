#!/usr/bin/env python3
"""Run localstripe 1.15.10 for the test suite, patched so async-stripe can parse it.

localstripe omits fields that real Stripe always returns and that
async-stripe 1.0.0-rc.10 requires to deserialize a response or a webhook
event. This launcher imports localstripe, fills those fields in (on every
JSON response and on every webhook event payload), keeps its state in a
pickle file of our choosing instead of the fixed /tmp/localstripe.pickle,
and serves on 127.0.0.1 only (localstripe's own entry point binds "::", i.e.
all interfaces).

Usage:
    python localstripe_patched.py --port 0 --state /tmp/run/ls.pickle \
        --port-file /tmp/run/port

--port 0 lets the kernel pick a free port; the port actually bound is
written to --port-file (if given) and printed on stdout as
"localstripe listening on http://127.0.0.1:PORT".

See README.md beside this file for the list of patched fields and why.
"""

import argparse
import asyncio
import contextvars
import hashlib
import hmac
import json
import logging
import os
import pickle
import re
import socket
import sys

import aiohttp
from aiohttp import web

import localstripe
from localstripe import errors, resources, server, webhooks

EXPECTED_VERSION = '1.15.10'

# The API version async-stripe 1.0.0-rc.10 is generated for
# (stripe_shared::version::VERSION). Events carrying another version still
# parse, but async-stripe logs a "API version mismatch" warning for each one.
SDK_API_VERSION = '2026-09-30.endive'


# Expand paths of the request being served (empty outside a request, e.g.
# while a webhook payload is built).
_EXPAND = contextvars.ContextVar('schoolhouse_expand', default=())


def _expanding(field):
    return any(field in path.split('.') for path in _EXPAND.get())


# --------------------------------------------------------------------------
# Default fields
# --------------------------------------------------------------------------

def _fill_payment_intent(o):
    status = o.get('status')
    amount = o.get('amount') or 0
    o.setdefault('object', 'payment_intent')
    # Amount that can be captured now (manual capture, authorised).
    o.setdefault('amount_capturable',
                 amount if status == 'requires_capture' else 0)
    # Amount collected. localstripe has no partial capture on PIs worth
    # modelling here: succeeded means the full amount was received.
    o.setdefault('amount_received', amount if status == 'succeeded' else 0)
    o.setdefault('confirmation_method', 'automatic')
    o.setdefault('payment_method_types', ['card'])
    o.setdefault('description', None)
    o.setdefault('receipt_email', None)
    o.setdefault('canceled_at', None)
    o.setdefault('cancellation_reason', None)
    o.setdefault('setup_future_usage', None)
    o.setdefault('statement_descriptor', None)
    o.setdefault('statement_descriptor_suffix', None)
    o.setdefault('shipping', None)
    o.setdefault('on_behalf_of', None)
    o.setdefault('application', None)
    o.setdefault('application_fee_amount', None)
    o.setdefault('transfer_data', None)
    o.setdefault('transfer_group', None)
    err = o.get('last_payment_error')
    if isinstance(err, dict):
        _fill_api_error(err)
    # 'charges' was removed from PaymentIntent in API 2022-11-15; drop it so
    # the payload looks like what async-stripe's API version returns.
    o.pop('charges', None)
    # Real Stripe returns latest_charge as an id unless the request asked
    # for expand[]=latest_charge; localstripe always embeds the charge
    # (and webhook payloads carry the id too).
    charge = o.get('latest_charge')
    if isinstance(charge, dict) and not _expanding('latest_charge'):
        o['latest_charge'] = charge.get('id')


def _fill_api_error(err):
    code = err.get('code')
    if 'type' not in err:
        if code == 'payment_intent_authentication_failure':
            err['type'] = 'invalid_request_error'
        elif code in ('card_declined', 'incorrect_cvc', 'expired_card',
                      'processing_error', 'incorrect_number'):
            err['type'] = 'card_error'
        else:
            err['type'] = 'api_error'
    if code == 'card_declined':
        err['type'] = 'card_error'
        err.setdefault('decline_code', 'generic_decline')


def _fill_charge(o):
    status = o.get('status')
    amount = o.get('amount') or 0
    captured = bool(o.get('captured'))
    o.setdefault('amount_captured',
                 amount if captured and status == 'succeeded' else 0)
    o.setdefault('amount_refunded', 0)
    o.setdefault('billing_details', {
        'address': None, 'email': None, 'name': None, 'phone': None,
        'tax_id': None})
    o.setdefault('disputed', False)
    o.setdefault('paid', status == 'succeeded')
    o.setdefault('refunded', False)
    o.setdefault('failure_balance_transaction', None)
    o.setdefault('metadata', {})
    o.setdefault('captured', captured)


def _fill_refund(o):
    o.setdefault('failure_balance_transaction', None)
    o.setdefault('reason', None)
    o.setdefault('receipt_number', None)
    o.setdefault('metadata', {})


def _fill_event(o):
    o.setdefault('pending_webhooks', 0)
    o.setdefault('request', {'id': None, 'idempotency_key': None})
    # localstripe stamps every event '2017-08-15'; the payload it sends is
    # shaped after a recent API, so claim the SDK's version.
    o['api_version'] = SDK_API_VERSION


def _fill_list(o):
    o.setdefault('has_more', False)
    o.setdefault('data', [])


_FILLERS = {
    'payment_intent': _fill_payment_intent,
    'charge': _fill_charge,
    'refund': _fill_refund,
    'event': _fill_event,
    'list': _fill_list,
}


def fill_defaults(value):
    """Recursively add missing fields to every Stripe object in `value`.

    Idempotent: running it twice on the same tree changes nothing more.
    Returns `value` (mutated in place) for convenience.
    """
    if isinstance(value, dict):
        for v in value.values():
            fill_defaults(v)
        kind = value.get('object')  # event 'data' holds {'object': {...}}
        filler = _FILLERS.get(kind) if isinstance(kind, str) else None
        if filler is not None:
            filler(value)
    elif isinstance(value, list):
        for v in value:
            fill_defaults(v)
    return value


# --------------------------------------------------------------------------
# Patches
# --------------------------------------------------------------------------

def _patch_responses():
    # Every API handler in localstripe.server calls the module-level
    # json_response() at request time, so replacing it covers all routes.
    orig_server_json_response = server.json_response

    def patched_json_response(data=None, *args, **kwargs):
        return orig_server_json_response(fill_defaults(data), *args, **kwargs)

    server.json_response = patched_json_response

    # Error bodies (UserError.to_response -> errors.json_response).
    orig_to_response = errors.UserError.to_response

    def patched_to_response(self):
        err = self.body.get('error')
        if isinstance(err, dict) and self.code == 402:
            _fill_api_error(err)
        return orig_to_response(self)

    errors.UserError.to_response = patched_to_response

    # Outermost, so it also wraps localstripe's error middleware.
    server.app.middlewares.insert(0, _expand_middleware)


@web.middleware
async def _expand_middleware(request, handler):
    # Remember which fields the request expands, for fill_defaults().
    try:
        if request.method == 'POST':
            data = await server.get_post_data(request, remove_auth=False)
        else:
            data = server.unflatten_data(request.query)
        expand = (data or {}).get('expand') or ()
        if isinstance(expand, str):
            expand = (expand,)
        elif isinstance(expand, dict):  # expand[0]=a unflattened oddly
            expand = tuple(expand.values())
        expand = tuple(e for e in expand if isinstance(e, str))
    except Exception:
        expand = ()
    token = _EXPAND.set(expand)
    try:
        return await handler(request)
    finally:
        _EXPAND.reset(token)



def _patch_webhook_delivery():
    # localstripe posts each event to every registered webhook in turn while
    # iterating over the live registry: a test that registers its webhook
    # meanwhile kills that loop ("dictionary changed size during iteration")
    # and the event never reaches the webhooks after that point, so a payment
    # stays pending. Deliver to a snapshot of the registry instead, to every
    # webhook at once, so a stopped test app does not hold back the others.
    async def send_webhook(event):
        payload = json.dumps(event._export(), indent=2, sort_keys=True).encode('utf-8')
        signed_payload = b'%d.%s' % (event.created, payload)
        await asyncio.sleep(1)
        logger = logging.getLogger('aiohttp.access')
        targets = [w for w in list(webhooks._webhooks.values())
                   if w.events is None or event.type in w.events]

        async def post(session, webhook):
            signature = hmac.new(webhook.secret.encode('utf-8'), signed_payload,
                                 hashlib.sha256).hexdigest()
            headers = {
                'Content-Type': 'application/json; charset=utf-8',
                'Stripe-Signature': 't=%d,v1=%s' % (event.created, signature)}
            try:
                async with session.post(webhook.url, data=payload, headers=headers) as r:
                    logger.info('webhook "%s" %s', event.type,
                                'successfully delivered' if 200 <= r.status < 300
                                else 'failed with response code %d' % r.status)
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                logger.info('webhook "%s" failed: %s', event.type, e)

        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await asyncio.gather(*(post(session, w) for w in targets))

    webhooks._send_webhook = send_webhook

def _patch_events():
    # webhooks._send_webhook serialises event._export(); GET /v1/events goes
    # through json_response as well (fill_defaults is idempotent).
    orig_export = resources.Event._export

    def patched_export(self, expand=None):
        # Event payloads never carry expansions, whatever request (and so
        # whatever context, which asyncio tasks inherit) triggered them.
        token = _EXPAND.set(())
        try:
            return fill_defaults(orig_export(self, expand=expand))
        finally:
            _EXPAND.reset(token)

    resources.Event._export = patched_export


_PI_STR_PARAMS = ('description', 'receipt_email', 'statement_descriptor',
                  'statement_descriptor_suffix')


def _patch_payment_intent_params():
    # localstripe's PaymentIntent rejects these create parameters with
    # "400 Unexpected ..."; real Stripe accepts them and echoes them back.
    # Accept, validate lightly, and store them (so they are returned, and
    # can be changed with POST /v1/payment_intents/{id} like real Stripe).
    PaymentIntent = resources.PaymentIntent
    orig_init = PaymentIntent.__init__

    def patched_init(self, description=None, receipt_email=None,
                     statement_descriptor=None,
                     statement_descriptor_suffix=None,
                     automatic_payment_methods=None, **kwargs):
        extra = {'description': description, 'receipt_email': receipt_email,
                 'statement_descriptor': statement_descriptor,
                 'statement_descriptor_suffix': statement_descriptor_suffix}
        for key, value in extra.items():
            if value is not None and not isinstance(value, str):
                raise errors.UserError(400, 'Invalid ' + key)
        if statement_descriptor is not None and len(statement_descriptor) > 22:
            raise errors.UserError(400, 'Invalid statement_descriptor')
        apm = None
        if automatic_payment_methods is not None:
            if not isinstance(automatic_payment_methods, dict):
                raise errors.UserError(400, 'Invalid automatic_payment_methods')
            enabled = resources.try_convert_to_bool(
                automatic_payment_methods.get('enabled'))
            if not isinstance(enabled, bool):
                raise errors.UserError(
                    400, 'Invalid automatic_payment_methods[enabled]')
            apm = {'enabled': enabled}
            if 'allow_redirects' in automatic_payment_methods:
                apm['allow_redirects'] = \
                    automatic_payment_methods['allow_redirects']
        # All our checks happen before localstripe stores the object.
        orig_init(self, **kwargs)
        for key, value in extra.items():
            setattr(self, key, value)
        self.automatic_payment_methods = apm

    PaymentIntent.__init__ = patched_init


def _patch_refund_amounts():
    # localstripe refunds the charge's full amount whenever `amount` is
    # omitted and never checks what was already refunded, so refunds can
    # exceed the charge. Real Stripe refunds the remaining amount by default
    # and refuses to go beyond it. Also turn its 500 (AttributeError) on a
    # PaymentIntent without a charge into Stripe's 400.
    Refund = resources.Refund
    orig_init = Refund.__init__
    UserError = errors.UserError

    def patched_init(self, charge=None, payment_intent=None, amount=None,
                     **kwargs):
        ch = None
        if isinstance(payment_intent, str) and charge is None:
            pi = resources.PaymentIntent._api_retrieve(payment_intent)
            if pi.latest_charge is None:
                raise UserError(400, 'This PaymentIntent (%s) does not have '
                                'a successful charge to refund.' % pi.id,
                                {'code': 'charge_not_refundable',
                                 'param': 'payment_intent'})
            ch = pi.latest_charge
        elif isinstance(charge, str) and payment_intent is None:
            ch = resources.Charge._api_retrieve(charge)
        if ch is not None and ch.status == 'succeeded':
            remaining = ch.amount - ch.amount_refunded
            if remaining <= 0:
                raise UserError(400, 'Charge %s has already been refunded.'
                                % ch.id, {'code': 'charge_already_refunded',
                                          'charge': ch.id})
            wanted = resources.try_convert_to_int(amount)
            if amount is None:
                amount = remaining
            elif isinstance(wanted, int) and wanted > remaining:
                raise UserError(400, 'Refund amount (%d) is greater than '
                                'unrefunded amount on charge (%d)'
                                % (wanted, remaining),
                                {'code': 'amount_too_large',
                                 'param': 'amount'})
        orig_init(self, charge=charge, payment_intent=payment_intent,
                  amount=amount, **kwargs)

    Refund.__init__ = patched_init


def _patch_charge_refunded_event():
    # Real Stripe sends `charge.refunded` after every refund of a charge, the
    # app's own and those made in the Dashboard; localstripe sends none. The
    # event is made once the refund is stored, so the charge's
    # `amount_refunded` counts it.
    Refund = resources.Refund
    orig_create = Refund._api_create

    def patched_create(cls, **data):
        refund = orig_create(**data)
        charge = resources.Charge._api_retrieve(refund.charge)
        resources.schedule_webhook(resources.Event('charge.refunded', charge))
        return refund

    Refund._api_create = classmethod(patched_create)


def _patch_billing():
    # Stripe sends `invoice.paid` next to `invoice.payment_succeeded` for every
    # paid invoice (memberships read `invoice.paid`), and
    # `customer.subscription.updated` after every change of a subscription;
    # localstripe sends neither. Its subscription update also rejects
    # `proration_behavior` (Stripe's name for the old `prorate`), which a
    # monthly/yearly switch sends.
    Invoice = resources.Invoice
    Subscription = resources.Subscription
    orig_success = Invoice._on_payment_success

    def patched_success(self):
        orig_success(self)
        resources.schedule_webhook(resources.Event('invoice.paid', self))

    Invoice._on_payment_success = patched_success
    orig_update = Subscription._update

    def patched_update(self, proration_behavior=None, **kwargs):
        if proration_behavior is not None:
            if proration_behavior not in ('create_prorations', 'none',
                                          'always_invoice'):
                raise errors.UserError(400, 'Invalid proration_behavior')
            kwargs.setdefault('prorate', proration_behavior != 'none')
        orig_update(self, **kwargs)
        resources.schedule_webhook(
            resources.Event('customer.subscription.updated', self))

    Subscription._update = patched_update


def _attached_payment_method(pm_id, customer, param):
    # Stripe charges only a PaymentMethod attached to the invoice's (or the
    # subscription's) customer, and says so with a 400 naming the parameter.
    UserError = errors.UserError
    if not (isinstance(pm_id, str) and pm_id.startswith('pm_')):
        raise UserError(400, 'Invalid ' + param, {'param': param})
    pm = resources.PaymentMethod._api_retrieve(pm_id)  # 404 if unknown
    if pm.customer != customer:
        raise UserError(400, 'The customer does not have a payment method '
                        'with the ID %s.' % pm_id,
                        {'code': 'resource_missing', 'param': param})
    return pm


def _patch_card_update():
    # A member's new card (issue 28): Stripe keeps a subscription's own
    # `default_payment_method` (create and update; it is charged before the
    # customer's invoice_settings default), and `POST /v1/invoices/{id}/pay`
    # takes a `payment_method`. localstripe rejects the parameter on a
    # subscription (500) and always charges the customer's default.
    Subscription = resources.Subscription
    Invoice = resources.Invoice
    orig_init = Subscription.__init__

    def patched_init(self, default_payment_method=None, **kwargs):
        if default_payment_method is not None:
            _attached_payment_method(default_payment_method,
                                     kwargs.get('customer'),
                                     'default_payment_method')
        self.default_payment_method = default_payment_method
        orig_init(self, **kwargs)

    Subscription.__init__ = patched_init
    orig_update = Subscription._update  # already the billing patch's

    def patched_update(self, default_payment_method=None, **kwargs):
        if default_payment_method is not None:
            pm = None
            if default_payment_method != '':
                pm = _attached_payment_method(default_payment_method,
                                              self.customer,
                                              'default_payment_method').id
            self.default_payment_method = pm
        orig_update(self, **kwargs)

    Subscription._update = patched_update

    def pay(cls, id, payment_method=None):
        UserError = errors.UserError
        obj = Invoice._api_retrieve(id)
        if obj.status == 'paid':
            raise UserError(400, 'Invoice is already paid',
                            {'code': 'invoice_already_paid'})
        elif obj.status not in ('draft', 'open'):
            raise UserError(400, 'Bad request')
        pm = None
        if payment_method is not None:
            pm = _attached_payment_method(payment_method, obj.customer,
                                          'payment_method')
        elif obj.subscription:
            sub = Subscription._api_retrieve(obj.subscription)
            if getattr(sub, 'default_payment_method', None):
                pm = resources.PaymentMethod._api_retrieve(
                    sub.default_payment_method)
        if pm is None and obj.total > 0:
            cus = resources.Customer._api_retrieve(obj.customer)
            pm = cus._get_default_payment_method_or_source()
            if pm is None:
                raise UserError(404, 'This customer has no payment method')
        obj._draft = False
        if obj.total <= 0:
            obj._on_payment_success()
            return obj
        pi = resources.PaymentIntent(amount=obj.total, currency=obj.currency,
                                     customer=obj.customer,
                                     payment_method=pm.id)
        obj.payment_intent = pi.id
        pi.invoice = obj.id
        pi._confirm(on_failure_now=lambda: None)
        return obj

    # Subscriptions pay their first invoice through this (a decline there
    # leaves the subscription `incomplete`, as before).
    Invoice._api_pay_invoice = classmethod(pay)


def pay_invoice_route(id, payment_method=None):
    """`POST /v1/invoices/{id}/pay` as Stripe answers it: a declined card is a
    402 card_error (localstripe answers 200 with the invoice still open) and
    sends `invoice.payment_failed`; a subscription it bills becomes
    `past_due`."""
    invoice = resources.Invoice._api_pay_invoice(id, payment_method)
    charge = invoice.charge
    if invoice.status == 'open' and charge is not None \
            and charge.status == 'failed':
        resources.schedule_webhook(
            resources.Event('invoice.payment_failed', invoice))
        if invoice.subscription:
            sub = resources.Subscription._api_retrieve(invoice.subscription)
            if sub.status == 'active':
                sub.status = 'past_due'
                resources.schedule_webhook(
                    resources.Event('customer.subscription.updated', sub))
        raise errors.UserError(402, charge.failure_message,
                               {'code': charge.failure_code,
                                'charge': charge.id})
    return invoice


def _patch_period_advance():
    # localstripe never moves a subscription to its next period, so a renewal
    # (paid or failed) cannot happen at the emulator. The subscription keeps
    # its own period start, which `renew_subscription` moves on.
    SubscriptionItem = resources.SubscriptionItem
    orig_period = SubscriptionItem._current_period

    def patched_period(self):
        period = orig_period(self)
        if self._subscription:
            sub = resources.Subscription._api_retrieve(self._subscription)
            start = getattr(sub, '_period_start', None)
            if start is not None:
                end = resources.datetime.fromtimestamp(start)
                step = {'day': resources.timedelta(days=1),
                        'week': resources.timedelta(days=7),
                        'month': resources.relativedelta(months=1),
                        'year': resources.relativedelta(years=1)}
                end += step.get(self.plan.interval, resources.timedelta(0))
                period = dict(start=start, end=int(end.timestamp()))
        return period

    SubscriptionItem._current_period = patched_period


def renew_subscription(id):
    """What Stripe does at the end of a period (test-only route
    `POST /_config/subscriptions/{id}/renew`): the next period starts, its
    invoice is charged to the subscription's (else the customer's) default
    card; paid sends `invoice.payment_succeeded` and `invoice.paid`, declined
    sends `invoice.payment_failed` and leaves the subscription `past_due` with
    the invoice open. Answers the renewal invoice."""
    sub = resources.Subscription._api_retrieve(id)
    if sub.status not in ('active', 'past_due', 'trialing'):
        raise errors.UserError(400, 'This subscription is %s.' % sub.status)
    sub._period_start = sub.current_period_end
    invoice = resources.Invoice(
        customer=sub.customer, subscription=sub.id,
        items=list(sub.items._list), tax_percent=sub.tax_percent,
        date=sub.current_period_start)
    invoice.billing_reason = 'subscription_cycle'
    invoice._finalize()
    if invoice.status != 'paid':
        resources.Invoice._api_pay_invoice(invoice.id)
    if invoice.status != 'paid':
        resources.schedule_webhook(
            resources.Event('invoice.payment_failed', invoice))
        sub.status = 'past_due'
    else:
        sub.status = 'active'
    resources.schedule_webhook(
        resources.Event('customer.subscription.updated', sub))
    return invoice


_PAY_PATH = re.compile(r'^/v1/invoices/(in_\w+)/pay$')
_RENEW_PATH = re.compile(r'^/_config/subscriptions/(sub_\w+)/renew$')


@web.middleware
async def _billing_middleware(request, handler):
    pay = _PAY_PATH.match(request.path)
    renew = _RENEW_PATH.match(request.path)
    if request.method != 'POST' or not (pay or renew):
        return await handler(request)
    if pay and server.get_api_key(request) is None:
        return await handler(request)  # localstripe's 401
    try:
        if pay:
            data = await server.get_post_data(request) or {}
            extra = set(data) - {'payment_method', 'expand'}
            if extra:
                raise errors.UserError(400, 'Unexpected ' + ', '.join(extra))
            invoice = pay_invoice_route(pay.group(1),
                                        data.get('payment_method'))
        else:
            invoice = renew_subscription(renew.group(1))
        return server.json_response(invoice._export())
    except errors.UserError as e:
        return e.to_response()
    finally:
        resources.store.dump_to_disk()


# --------------------------------------------------------------------------
# The fake Stripe.js: card payments the way real Stripe.js makes them
# --------------------------------------------------------------------------

# localstripe's /js.stripe.com/v3/ ignores the card in
# stripe.confirmCardPayment(clientSecret, {payment_method: {card}}): it always
# shows its 3-D Secure dialog and calls /_authenticate, which only works for a
# PaymentIntent already in requires_action. So a page written for real Stripe
# (a PaymentIntent created without a payment method, confirmed in the browser
# with the Card Element) could never pay. The served script gets an override
# that confirms with the typed card like real Stripe.js (publishable key +
# client_secret, POST /v1/payment_intents/{id}/confirm with
# payment_method_data), then shows the 3-D Secure dialog only when the card
# needs it. Card numbers behave as localstripe defines them: 4242424242424242
# pays, 4000000000000341 is declined (402 card_declined), 4000002500003155
# asks for 3-D Secure.

_STRIPE_JS_OVERRIDE = r"""
;(function () {
  const fakeStripe = Stripe;
  const post = async (path, body) => {
    const response = await fetch(LOCALSTRIPE_BASE_API + path, { method: 'POST', body: JSON.stringify(body) });
    const json = await response.json().catch(() => ({}));
    return { ok: response.ok && !json.error, json };
  };
  const outcome = (pi) => (pi.status === 'succeeded' || pi.status === 'processing' || pi.status === 'requires_capture'
    ? { paymentIntent: pi }
    : { error: { type: 'card_error', ...(pi.last_payment_error || { message: 'The payment was not completed.' }) } });
  Stripe = window.Stripe = (apiKey) => {
    const stripe = fakeStripe(apiKey);
    const confirmWithDialog = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const card = data && data.payment_method && data.payment_method.card;
      if (!card || typeof card !== 'object' || !('_inputs' in card)) return confirmWithDialog(clientSecret, data);
      const value = card.value && card.value.card;
      const number = value ? String(value.number).replace(/\s+/g, '') : '';
      if (number.length !== 16) {
        return { error: { type: 'validation_error', code: 'incomplete_number', message: 'Your card number is incomplete.' } };
      }
      const pi = clientSecret.match(/^(pi_\w+)_secret_/)[1];
      const first = await post(`/v1/payment_intents/${pi}/confirm`, {
        key: apiKey, client_secret: clientSecret,
        payment_method_data: { type: 'card', card: { ...value, number } },
      });
      if (!first.ok) return { error: first.json.error || { message: 'The card could not be charged.' } };
      if (first.json.status !== 'requires_action') return outcome(first.json);
      const second = await confirmWithDialog(clientSecret, data);
      return second.error ? second : outcome(second.paymentIntent);
    };
    // localstripe's createPaymentMethod does nothing; real Stripe.js creates the card's
    // PaymentMethod with the publishable key (what a subscription is started with).
    stripe.createPaymentMethod = async (data) => {
      const card = data && data.card;
      if (!card || typeof card !== 'object' || !('_inputs' in card)) {
        return { error: { type: 'validation_error', message: 'Use the card element.' } };
      }
      const value = card.value && card.value.card;
      const number = value ? String(value.number).replace(/\s+/g, '') : '';
      if (number.length !== 16) {
        return { error: { type: 'validation_error', code: 'incomplete_number', message: 'Your card number is incomplete.' } };
      }
      const made = await post('/v1/payment_methods', {
        key: apiKey, type: 'card', card: { ...value, number }, billing_details: data.billing_details,
      });
      return made.ok ? { paymentMethod: made.json } : { error: made.json.error || { message: 'The card could not be read.' } };
    };
    return stripe;
  };
})();
"""

_CONFIRM_PATH = re.compile(r'^/v1/payment_intents/(pi_\w+)/confirm$')


def _patched_stripe_js():
    path = os.path.join(os.path.dirname(os.path.realpath(localstripe.__file__)),
                        'localstripe-v3.js')
    with open(path) as f:
        return f.read() + _STRIPE_JS_OVERRIDE


def _confirm_with_card(pi_id, data):
    # What Stripe.js sends: publishable key, client_secret, the card.
    UserError = errors.UserError
    key = data.get('key')
    if not (isinstance(key, str) and key.startswith('pk_')):
        raise UserError(401, 'Unauthorized')
    pi = resources.PaymentIntent._api_retrieve(pi_id)
    if data.get('client_secret') != pi.client_secret:
        raise UserError(401, 'Unauthorized')
    pmd = data.get('payment_method_data')
    if not isinstance(pmd, dict):
        raise UserError(400, 'Missing payment_method_data')
    if pi.status not in ('requires_payment_method', 'requires_confirmation'):
        raise UserError(400, 'This PaymentIntent\'s status is %s.' % pi.status,
                        {'code': 'payment_intent_unexpected_state'})
    pm = resources.PaymentMethod._api_create(**pmd)
    # After a declined attempt the failed charge stays the latest one, which
    # would keep the status at requires_payment_method: start afresh.
    if pi.latest_charge is not None and pi.latest_charge.status == 'failed':
        pi.latest_charge = None
    pi._authentication_failed = False
    pi.payment_method = pm.id
    pi._confirm(on_failure_now=pi._report_failure)
    return server.json_response(pi._export())


def _create_payment_method(data):
    # What Stripe.js sends for createPaymentMethod: publishable key and the card.
    key = data.pop('key', None)
    if not (isinstance(key, str) and key.startswith('pk_')):
        raise errors.UserError(401, 'Unauthorized')
    fields = {k: v for k, v in data.items() if k in ('type', 'card', 'billing_details') and v is not None}
    pm = resources.PaymentMethod._api_create(**fields)
    return server.json_response(pm._export())


@web.middleware
async def _stripe_js_middleware(request, handler):
    if request.method == 'GET' and request.path == '/js.stripe.com/v3/':
        return web.Response(text=_patched_stripe_js(),
                            content_type='application/javascript')
    if (request.method == 'POST' and request.path == '/v1/payment_methods'
            and server.get_api_key(request) is None):
        try:
            data = await server.get_post_data(request, remove_auth=False)
            return _create_payment_method(data or {})
        except errors.UserError as e:
            return e.to_response()
        finally:
            resources.store.dump_to_disk()
    match = _CONFIRM_PATH.match(request.path)
    if (request.method == 'POST' and match
            and server.get_api_key(request) is None):
        try:
            data = await server.get_post_data(request, remove_auth=False)
            return _confirm_with_card(match.group(1), data or {})
        except errors.UserError as e:
            return e.to_response()
        finally:
            resources.store.dump_to_disk()
    return await handler(request)


# Stripe's international test cards are 4000 00 + the ISO 3166 numeric code
# of the issuing country + zeros + a Luhn digit (4000002500000003 is French,
# 4000002760000016 German); every other test number (4242...) is American.
# localstripe says 'FR' for every PaymentMethod card (and 'US' for legacy
# cards), so a card country could never contradict anything in a test.
_CARD_COUNTRIES = {
    '040': 'AT', '056': 'BE', '100': 'BG', '191': 'HR', '196': 'CY',
    '203': 'CZ', '208': 'DK', '233': 'EE', '246': 'FI', '250': 'FR',
    '276': 'DE', '300': 'GR', '348': 'HU', '372': 'IE', '380': 'IT',
    '428': 'LV', '440': 'LT', '442': 'LU', '470': 'MT', '528': 'NL',
    '616': 'PL', '620': 'PT', '642': 'RO', '703': 'SK', '705': 'SI',
    '724': 'ES', '752': 'SE', '826': 'GB', '756': 'CH', '578': 'NO',
    '124': 'CA', '840': 'US',
}


def card_country(number):
    """The issuing country Stripe's test card `number` stands for."""
    if isinstance(number, str) and number.startswith('400000'):
        found = _CARD_COUNTRIES.get(number[6:9])
        if found:
            return found
    return 'US'


def _luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def country_test_number(alpha2):
    """The test card number of a country (`pm_card_fr` -> 4000002500000003)."""
    for numeric, country in _CARD_COUNTRIES.items():
        if country == alpha2.upper() and country != 'US':
            body = '400000' + numeric + '000000'
            return body + _luhn_digit(body)
    return '4242424242424242' if alpha2.upper() == 'US' else None


def _patch_card_countries():
    PaymentMethod = resources.PaymentMethod
    orig_init = PaymentMethod.__init__

    def patched_init(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        if getattr(self, 'type', None) == 'card':
            self.card['country'] = card_country(self._card_number)

    PaymentMethod.__init__ = patched_init

    orig_canonical = PaymentMethod._try_get_canonical_test_article.__func__

    def patched_canonical(cls, id):
        # pm_card_us, pm_card_fr, pm_card_de ... as real Stripe knows them.
        m = re.fullmatch(r'pm_card_([a-z]{2})', id or '')
        number = country_test_number(m.group(1)) if m else None
        if number:
            return cls(type='card', card=dict(
                number=number, exp_month='12', exp_year='2030', cvc='123'))
        return orig_canonical(cls, id)

    PaymentMethod._try_get_canonical_test_article = classmethod(
        patched_canonical)

    Card = resources.Card
    orig_card_init = Card.__init__

    def patched_card_init(self, *args, **kwargs):
        orig_card_init(self, *args, **kwargs)
        self.country = card_country(self._card_number)

    Card.__init__ = patched_card_init


def _patch_store(state_path):
    def try_load_from_disk(self):
        try:
            with open(state_path, 'rb') as f:
                old = pickle.load(f)
        except FileNotFoundError:
            return
        self.clear()
        self.update(old)

    def dump_to_disk(self):
        tmp = state_path + '.tmp'
        with open(tmp, 'wb') as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, state_path)

    resources.Store.try_load_from_disk = try_load_from_disk
    resources.Store.dump_to_disk = dump_to_disk


# --------------------------------------------------------------------------
# Entry point (mirrors localstripe.server.start, minus the "::" bind)
# --------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to bind (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0,
                        help='port to bind; 0 picks a free one (default)')
    parser.add_argument('--state', required=True,
                        help='pickle file holding the emulator state')
    parser.add_argument('--port-file',
                        help='write the bound port number to this file')
    parser.add_argument('--from-scratch', action='store_true',
                        help='ignore an existing state file')
    parser.add_argument('--quiet', action='store_true',
                        help='no access log')
    args = parser.parse_args(argv)

    version = getattr(localstripe, '__version__', None)
    if version is None:
        try:
            from importlib.metadata import version as _v
            version = _v('localstripe')
        except Exception:  # pragma: no cover
            version = 'unknown'
    if version != EXPECTED_VERSION:
        print('localstripe_patched: expected localstripe %s, found %s'
              % (EXPECTED_VERSION, version), file=sys.stderr)
        return 2

    state_path = os.path.abspath(args.state)
    os.makedirs(os.path.dirname(state_path), exist_ok=True)

    _patch_store(state_path)
    _patch_responses()
    _patch_events()
    _patch_webhook_delivery()
    _patch_payment_intent_params()
    _patch_refund_amounts()
    _patch_charge_refunded_event()
    _patch_billing()
    _patch_card_update()
    _patch_period_advance()
    _patch_card_countries()
    server.app.middlewares.insert(0, _stripe_js_middleware)
    server.app.middlewares.insert(0, _billing_middleware)

    if not args.from_scratch:
        resources.store.try_load_from_disk()

    family = socket.AF_INET6 if ':' in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]

    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as f:
            f.write('%d\n' % port)
        os.replace(tmp, args.port_file)

    logger = logging.getLogger('aiohttp.access')
    if not args.quiet:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(logging.StreamHandler())
    # localstripe.webhooks logs deliveries on the same logger.

    host_for_url = '[%s]' % args.host if ':' in args.host else args.host
    print('localstripe listening on http://%s:%d' % (host_for_url, port),
          flush=True)
    web.run_app(server.app, sock=sock, access_log=logger if not args.quiet
                else None, print=None)
    return 0


if __name__ == '__main__':
    sys.exit(main())
