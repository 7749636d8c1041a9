import type { TNoShowCount } from '@zhengna/contracts';
import { Alert, Button, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { cstDate, cstTime, longDateLabel } from '../../../shared/ui/cst-time.ts';
import { fetchNoShows } from '../api/appointments-api.ts';

/** 失约统计 (supervisors): taxpayers with 失约 in the configured window, most first, and any booking restriction. */
export function NoShowTable() {
  const [rows, setRows] = useState<TNoShowCount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    fetchNoShows().then(
      (list) => setRows([...list].sort((a, b) => b.noShows - a.noShows)),
      (e: unknown) => setError(errorMessage(e, '失约统计加载失败，请稍后再试。')),
    );
  }, []);
  useEffect(load, [load]);

  if (error)
    return <Alert type="error" showIcon role="alert" title={error} action={<Button onClick={load}>重试</Button>} />;
  return (
    <Table<TNoShowCount>
      rowKey="taxpayerNo"
      size="small"
      loading={rows === null}
      dataSource={rows ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: '暂无失约记录' }}
      data-testid="no-show-table"
      onRow={() => ({ 'data-testid': 'no-show-row' }) as object}
      columns={[
        { title: '纳税人', dataIndex: 'taxpayerName' },
        { title: '纳税人识别号', dataIndex: 'taxpayerNo' },
        { title: '失约次数', dataIndex: 'noShows', width: 100 },
        {
          title: '预约限制',
          key: 'restricted',
          render: (_, r) =>
            r.restrictedUntil ? (
              <Tag color="red">
                暂停预约至 {longDateLabel(cstDate(r.restrictedUntil))}
                {cstTime(r.restrictedUntil)}
              </Tag>
            ) : (
              '无'
            ),
        },
      ]}
    />
  );
}
