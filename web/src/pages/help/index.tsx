import { Card, Col, Menu, Row, Select } from 'antd';
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';
import { api } from '../../api/client';
import type { HelpPages } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { useLabels } from '../../i18n/labels';
import { navigate } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { firstHelpPage } from './first-page';

/**
 * The help centre: each role's guide to its daily work and the FAQ, in the user's
 * language. The pages are markdown that ships with the server (`help/<locale>/`),
 * rendered as HTML and then sanitised ({@link helpHtml}).
 */
/**
 * A help page's markdown as HTML safe to insert: markdown passes raw HTML through,
 * so whoever can change a help file (a deployment, a customised copy, a compromised
 * server) could otherwise run script in every user's session. DOMPurify keeps the
 * formatting and drops scripts, event handlers and `javascript:` links.
 */
export function helpHtml(markdown: string): string {
  return DOMPurify.sanitize(marked.parse(markdown, { async: false }));
}

export default function HelpPage({ query }: PageProps) {
  const { t, language } = useLabels();
  const { me } = useSession();
  const locale = language === 'en' ? 'en' : 'zh-CN';
  const help = useApi(['/api/help', locale], () => api.get<HelpPages>('/api/help', { locale }));
  const pages = help.data?.pages ?? [];
  // Opened without a page: the reader's own role's guide.
  const first = firstHelpPage(
    pages.map((p) => p.slug),
    me?.roles ?? [],
  );
  const current = pages.find((p) => p.slug === query.page) ?? pages.find((p) => p.slug === first);
  const html = useMemo(() => (current ? helpHtml(current.markdown) : ''), [current]);
  const open = (slug: string) => navigate(`/help?page=${encodeURIComponent(slug)}`);
  return (
    <>
      <PageTitle title={t('help.title')} />
      <LoadError error={help.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={0}>
          <Select
            aria-label={t('help.pages')}
            style={{ width: '100%' }}
            value={current?.slug}
            onChange={open}
            options={pages.map((p) => ({ value: p.slug, label: p.title }))}
          />
        </Col>
        <Col xs={0} md={6}>
          <Card size="small" title={t('help.pages')}>
            <Menu
              mode="inline"
              selectedKeys={current ? [current.slug] : []}
              items={pages.map((p) => ({ key: p.slug, label: p.title }))}
              onClick={({ key }) => open(key)}
              style={{ borderInlineEnd: 'none' }}
            />
          </Card>
        </Col>
        <Col xs={24} md={18}>
          <Card size="small">
            <article className="help-article" data-testid="help-article" dangerouslySetInnerHTML={{ __html: html }} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
