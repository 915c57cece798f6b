import { Alert, Button, Checkbox, Form, Input, Modal, Space, Table } from 'antd';
import { errorText } from '../../api/error-text';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { Permission, RoleList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { useMessage } from '../../feedback';
import { i18n } from '../../i18n';
import { useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';

/**
 * Roles as a permission matrix: one row per permission (grouped by module), one
 * column per role. Changed roles are saved with PUT /api/roles/:name.
 */
export default function RolesPage(_props: PageProps) {
  const { t, role, permission, permissionModule } = useLabels();
  const message = useMessage();
  const data = useApi(['/api/roles'], () => api.get<RoleList>('/api/roles'));
  const [matrix, setMatrix] = useState<Record<string, Set<Permission>>>({});
  const [dirty, setDirty] = useState<Set<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!data.data) return;
    setMatrix(Object.fromEntries(data.data.roles.map((r) => [r.name, new Set(r.permissions)])));
    setDirty(new Set());
  }, [data.data]);

  const roles = data.data?.roles ?? [];
  // Built-in roles have names in the locale files; a role an admin made has its own title.
  const roleTitle = (name: string) =>
    i18n.exists(`role.${name}`) ? role(name) : (roles.find((r) => r.name === name)?.title ?? role(name));
  const toggle = (name: string, p: Permission, on: boolean) => {
    setMatrix((m) => {
      const next = new Set(m[name]);
      if (on) next.add(p);
      else next.delete(p);
      return { ...m, [name]: next };
    });
    setDirty((d) => new Set(d).add(name));
  };
  const save = async () => {
    setBusy(true);
    try {
      for (const name of dirty) {
        const r = roles.find((x) => x.name === name);
        await api.put(`/api/roles/${name}`, { title: r?.title ?? name, permissions: [...(matrix[name] ?? [])] });
        message.success(t('roles.saved', { name: roleTitle(name) }));
      }
      data.reload();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const rows = (data.data?.permissions ?? []).map((p) => ({ key: p, module: p.split('.')[0] ?? p }));
  return (
    <>
      <PageTitle
        title={t('roles.title')}
        extra={
          <>
            <Button onClick={() => setCreating(true)}>{t('roles.create')}</Button>
            <Button type="primary" disabled={dirty.size === 0} loading={busy} onClick={() => void save()} data-testid="save-roles">
              {t('common.save')}
            </Button>
          </>
        }
      />
      <LoadError error={data.error} />
      <Table
        size="small"
        bordered
        loading={data.loading}
        pagination={false}
        dataSource={rows}
        scroll={{ x: 'max-content', y: 'calc(100vh - 260px)' }}
        aria-label={t('roles.matrix')}
        columns={[
          {
            title: t('roles.matrix'),
            key: 'permission',
            fixed: 'left',
            width: 220,
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <span>{permission(row.key)}</span>
                <span style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>{permissionModule(row.module)}</span>
              </Space>
            ),
          },
          ...roles.map((r) => ({
            title: <span style={{ whiteSpace: 'nowrap' }}>{roleTitle(r.name)}</span>,
            key: r.name,
            align: 'center' as const,
            render: (_: unknown, row: { key: Permission }) => (
              <Checkbox
                aria-label={`${roleTitle(r.name)} · ${permission(row.key)}`}
                data-role={r.name}
                data-permission={row.key}
                checked={matrix[r.name]?.has(row.key) ?? false}
                onChange={(e) => toggle(r.name, row.key, e.target.checked)}
              />
            ),
          })),
        ]}
      />
      {creating && <NewRoleDialog onClose={() => setCreating(false)} onSaved={() => (setCreating(false), data.reload())} />}
    </>
  );
}

function NewRoleDialog({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useLabels();
  const [form] = Form.useForm<{ name: string; title: string }>();
  const [error, setError] = useState<string>();
  return (
    <Modal
      open
      title={t('roles.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="role-form"
        onFinish={async (v) => {
          try {
            await api.put(`/api/roles/${encodeURIComponent(v.name)}`, { title: v.title, permissions: ['tasks.read'] });
            onSaved();
          } catch (err) {
            setError(errorText(err));
          }
        }}
      >
        <Form.Item
          name="name"
          label={t('roles.name')}
          rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,49}$/, message: t('validation.roleName') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="title" label={t('roles.roleTitle')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
