import { formatMoneyShort } from '../../web/src/format';
import { definitionOptions } from '../../web/src/components/definition-options';

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

test('definitions sharing a title are told apart by key in a filter; others by title alone', () => {
  const text = (t: string) => t.split(' ')[0]!;
  expect(
    definitionOptions(
      [
        { key: 'two-level-approval', title: '两级审批 Two-level approval' },
        { key: 'copy-1', title: '两级审批 Two-level approval' },
        { key: 'sales-launch', title: '项目销售进程 Sales launch' },
      ],
      text,
    ),
  ).toEqual([
    { value: 'two-level-approval', label: '两级审批（two-level-approval）' },
    { value: 'copy-1', label: '两级审批（copy-1）' },
    { value: 'sales-launch', label: '项目销售进程' },
  ]);
});
