import { type TImportReport, ZKnowledgeImportRequest } from '@zhengna/contracts';
import { Alert, Button, Card, Descriptions, Flex, Table, Typography } from 'antd';
import { useId, useRef, useState } from 'react';
import {
  exportUrl,
  importKnowledge,
  KNOWLEDGE_FILES,
  type KnowledgeFileKey,
  type TKnowledgeImportRequest,
} from '../api/knowledge-api.ts';
import { adminErrorMessage } from '../handle-error.ts';

type ImportError = TImportReport['errors'][number];
type Picked = Partial<Record<KnowledgeFileKey, File>>;

/** Upper bounds of the request (characters), checked before sending so the message is specific. */
const MAX_CHARS: Record<KnowledgeFileKey, number> = {
  kb: ZKnowledgeImportRequest.shape.kb.maxLength ?? Number.POSITIVE_INFINITY,
  topics: ZKnowledgeImportRequest.shape.topics.maxLength ?? Number.POSITIVE_INFINITY,
  documents: ZKnowledgeImportRequest.shape.documents.maxLength ?? Number.POSITIVE_INFINITY,
};

/** 知识库 → 导入导出: the knowledge base as the three JSONL files of its exchange format. */
export function ImportExportPage({ onSessionExpired }: { onSessionExpired: () => void }) {
  return (
    <Flex vertical gap={16}>
      <ExportCard />
      <ImportCard onSessionExpired={onSessionExpired} />
    </Flex>
  );
}

function ExportCard() {
  return (
    <Card title="导出" size="small">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        将当前知识库导出为 JSONL 文件（每行一条记录），格式与导入相同。
      </Typography.Paragraph>
      <Flex gap={8} wrap>
        {KNOWLEDGE_FILES.map((file) => (
          <Button
            key={file.key}
            href={exportUrl(file.key)}
            download={file.fileName}
            data-testid={`kb-export-${file.key}`}
          >
            导出{file.label}（{file.fileName}）
          </Button>
        ))}
      </Flex>
    </Card>
  );
}

function ImportCard({ onSessionExpired }: { onSessionExpired: () => void }) {
  const idPrefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [picked, setPicked] = useState<Picked>({});
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<TImportReport | null>(null);
  const hasFile = KNOWLEDGE_FILES.some((file) => picked[file.key]);

  const submit = async () => {
    if (!hasFile) {
      setError('请至少选择一个要导入的文件。');
      return;
    }
    setSubmitting(true);
    setError(null);
    setReport(null);
    try {
      const body: TKnowledgeImportRequest = { kb: '', topics: '', documents: '' };
      for (const file of KNOWLEDGE_FILES) {
        const chosen = picked[file.key];
        if (!chosen) continue;
        const text = await chosen.text();
        if (text.length > MAX_CHARS[file.key]) {
          setError(`${file.fileName} 过大，请拆分后分批导入。`);
          return;
        }
        body[file.key] = text;
      }
      setReport(await importKnowledge(body));
    } catch (e) {
      setError(adminErrorMessage(e, '导入失败，请稍后再试。', onSessionExpired));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title="导入" size="small">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        选择要导入的 JSONL 文件（UTF-8
        编码，每行一条记录）。导入按编号新增或更新记录；只要有一行有错误，整批都不会导入。
      </Typography.Paragraph>
      <form
        ref={formRef}
        aria-label="导入知识库"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Flex vertical gap={12}>
          {KNOWLEDGE_FILES.map((file) => {
            const inputId = `${idPrefix}-${file.key}`;
            return (
              <Flex key={file.key} align="center" gap={12} wrap>
                <label htmlFor={inputId} style={{ minWidth: 180 }}>
                  {file.label}（{file.fileName}）
                </label>
                <input
                  id={inputId}
                  type="file"
                  accept=".jsonl,.json,.txt,application/jsonl,application/json,text/plain"
                  data-testid={`kb-import-${file.key}`}
                  onChange={(event) => {
                    const chosen = event.target.files?.[0];
                    setPicked((prev) => ({ ...prev, [file.key]: chosen }));
                    setReport(null);
                    setError(null);
                  }}
                />
              </Flex>
            );
          })}
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={submitting} data-testid="kb-import-submit">
              导入
            </Button>
            <Button
              disabled={submitting}
              onClick={() => {
                formRef.current?.reset();
                setPicked({});
                setReport(null);
                setError(null);
              }}
            >
              重新选择
            </Button>
          </Flex>
        </Flex>
      </form>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 16 }} />}
      {report && <ImportReport report={report} />}
    </Card>
  );
}

function ImportReport({ report }: { report: TImportReport }) {
  if (report.ok && report.errors.length === 0) {
    return (
      <div style={{ marginTop: 16 }} data-testid="kb-import-report" data-ok="true">
        <Alert type="success" showIcon title="导入成功" role="status" />
        <Descriptions column={3} size="small" style={{ marginTop: 12 }}>
          <Descriptions.Item label="知识条目">{report.entries} 条</Descriptions.Item>
          <Descriptions.Item label="专题">{report.topics} 个</Descriptions.Item>
          <Descriptions.Item label="政策文件">{report.documents} 份</Descriptions.Item>
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
        description="请按下表修正后重新导入全部文件。"
      />
      <Table<ImportError & { key: string }>
        size="small"
        style={{ marginTop: 12 }}
        dataSource={report.errors.map((e, index) => ({ ...e, key: `${e.file}:${e.line}:${index}` }))}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        data-testid="kb-import-errors"
        columns={[
          { title: '文件', dataIndex: 'file', width: 160 },
          { title: '行号', dataIndex: 'line', width: 80, align: 'right' },
          { title: '错误', dataIndex: 'message' },
        ]}
      />
    </div>
  );
}
