import { Alert, Button, Form, Input, Modal, Table } from 'antd';
import { errorText } from '../../api/error-text';
import { useState } from 'react';
import { api } from '../../api/client';
import { loadProjects } from '../../api/shared';
import type { Project } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { useMessage } from '../../feedback';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

/** Projects: the list and a new one. */
export default function ProjectsPage(_props: PageProps) {
  const { t, language } = useLabels();
  const { settings } = useSession();
  const message = useMessage();
  const projects = useApi(['/api/projects'], loadProjects);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ id: string; name: string }>();
  return (
    <>
      <PageTitle
        title={t('projects.title')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('projects.create')}
          </Button>
        }
      />
      <LoadError error={projects.error} />
      <Table<Project>
        rowKey="id"
        loading={projects.loading}
        dataSource={projects.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('projects.id'), dataIndex: 'id' },
          { title: t('projects.name'), dataIndex: 'name' },
          { title: t('common.time'), dataIndex: 'createdAt', render: (v: string | undefined) => formatDateTime(v, settings, language) },
        ]}
      />
      <Modal
        open={creating}
        title={t('projects.create')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          name="project-form"
          onFinish={async (v) => {
            try {
              await api.post('/api/projects', v);
              message.success(t('projects.created', { name: v.name }));
              setCreating(false);
              form.resetFields();
              projects.reload();
            } catch (err) {
              setError(errorText(err));
            }
          }}
        >
          <Form.Item
            name="id"
            label={t('projects.id')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,50}$/, message: t('validation.projectId') }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="name" label={t('projects.name')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
