import { Button, Grid, Space } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TableProps } from 'antd';
import type { PagedQuery } from '../api/queries';
import { ResponsiveTable } from './common';
import { Muted } from './text';

type Props<T extends object> = Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'> & {
  query: PagedQuery<T>;
  /** The list's filters: new ones start again on the first page. */
  filters?: unknown;
  card: (row: T) => ReactNode;
  cardTitle: (row: T) => ReactNode;
  empty?: string;
};

/**
 * A list the API pages with a cursor: on wide screens a table of one page with
 * previous/next (a keyset cursor goes forward, so the pages seen are kept to go
 * back); on phones the cards of every page loaded and "load more". The total shows
 * where the API counts it. New `filters` start again on the first page (the table
 * stays mounted, so a row's open popover survives a refetch).
 */
export function PagedTable<T extends object>({ query, filters, ...table }: Props<T>) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  // The page shown, for the filters it was chosen under: other filters show their first page.
  const filterKey = JSON.stringify(filters ?? null);
  const [shownPage, setShownPage] = useState({ filterKey, index: 0 });
  const index = shownPage.filterKey === filterKey ? shownPage.index : 0;
  const setIndex = (i: number) => setShownPage({ filterKey, index: i });
  const pages = query.data?.pages ?? [];
  const total = pages[0]?.total;
  const shown = pages.reduce((n, p) => n + p.items.length, 0);
  const current = Math.min(index, Math.max(pages.length - 1, 0));
  const more = query.hasNextPage;
  const busy = query.isFetchingNextPage;

  if (!screens.md) {
    return (
      <>
        <ResponsiveTable<T> {...table} dataSource={pages.flatMap((p) => p.items)} loading={query.isLoading} pagination={false} />
        <Space direction="vertical" align="center" style={{ width: '100%', marginTop: 12 }}>
          <Muted>
            {total === undefined
              ? t('common.shownRows', { count: shown })
              : `${t('common.shownRows', { count: shown })} · ${t('common.totalRows', { count: total })}`}
          </Muted>
          {more && (
            <Button block loading={busy} onClick={() => void query.fetchNextPage()}>
              {t('common.loadMore')}
            </Button>
          )}
        </Space>
      </>
    );
  }

  const next = async () => {
    if (current + 1 >= pages.length) await query.fetchNextPage();
    setIndex(current + 1);
  };
  return (
    <>
      <ResponsiveTable<T> {...table} dataSource={pages[current]?.items ?? []} loading={query.isLoading || busy} pagination={false} />
      <Space style={{ width: '100%', justifyContent: 'flex-end', marginTop: 12 }} wrap>
        {total !== undefined && <Muted>{t('common.totalRows', { count: total })}</Muted>}
        <Button disabled={current === 0} onClick={() => setIndex(current - 1)}>
          {t('common.previousPage')}
        </Button>
        <Muted>{t('common.pageNumber', { page: current + 1 })}</Muted>
        {/* The table shows it is loading; a button greyed while loading would fail contrast. */}
        <Button disabled={!(more || current + 1 < pages.length) || busy} onClick={() => void next()}>
          {t('common.nextPage')}
        </Button>
      </Space>
    </>
  );
}
