import { Alert, App, Button, Card, Descriptions, Empty, Flex, Popconfirm, Tree, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { deleteTaxOffice, fetchOfficeRecords, type TTaxOfficeRecord } from '../api/accounts-api.ts';
import { officeTreeItems, parentLabel } from '../office-editor.ts';
import { OfficeDialog, type OfficeDialogMode } from './OfficeDialog.tsx';

interface TaxOfficesPageProps {
  /** Administrators change the tree; supervisors only read it. */
  canEdit: boolean;
  onSessionExpired: () => void;
}

/** 组织与人员 → 税务机关: the tree of offices that staff, taxpayers and skill groups belong to. */
export function TaxOfficesPage({ canEdit, onSessionExpired }: TaxOfficesPageProps) {
  const { message } = App.useApp();
  const [offices, setOffices] = useState<TTaxOfficeRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OfficeDialogMode | null>(null);
  // after a conflict the tree is reloaded: an open rename/move takes the fresh version, so the next try can succeed
  useEffect(() => {
    setDialog((open) => {
      if (!open || open.kind === 'add') return open;
      const fresh = offices.find((o) => o.id === open.office.id);
      return fresh && fresh.version !== open.office.version ? { ...open, office: fresh } : open;
    });
  }, [offices]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setOffices(await fetchOfficeRecords());
    } catch (e) {
      setError(adminErrorMessage(e, '税务机关加载失败，请稍后再试。', onSessionExpired));
    } finally {
      setLoading(false);
    }
  }, [onSessionExpired]);

  useEffect(() => {
    void load();
  }, [load]);

  const treeData = useMemo(() => officeTreeItems(offices), [offices]);
  const selected = offices.find((o) => o.id === selectedId) ?? null;

  const remove = async (office: TTaxOfficeRecord) => {
    setError(null);
    try {
      await deleteTaxOffice(office);
      message.success(`已删除“${office.name}”`);
      setSelectedId(office.parentId);
    } catch (e) {
      setError(adminErrorMessage(e, '删除失败，请稍后再试。', onSessionExpired));
    }
    await load();
  };

  const saved = async (office: TTaxOfficeRecord, mode: OfficeDialogMode) => {
    setDialog(null);
    setError(null);
    message.success(
      mode.kind === 'add'
        ? `已添加“${office.name}”`
        : mode.kind === 'rename'
          ? `已将“${mode.office.name}”重命名为“${office.name}”`
          : `已移动“${office.name}”`,
    );
    setSelectedId(office.id);
    await load();
  };

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        工作人员、纳税人和技能组都归属于税务机关。仍有下级机关、人员、纳税人或业务数据的机关不能删除。
      </Typography.Text>
      {!canEdit && (
        <Alert
          type="info"
          showIcon
          title="您可以查看税务机关；添加、重命名、移动和删除须由系统管理员进行。"
          data-testid="offices-readonly"
        />
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="offices-error" />}
      <Flex gap={16} wrap align="start">
        <Card
          size="small"
          title="机关树"
          style={{ flex: '1 1 360px', maxWidth: 560 }}
          loading={loading && offices.length === 0}
          extra={
            canEdit && (
              <Button
                size="small"
                onClick={() => setDialog({ kind: 'add', parentId: null })}
                data-testid="office-add-top"
              >
                添加顶级机关
              </Button>
            )
          }
        >
          {treeData.length > 0 ? (
            <Tree
              aria-label="税务机关"
              treeData={treeData}
              defaultExpandAll
              blockNode
              selectedKeys={selectedId ? [selectedId] : []}
              onSelect={(keys) => setSelectedId(keys.length > 0 ? String(keys[0]) : null)}
              titleRender={(node) => (
                <span data-testid="office-node" data-id={node.key}>
                  {node.title}
                </span>
              )}
              data-testid="office-tree"
            />
          ) : (
            <Empty description="还没有税务机关" />
          )}
        </Card>
        <Card size="small" title="所选机关" style={{ flex: '1 1 320px', maxWidth: 480 }} data-testid="office-detail">
          {selected ? (
            <Flex vertical gap={12}>
              <Descriptions
                size="small"
                column={1}
                items={[
                  {
                    key: 'name',
                    label: '机关名称',
                    children: <span data-testid="office-detail-name">{selected.name}</span>,
                  },
                  { key: 'id', label: '机关代码', children: selected.id },
                  { key: 'parent', label: '上级机关', children: parentLabel(offices, selected) },
                ]}
              />
              {canEdit && (
                <Flex wrap gap={8}>
                  <Button
                    onClick={() => setDialog({ kind: 'add', parentId: selected.id })}
                    data-testid="office-add-child"
                  >
                    添加下级机关
                  </Button>
                  <Button onClick={() => setDialog({ kind: 'rename', office: selected })} data-testid="office-rename">
                    重命名
                  </Button>
                  <Button onClick={() => setDialog({ kind: 'move', office: selected })} data-testid="office-move">
                    移动
                  </Button>
                  <Popconfirm
                    title={`确定删除“${selected.name}”吗？`}
                    description="仍有下级机关、人员、纳税人或业务数据时不能删除。"
                    okText="删除"
                    cancelText="取消"
                    okButtonProps={{ danger: true, 'data-testid': 'office-delete-confirm' }}
                    onConfirm={() => remove(selected)}
                  >
                    <Button danger data-testid="office-delete">
                      删除
                    </Button>
                  </Popconfirm>
                </Flex>
              )}
            </Flex>
          ) : (
            <Typography.Text type="secondary">在左侧机关树中选择一个税务机关。</Typography.Text>
          )}
        </Card>
      </Flex>
      {canEdit && (
        <OfficeDialog
          mode={dialog}
          offices={offices}
          onClose={() => setDialog(null)}
          onSaved={(office, mode) => void saved(office, mode)}
          onConflict={() => void load()}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Flex>
  );
}
