import type { TShortcut } from '@zhengna/contracts';
import { Button, Flex, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { fetchShortcuts, saveShortcuts, type TShortcuts } from '../api/panels-api.ts';
import { useLoad } from '../hooks/use-load.ts';
import { usePanelServices } from '../panel-services.ts';
import { LIST, SECTION_TITLE } from './list-styles.ts';
import { PanelState } from './PanelState.tsx';

/** 快捷入口 (2.6): the taxpayer's own links, picked from the bureau's catalogue, ordered and removed; saved at once. */
export function ShortcutsPanel() {
  const services = usePanelServices();
  const { state, set, reload } = useLoad(() => services.withAuth(fetchShortcuts), '快捷入口加载失败，请稍后再试。');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const save = async (ids: string[], done: string) => {
    setSaving(true);
    setError(null);
    try {
      set(await services.withAuth((t) => saveShortcuts(t, ids)));
      setStatus(done);
    } catch (e) {
      setError(errorMessage(e, '快捷入口保存失败，请稍后再试。'));
    } finally {
      setSaving(false);
    }
  };

  const move = (data: TShortcuts, index: number, delta: -1 | 1) => {
    const ids = data.mine.map((s) => s.id);
    const [id] = ids.splice(index, 1);
    if (!id) return;
    ids.splice(index + delta, 0, id);
    void save(ids, `已${delta < 0 ? '上移' : '下移'}“${data.mine[index]?.name ?? ''}”`);
  };

  return (
    <PanelState
      state={state}
      empty="暂无快捷入口"
      isEmpty={(d) => d.catalog.length === 0 && d.mine.length === 0}
      onRetry={reload}
    >
      {(data) => {
        const available = data.catalog.filter((c) => !data.mine.some((m) => m.id === c.id));
        return (
          <>
            <div
              role="status"
              style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clipPath: 'inset(50%)' }}
            >
              {status}
            </div>
            {error && (
              <Typography.Text type="danger" role="alert" style={{ display: 'block' }}>
                {error}
              </Typography.Text>
            )}
            <section aria-labelledby="my-shortcuts">
              <Typography.Title level={3} id="my-shortcuts" style={SECTION_TITLE}>
                我的快捷入口
              </Typography.Title>
              {data.mine.length === 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  还没有选择快捷入口，可从下方添加。
                </Typography.Text>
              )}
              <ol style={LIST} data-testid="my-shortcuts">
                {data.mine.map((s, index) => (
                  <li key={s.id} data-testid="my-shortcut" data-id={s.id} style={{ padding: '2px 0' }}>
                    <Flex align="center" gap={2} wrap>
                      <Button
                        type="link"
                        onClick={() => services.openShortcut(s)}
                        style={{ paddingInline: 4, flex: 1, justifyContent: 'flex-start' }}
                        title={s.description}
                      >
                        {s.name}
                        {s.openIn === 'new_tab' ? (
                          <>
                            <span aria-hidden="true">↗</span>
                            <span className="zn-sr-only">（在新窗口打开）</span>
                          </>
                        ) : null}
                      </Button>
                      <Button
                        size="small"
                        type="text"
                        disabled={saving || index === 0}
                        onClick={() => move(data, index, -1)}
                        aria-label={`上移 ${s.name}`}
                      >
                        ↑
                      </Button>
                      <Button
                        size="small"
                        type="text"
                        disabled={saving || index === data.mine.length - 1}
                        onClick={() => move(data, index, 1)}
                        aria-label={`下移 ${s.name}`}
                      >
                        ↓
                      </Button>
                      <Button
                        size="small"
                        type="text"
                        danger
                        disabled={saving}
                        onClick={() =>
                          void save(
                            data.mine.filter((m) => m.id !== s.id).map((m) => m.id),
                            `已移除“${s.name}”`,
                          )
                        }
                        aria-label={`移除 ${s.name}`}
                      >
                        移除
                      </Button>
                    </Flex>
                  </li>
                ))}
              </ol>
            </section>
            {available.length > 0 && (
              <section aria-labelledby="shortcut-catalog">
                <Typography.Title level={3} id="shortcut-catalog" style={SECTION_TITLE}>
                  可添加的入口
                </Typography.Title>
                <ul style={LIST} data-testid="shortcut-catalog">
                  {available.map((s: TShortcut) => (
                    <li key={s.id} style={{ padding: '2px 0' }}>
                      <Flex align="center" gap={4}>
                        <span style={{ flex: 1, minWidth: 0 }}>
                          {s.name}
                          {s.description && (
                            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                              {s.description}
                            </Typography.Text>
                          )}
                        </span>
                        <Button
                          size="small"
                          disabled={saving}
                          onClick={() => void save([...data.mine.map((m) => m.id), s.id], `已添加“${s.name}”`)}
                          aria-label={`添加 ${s.name}`}
                        >
                          添加
                        </Button>
                      </Flex>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        );
      }}
    </PanelState>
  );
}
