import { useTranslation } from 'react-i18next';
import { humanise, localText } from './humanise';
import { i18n } from './index';

export { humanise, localText };

/** The translation of `<area>.<key>`, or the humanised key when there is none. */
export function labelOf(area: string, key: string | null | undefined): string {
  if (!key) return '';
  const full = `${area}.${key}`;
  return i18n.exists(full) ? i18n.t(full) : humanise(key);
}

/** A definition's bilingual text (`中文 English`) in the current language, outside components. */
export const localized = (text: string | null | undefined): string => localText(text, i18n.language);

/** Human names for the vocabularies the API speaks in keys. Re-renders on a language change. */
export function useLabels() {
  const { t, i18n: current } = useTranslation();
  return {
    t,
    language: current.language,
    /** A definition's bilingual text (`中文 English`) in the user's language. */
    text: (value: string | null | undefined) => localText(value, current.language),
    role: (key: string | null | undefined) => labelOf('role', key),
    outcome: (key: string | null | undefined) => labelOf('outcome', key),
    processStatus: (key: string | null | undefined) => labelOf('status.process', key),
    taskStatus: (key: string | null | undefined) => labelOf('status.task', key),
    stepStatus: (key: string | null | undefined) => labelOf('status.step', key),
    unitStatus: (key: string | null | undefined) => labelOf('status.unit', key),
    event: (key: string | null | undefined) => labelOf('event', key),
    permission: (key: string | null | undefined) => labelOf('permission', key),
    permissionModule: (key: string | null | undefined) => labelOf('permissionModule', key),
    auditAction: (key: string | null | undefined) => labelOf('audit.actions', key),
    recordKind: (key: string | null | undefined) => labelOf('records.kinds', key),
    option: (key: string | null | undefined) => labelOf('option', key),
    stepKind: (key: string | null | undefined) => labelOf('step.kind', key),
    customerStage: (key: string | null | undefined) => labelOf('customers.stages', key),
    channel: (key: string | null | undefined) => labelOf('customers.channels', key),
    customerEvent: (key: string | null | undefined) => labelOf('customers.events', key),
    dealStage: (key: string | null | undefined) => labelOf('orders.dealStages', key),
    orderKind: (key: string | null | undefined) => labelOf('orders.kinds', key),
    orderStatus: (key: string | null | undefined) => labelOf('orders.statuses', key),
    serviceKind: (key: string | null | undefined) => labelOf('customers.serviceKinds', key),
    serviceStatus: (key: string | null | undefined) => labelOf('customers.serviceStatuses', key),
  };
}
