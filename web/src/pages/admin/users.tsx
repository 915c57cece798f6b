import { Alert, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Tag, Typography } from 'antd';
import { errorText } from '../../api/error-text';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { invalidate, usePagedList } from '../../api/queries';
import type { Project, Role, RoleList, User } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { setQueryParams } from '../../router';
import { Muted } from '../../components/text';
import { useMessage } from '../../feedback';
import { useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';

interface UserForm {
  username?: string;
  displayName: string;
  email?: string;
  password?: string;
  roles: string[];
  projects: string[];
}

/** Users: create, change roles and projects, deactivate (which signs the user out). */
export default function UsersPage({ query }: PageProps) {
  const { t, role } = useLabels();
  const message = useMessage();
  const data = useApi(['/api/roles', 'with-projects'], () =>
    Promise.all([api.get<RoleList>('/api/roles'), api.get<Project[]>('/api/projects')]),
  );
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  // Searched on the server as the admin types (a pause of 300 ms), kept in the address.
  const [search, setSearch] = useState(query.q ?? '');
  useEffect(() => {
    const timer = setTimeout(() => setQueryParams({ q: search.trim() || undefined }), 300);
    return () => clearTimeout(timer);
  }, [search]);
  const filters = { q: query.q };
  const users = usePagedList<User>('/api/users', filters);
  const reload = () => void invalidate('/api/users');
  const [roles, projects] = data.data ?? [{ roles: [] as Role[], permissions: [] }, [] as Project[]];
  const roleName = (name: string) => {
    const label = role(name);
    return label;
  };

  const [temporary, setTemporary] = useState<{ user: User; password: string } | null>(null);
  const resetPassword = async (user: User) => {
    try {
      const { temporaryPassword } = await api.post<{ temporaryPassword: string }>(`/api/users/${user.id}/password-reset`, {});
      setTemporary({ user, password: temporaryPassword });
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const setActive = async (user: User, active: boolean) => {
    try {
      await api.patch(`/api/users/${user.id}`, { active });
      message.success(t('common.saved'));
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <>
      <PageTitle
        title={t('users.title')}
        extra={
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('users.create')}
          </Button>
        }
      />
      <LoadError error={data.error ?? users.error} />
      <Input.Search
        allowClear
        id="users-search"
        aria-label={t('users.search')}
        placeholder={t('users.search')}
        style={{ maxWidth: 320, marginBottom: 16 }}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <PagedTable<User>
        filters={filters}
        query={users}
        rowKey="id"
        cardTitle={(u) => `${u.displayName} (${u.username})`}
        card={(u) => (
          <Space direction="vertical" size={4}>
            <Space wrap size={4}>
              {u.roles.map((r) => (
                <Tag key={r}>{roleName(r)}</Tag>
              ))}
            </Space>
            <Muted>{u.projects.join('、')}</Muted>
            <Space>
              <Button size="small" onClick={() => setEditing(u)}>
                {t('common.edit')}
              </Button>
              {!u.active && <Tag>{t('users.inactive')}</Tag>}
            </Space>
          </Space>
        )}
        columns={[
          { title: t('auth.username'), dataIndex: 'username' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.roles'), dataIndex: 'roles', render: (rs: string[]) => rs.map((r) => <Tag key={r}>{roleName(r)}</Tag>) },
          { title: t('users.projects'), dataIndex: 'projects', render: (ps: string[]) => ps.join('、') },
          {
            title: t('users.active'),
            dataIndex: 'active',
            render: (active: boolean, u) =>
              active ? (
                <Popconfirm
                  title={t('users.deactivateConfirm')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void setActive(u, false)}
                >
                  <Switch checked aria-label={`${t('users.deactivate')} ${u.username}`} />
                </Popconfirm>
              ) : (
                <Switch checked={false} aria-label={`${t('users.activate')} ${u.username}`} onChange={() => void setActive(u, true)} />
              ),
          },
          {
            title: t('common.actions'),
            key: 'edit',
            render: (_, u) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(u)} aria-label={`${t('common.edit')} ${u.username}`}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('users.resetConfirm', { name: u.displayName })}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void resetPassword(u)}
                >
                  <Button size="small" aria-label={`${t('users.resetPassword')} ${u.username}`} data-testid={`reset-${u.username}`}>
                    {t('users.resetPassword')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {temporary && (
        <Modal
          open
          title={t('users.resetDone', { name: temporary.user.displayName })}
          onCancel={() => setTemporary(null)}
          footer={<Button onClick={() => setTemporary(null)}>{t('common.confirm')}</Button>}
        >
          <p>{t('users.resetExplain')}</p>
          <Typography.Text copyable code data-testid="temporary-password">
            {temporary.password}
          </Typography.Text>
        </Modal>
      )}
      {editing && (
        <UserDialog
          user={editing === 'new' ? null : editing}
          roles={roles.roles}
          projects={projects}
          onClose={() => setEditing(null)}
          onSaved={(name) => {
            message.success(editing === 'new' ? t('users.created', { name }) : t('common.saved'));
            setEditing(null);
            reload();
          }}
        />
      )}
    </>
  );
}

function UserDialog({
  user,
  roles,
  projects,
  onClose,
  onSaved,
}: {
  user: User | null;
  roles: Role[];
  projects: Project[];
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const { t, role } = useLabels();
  const [form] = Form.useForm<UserForm>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async (values: UserForm) => {
    setBusy(true);
    setError(undefined);
    try {
      if (user) {
        await api.patch(`/api/users/${user.id}`, {
          displayName: values.displayName,
          email: values.email ? values.email : null,
          roles: values.roles,
          projects: values.projects,
        });
      } else {
        await api.post('/api/users', {
          username: values.username,
          displayName: values.displayName,
          ...(values.email ? { email: values.email } : {}),
          password: values.password,
          roles: values.roles ?? [],
          projects: values.projects ?? [],
        });
      }
      onSaved(values.displayName);
    } catch (err) {
      if (err instanceof ApiError) {
        form.setFields(
          err.details
            .filter((d) => d.field.startsWith('body.'))
            .map((d) => ({ name: d.field.slice(5).split('.')[0] as keyof UserForm, errors: [d.reason] })),
        );
        if (!err.details.length) setError(errorText(err));
      } else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={user ? `${t('common.edit')} · ${user.username}` : t('users.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="user-form"
        onFinish={(v) => void save(v)}
        initialValues={
          user
            ? { displayName: user.displayName, email: user.email ?? undefined, roles: user.roles, projects: user.projects }
            : { roles: [], projects: [] }
        }
      >
        {!user && (
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input autoComplete="off" maxLength={50} />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')}>
          <Input type="email" maxLength={200} />
        </Form.Item>
        {!user && (
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={t('auth.passwordRule')}
            rules={[{ required: true, min: 10, message: t('auth.passwordRule') }]}
          >
            <Input.Password autoComplete="new-password" maxLength={200} />
          </Form.Item>
        )}
        <Form.Item name="roles" label={t('users.roles')}>
          <Select mode="multiple" options={roles.map((r) => ({ value: r.name, label: role(r.name) }))} />
        </Form.Item>
        <Form.Item name="projects" label={t('users.projects')}>
          <Select mode="multiple" options={projects.map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
