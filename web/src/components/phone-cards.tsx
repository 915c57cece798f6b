import { Card, List } from 'antd';
import type { ReactNode } from 'react';

/** What the card list shows. */
export interface PhoneCardsProps<T> {
  rows: T[];
  rowKey: (row: T, index: number) => string;
  loading: boolean;
  empty: ReactNode;
  card: (row: T) => ReactNode;
  cardTitle: (row: T) => ReactNode;
}

/** Rows as cards, one under another: what a table becomes on a phone. */
export default function PhoneCards<T>({ rows, rowKey, loading, empty, card, cardTitle }: PhoneCardsProps<T>) {
  return (
    <List
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: empty }}
      renderItem={(row, i) => (
        <List.Item key={rowKey(row, i)} style={{ padding: '4px 0', border: 'none' }}>
          <Card size="small" title={cardTitle(row)} style={{ width: '100%' }}>
            {card(row)}
          </Card>
        </List.Item>
      )}
    />
  );
}
