// Unit tests of assets/js/money.js, the one place the UI turns minor units into text and
// typed amounts back into minor units. Plain node:test, no browser: run by tests/ui/check.sh.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  currencyDigits, formatMoney, formatMoneyShort, moneyInput, parseMoney,
} from '../../../assets/js/money.js';

// Intl separates a code from the number with a no-break space; compare with plain spaces.
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('each currency has the minor units Intl gives it: JPY 0, EUR 2, KWD 3', () => {
  assert.equal(currencyDigits('JPY'), 0);
  assert.equal(currencyDigits('EUR'), 2);
  assert.equal(currencyDigits('KWD'), 3);
  assert.equal(currencyDigits('usd'), 2);
});

test('yen amounts are whole yen, never divided by 100', () => {
  assert.equal(formatMoney(1200, 'JPY', 'en-US'), '¥1,200');
  assert.equal(formatMoney(1, 'JPY', 'en-US'), '¥1');
  assert.equal(plain(formatMoney(1200, 'JPY', 'de-DE')), '1.200 ¥');
});

test('euro amounts are cents divided by 100, in the reader locale', () => {
  assert.equal(formatMoney(1250, 'EUR', 'en-US'), '€12.50');
  assert.equal(plain(formatMoney(1250, 'EUR', 'de-DE')), '12,50 €');
  assert.equal(formatMoney(123456789, 'EUR', 'en-US'), '€1,234,567.89');
});

test('dinar amounts have three decimals', () => {
  assert.equal(plain(formatMoney(12500, 'KWD', 'en-US')), 'KWD 12.500');
  assert.equal(plain(formatMoney(1, 'KWD', 'en-US')), 'KWD 0.001');
});

test('negative amounts such as refunds keep their sign and minor units', () => {
  assert.equal(formatMoney(-500, 'USD', 'en-US'), '-$5.00');
  assert.equal(formatMoney(-1200, 'JPY', 'en-US'), '-¥1,200');
  assert.equal(plain(formatMoney(-12345, 'KWD', 'en-US')), '-KWD 12.345');
});

test('zero is shown as zero in every currency', () => {
  assert.equal(formatMoney(0, 'USD', 'en-US'), '$0.00');
  assert.equal(formatMoney(0, 'JPY', 'en-US'), '¥0');
  assert.equal(formatMoney(-0, 'USD', 'en-US'), '$0.00');
  assert.equal(formatMoneyShort(-0, 'USD', 'en-US'), '$0');
  assert.equal(plain(formatMoney(0, 'KWD', 'en-US')), 'KWD 0.000');
});

test('a missing or non-numeric amount is shown as nothing', () => {
  for (const v of [null, undefined, '', 'abc']) assert.equal(formatMoney(v, 'USD', 'en-US'), '');
});

test('an amount sent as a numeric string is formatted like a number', () => {
  assert.equal(formatMoney('1999', 'USD', 'en-US'), '$19.99');
});

test('an unknown currency code falls back to dollars instead of breaking the page', () => {
  assert.equal(formatMoney(100, 'XX', 'en-US'), '$1.00');
  assert.equal(formatMoney(100, null, 'en-US'), '$1.00');
});

test('chart axis labels use the currency minor units too', () => {
  assert.equal(formatMoneyShort(1234567, 'USD', 'en-US'), '$12.3K');
  assert.equal(formatMoneyShort(1234567, 'JPY', 'en-US'), '¥1.2M');
  assert.equal(formatMoneyShort(0, 'EUR', 'en-US'), '€0');
});

test('a price typed as 12.50 euros is 1250 cents, and 1200 yen is 1200', () => {
  assert.equal(parseMoney('12.50', 'EUR'), 1250);
  assert.equal(parseMoney('12,50', 'EUR'), 1250);
  assert.equal(parseMoney('12.5', 'EUR'), 1250);
  assert.equal(parseMoney('12', 'EUR'), 1200);
  assert.equal(parseMoney('1200', 'JPY'), 1200);
  assert.equal(parseMoney('0.125', 'KWD'), 125);
  assert.equal(parseMoney(' 19.99 ', 'USD'), 1999);
});

test('thousands separators are read as grouping, not as decimals', () => {
  assert.equal(parseMoney('1,200', 'JPY'), 1200);
  assert.equal(parseMoney('1.200', 'JPY'), 1200);
  assert.equal(parseMoney('1,234.56', 'USD'), 123456);
  assert.equal(parseMoney('1.234,56', 'EUR'), 123456);
  assert.equal(parseMoney('1 234,56', 'EUR'), 123456);
  assert.equal(parseMoney('1,234,567', 'USD'), 123456700);
  // Two minor digits: "1,200" dollars could be 1200 or 1.20, so it is refused, not guessed.
  assert.ok(Number.isNaN(parseMoney('1,200', 'USD')));
  assert.ok(Number.isNaN(parseMoney('12.505', 'EUR')));
  // Three minor digits: a lone separator before three digits is the decimal point.
  assert.equal(parseMoney('1,200', 'KWD'), 1200);
});

test('zero typed in a price field is zero minor units (a free course)', () => {
  assert.equal(parseMoney('0', 'USD'), 0);
  assert.equal(parseMoney('0.00', 'EUR'), 0);
  assert.equal(parseMoney('0', 'JPY'), 0);
});

test('an empty price field is no amount, and anything not an amount is refused', () => {
  assert.equal(parseMoney('', 'USD'), null);
  assert.equal(parseMoney('   ', 'USD'), null);
  assert.equal(parseMoney(null, 'USD'), null);
  for (const bad of ['-5', '-5.00', 'abc', '12.5050', '€12', '1,2,3', '12..5', '.', '1e3']) {
    assert.ok(Number.isNaN(parseMoney(bad, 'EUR')), `${bad} must be refused`);
  }
  assert.ok(Number.isNaN(parseMoney('12.5', 'JPY')), 'yen have no decimals');
  assert.ok(Number.isNaN(parseMoney('1.2345', 'KWD')), 'dinars have three decimals');
});

test('a price field starts with the stored amount in major units', () => {
  assert.equal(moneyInput(1250, 'EUR'), '12.50');
  assert.equal(moneyInput(1200, 'JPY'), '1200');
  assert.equal(moneyInput(125, 'KWD'), '0.125');
  assert.equal(moneyInput(0, 'USD'), '0.00');
  assert.equal(moneyInput(null, 'USD'), '');
});

test('what a price field starts with parses back to the same minor units', () => {
  for (const [cents, cur] of [[1250, 'EUR'], [1200, 'JPY'], [125, 'KWD'], [0, 'USD'], [99999999, 'USD'], [1, 'KWD']]) {
    assert.equal(parseMoney(moneyInput(cents, cur), cur), cents, `${cents} ${cur}`);
  }
});
