import { i18n } from '../i18n';
import { ApiError } from './client';

/**
 * An error in the user's language: what kind of refusal it is (by HTTP status), then
 * the API's own explanation, which names the object (the API speaks English), and
 * the fields a 400 names.
 */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return `${i18n.t('errors.network')}${err instanceof Error ? `: ${err.message}` : ''}`;
  const kind = i18n.exists(`errors.${err.status}`) ? i18n.t(`errors.${err.status}`) : i18n.t('common.error');
  const fields = err.details.map((d) => `${d.field.replace(/^body\./, '')}: ${d.reason}`).join('; ');
  return `${kind}（${[err.message, fields].filter(Boolean).join(' — ')}）`;
}
