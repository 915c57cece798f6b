import { Card, Col, Descriptions, Drawer, Empty, Row, Space, Statistic, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { UNIT_STATUSES } from '../../../../domain';
import { api } from '../../api/client';
import { loadProjects } from '../../api/shared';
import { getAll } from '../../api/paging';
import type { Unit, UnitDetail, UnitList, UnitStatus } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle, UNIT_BORDERS, UNIT_COLORS } from '../../components/common';
import { formatDateTime, formatMoney, formatMoneyShort } from '../../format';
import { humanise, useLabels } from '../../i18n/labels';
import { href, navigate } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { useProjectChoice } from '../../components/project-choice';
import { ProjectSelect } from '../../components/project-select';

const STATUSES: readonly UnitStatus[] = UNIT_STATUSES;

/** Units by building, floors top down: the grid is the 销控表 a sales office keeps on the wall. */
function byBuilding(units: Unit[]): { building: string; floors: { floor: number; units: Unit[] }[] }[] {
  const buildings = new Map<string, Map<number, Unit[]>>();
  for (const u of units) {
    const floors = buildings.get(u.building) ?? new Map<number, Unit[]>();
    floors.set(u.floor, [...(floors.get(u.floor) ?? []), u]);
    buildings.set(u.building, floors);
  }
  return [...buildings.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([building, floors]) => ({
      building,
      floors: [...floors.entries()]
        .sort(([a], [b]) => b - a)
        .map(([floor, list]) => ({ floor, units: list.sort((x, y) => x.unitNo.localeCompare(y.unitNo, undefined, { numeric: true })) })),
    }));
}

/** The units grid of a project, coloured by status with counts; a unit opens with its history. */
export default function UnitsPage({ query }: PageProps) {
  const { t, unitStatus, language } = useLabels();
  const { settings } = useSession();
  const projects = useApi(['/api/projects'], loadProjects);
  const [projectId, setProjectId] = useProjectChoice(projects.data);
  // The chart shows the whole project: every page of its units, and its counts by status.
  const units = useApi(projectId ? ['/api/units', 'grid', projectId] : null, async () => {
    const [head, all] = await Promise.all([
      api.get<UnitList>('/api/units', { projectId, limit: 1 }),
      getAll<Unit>('/api/units', { projectId }, 20_000),
    ]);
    return { units: all, counts: head.counts };
  });
  const grid = useMemo(() => byBuilding(units.data?.units ?? []), [units.data]);
  const open = query.unit;
  const total = units.data?.units.length ?? 0;

  return (
    <>
      <PageTitle
        title={t('units.title')}
        extra={<ProjectSelect id="units-project" projects={projects.data} value={projectId} onChange={setProjectId} width={180} />}
      />
      <LoadError error={units.error ?? projects.error} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={24}>
          <Statistic title={t('common.all')} value={total} />
          {STATUSES.map((s) => (
            <Statistic
              key={s}
              title={
                <Space size={4}>
                  <span
                    aria-hidden
                    style={{
                      display: 'inline-block',
                      width: 12,
                      height: 12,
                      borderRadius: 2,
                      background: UNIT_COLORS[s],
                      border: `1px solid ${UNIT_BORDERS[s]}`,
                    }}
                  />
                  {unitStatus(s)}
                </Space>
              }
              value={units.data?.counts[s] ?? 0}
            />
          ))}
        </Space>
      </Card>
      {units.loading && <Card loading />}
      {!units.loading && grid.length === 0 && <Empty description={t('common.empty')} />}
      {/* Buildings side by side on a wide screen, one under the other on a phone. */}
      <Row gutter={[16, 16]}>
        {grid.map(({ building, floors }) => (
          <Col key={building} xs={24} xl={grid.length > 1 ? 12 : 24}>
            <Card size="small" title={t('units.building', { building })} style={{ height: '100%' }}>
              <div className="unit-grid">
                <table role="grid" aria-label={t('units.building', { building })} style={{ borderCollapse: 'separate', borderSpacing: 4 }}>
                  <tbody>
                    {floors.map(({ floor, units: row }) => (
                      <tr key={floor}>
                        <th
                          scope="row"
                          style={{ fontWeight: 'normal', color: 'rgba(0,0,0,0.65)', paddingRight: 8, whiteSpace: 'nowrap', fontSize: 12 }}
                        >
                          {t('units.floor', { floor })}
                        </th>
                        {row.map((u) => (
                          <td key={u.id}>
                            <Tooltip title={`${u.layout} · ${u.area} · ${formatMoney(u.listPrice, settings, language)}`}>
                              <button
                                type="button"
                                className="unit-cell"
                                data-unit={u.id}
                                data-status={u.status}
                                aria-label={`${building}-${u.unitNo} ${formatMoneyShort(u.listPrice, settings, language)} ${unitStatus(u.status)}`}
                                onClick={() => navigate(`/units?unit=${u.id}`)}
                                style={{ background: UNIT_COLORS[u.status], borderColor: UNIT_BORDERS[u.status] }}
                              >
                                <strong>{u.unitNo}</strong>
                                <span>{formatMoneyShort(u.listPrice, settings, language)}</span>
                                <span>{unitStatus(u.status)}</span>
                              </button>
                            </Tooltip>
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          </Col>
        ))}
      </Row>
      {open && <UnitDrawer id={open} onClose={() => navigate('/units')} />}
    </>
  );
}

/** One unit with its status history (from the audit trail). */
function UnitDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, unitStatus, auditAction, language } = useLabels();
  const { settings } = useSession();
  const unit = useApi(['/api/units', id], () => api.get<UnitDetail>(`/api/units/${encodeURIComponent(id)}`));
  const u = unit.data;
  return (
    <Drawer
      open
      onClose={onClose}
      title={u ? `${u.building}-${u.unitNo}` : t('common.loading')}
      size={420}
      styles={{ wrapper: { maxWidth: '100vw' } }}
    >
      <LoadError error={unit.error} />
      {u && (
        <>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'status',
                label: t('common.status'),
                children: (
                  <Tag style={{ background: UNIT_COLORS[u.status], borderColor: UNIT_BORDERS[u.status] }}>{unitStatus(u.status)}</Tag>
                ),
              },
              { key: 'building', label: t('units.buildingLabel'), children: u.building },
              { key: 'floor', label: t('units.floorLabel'), children: u.floor },
              { key: 'unitNo', label: t('units.unitNo'), children: u.unitNo },
              { key: 'layout', label: t('units.layout'), children: u.layout },
              { key: 'area', label: t('units.area'), children: u.area },
              { key: 'price', label: t('units.price'), children: formatMoney(u.listPrice, settings, language) },
              ...(u.holderProcessId
                ? [
                    {
                      key: 'holder',
                      label: t('units.holder'),
                      children: <a href={href(`/processes/${encodeURIComponent(u.holderProcessId)}`)}>{u.holderProcessId}</a>,
                    },
                  ]
                : []),
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('units.history')}
          </Typography.Title>
          {u.history.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
          ) : (
            <Timeline
              items={u.history.map((h, i) => ({
                key: i,
                content: (
                  <>
                    <Typography.Text strong>{auditAction(h.action)}</Typography.Text>
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {formatDateTime(h.at, settings, language)}
                      {statusChange(h.before, h.after, unitStatus)}
                    </Typography.Text>
                  </>
                ),
              }))}
            />
          )}
        </>
      )}
    </Drawer>
  );
}

/** "available → reserved" from an audit entry's before and after, when they carry a status. */
function statusChange(before: unknown, after: unknown, label: (s: string) => string): string {
  const status = (v: unknown) => (v && typeof v === 'object' && 'status' in v ? String((v as { status: unknown }).status) : undefined);
  const from = status(before);
  const to = status(after);
  if (!from && !to) return '';
  return ` · ${from ? label(from) : ''} → ${to ? label(to) : humanise(String(to))}`;
}
