import { formatMoneyShort } from '../../web/src/format';

// The units grid prints each unit's list price in a few characters.
test.each([
  ['zh-CN', 3_120_000, '¥312万'],
  ['zh-CN', 865_000, '¥86.5万'],
  ['zh-CN', 9_800, '¥9800'],
  ['en', 3_120_000, '¥3.12M'],
  ['en', 865_000, '¥865k'],
  ['en', '1200000.00', '¥1.2M'],
])('%s %s → %s', (language, value, text) => {
  expect(formatMoneyShort(value, null, language)).toBe(text);
});
