import { i18n } from '../i18n';
import { ApiError } from './client';

/**
 * An error in the user's language: what kind of refusal it is (by HTTP status), then
 * the API's own explanation, which names the object (the API speaks English), and
 * the fields a 400 names.
 */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return `${i18n.t('errors.network')}${err instanceof Error ? `: ${err.message}` : ''}`;
  // A refusal with a reason the app can word says only that, in the user's language.
  if (err.reason && i18n.exists(`errors.reasons.${err.reason.code}`))
    return i18n.t(`errors.reasons.${err.reason.code}`, err.reason.params ?? {});
  const kind = i18n.exists(`errors.${err.status}`) ? i18n.t(`errors.${err.status}`) : i18n.t('common.error');
  const fields = err.details.map((d) => `${d.field.replace(/^(body|query|params)\./, '')}: ${d.reason}`).join('; ');
  // Invalid fields speak for themselves (the API words them in the user's language); the English summary would repeat them.
  return `${kind}（${(fields ? [fields] : [err.message]).join(' — ')}）`;
}
