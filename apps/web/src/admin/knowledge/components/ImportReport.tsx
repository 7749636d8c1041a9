import type { TImportReport } from '@zhengna/contracts';
import { Alert, Descriptions, Table } from 'antd';

type ImportError = TImportReport['errors'][number];

interface ImportReportProps {
  report: TImportReport;
  /** A spreadsheet holds only entries: no 专题 or 政策文件 counts to show. */
  mode: 'jsonl' | 'table';
  asDraft: boolean;
}

/** What an import did: the counts, or every problem by file and line and the statement that nothing was imported. */
export function ImportReport({ report, mode, asDraft }: ImportReportProps) {
  if (report.ok && report.errors.length === 0) {
    return (
      <div style={{ marginTop: 16 }} data-testid="kb-import-report" data-ok="true">
        <Alert
          type="success"
          showIcon
          title="导入成功"
          description={
            asDraft
              ? '知识条目已作为草稿导入，机器人仍使用原有内容；请在“知识条目”中检查后发布。'
              : '导入的知识条目已发布，机器人立即使用（文件中状态为草稿的条目除外）。'
          }
          role="status"
        />
        <Descriptions column={3} size="small" style={{ marginTop: 12 }} data-testid="kb-import-counts">
          <Descriptions.Item label="知识条目">{report.entries} 条</Descriptions.Item>
          {mode === 'jsonl' && <Descriptions.Item label="专题">{report.topics} 个</Descriptions.Item>}
          {mode === 'jsonl' && <Descriptions.Item label="政策文件">{report.documents} 份</Descriptions.Item>}
        </Descriptions>
      </div>
    );
  }
  return (
    <div style={{ marginTop: 16 }} data-testid="kb-import-report" data-ok="false">
      <Alert
        type="error"
        showIcon
        role="alert"
        title={`文件中有 ${report.errors.length} 处错误，本次没有导入任何内容`}
        description={`请按下表修正后重新导入${mode === 'jsonl' ? '全部文件' : '整个表格'}。`}
      />
      <Table<ImportError & { key: string }>
        size="small"
        style={{ marginTop: 12 }}
        dataSource={report.errors.map((e, index) => ({ ...e, key: `${e.file}:${e.line}:${index}` }))}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        caption={<span className="zn-visually-hidden">导入错误</span>}
        data-testid="kb-import-errors"
        columns={[
          { title: '文件', dataIndex: 'file', width: 160 },
          {
            title: '行号',
            dataIndex: 'line',
            width: 80,
            align: 'right',
            // line 0: the file as a whole (not a spreadsheet, missing columns …)
            render: (line: number) => (line > 0 ? line : '—'),
          },
          { title: '问题', dataIndex: 'message' },
        ]}
      />
    </div>
  );
}
