import { maskPhone, normalisePhone, stageRank } from '../../domain';

test('mainland mobile numbers in every spelling normalise to the same 11 digits', () => {
  for (const raw of [
    '13912345678',
    '+86 139 1234 5678',
    '+86-139-1234-5678',
    '0086 13912345678',
    '8613912345678',
    '139-1234-5678',
    ' (139) 1234 5678 ',
  ])
    expect(normalisePhone(raw)).toBe('13912345678');
});

test('anything else is not a phone', () => {
  for (const raw of ['139', '12912345678', '1391234567', '139123456789', '+1 415 555 0100', 'abc', '', '+8612912345678'])
    expect(normalisePhone(raw)).toBeUndefined();
});

test('a masked phone keeps the first three and last four digits', () => {
  expect(maskPhone('13912341234')).toBe('139****1234');
});

test('stages only move forward, lost aside', () => {
  expect(stageRank('visitor')).toBeLessThan(stageRank('intent'));
  expect(stageRank('subscribed')).toBeLessThan(stageRank('signed'));
  expect(stageRank('paid')).toBeLessThan(stageRank('handed_over'));
  expect(stageRank('lost')).toBeLessThan(stageRank('visitor'));
});
