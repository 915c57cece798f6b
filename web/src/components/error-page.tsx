import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** 403 and 404 pages; loaded on demand (antd's Result carries its illustrations). */
export default function ErrorPage({ status }: { status: '403' | '404' }) {
  const { t } = useTranslation();
  return <Result status={status} title={status === '403' ? t('common.forbidden') : t('common.notFound')} />;
}
