import { type TImportReport, ZKnowledgeImportRequest, ZKnowledgeTableImportRequest } from '@zhengna/contracts';
import { Alert, Button, Card, Checkbox, Flex, Radio, Typography } from 'antd';
import { useEffect, useId, useRef, useState } from 'react';
import {
  exportUrl,
  importKnowledge,
  importKnowledgeTable,
  KNOWLEDGE_FILES,
  type KnowledgeFileKey,
  type TKnowledgeImportRequest,
} from '../api/knowledge-api.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { base64OfBytes, decodeCsv, REQUIRED_TABLE_HEADERS, tableFormatOf, templateCsv } from '../table-file.ts';
import { ImportReport } from './ImportReport.tsx';

type Picked = Partial<Record<KnowledgeFileKey, File>>;
type ImportMode = 'jsonl' | 'table';

/** Upper bounds of the request (characters), checked before sending so the message is specific. */
const MAX_CHARS: Record<KnowledgeFileKey, number> = {
  kb: ZKnowledgeImportRequest.shape.kb.maxLength ?? Number.POSITIVE_INFINITY,
  topics: ZKnowledgeImportRequest.shape.topics.maxLength ?? Number.POSITIVE_INFINITY,
  documents: ZKnowledgeImportRequest.shape.documents.maxLength ?? Number.POSITIVE_INFINITY,
};
const MAX_TABLE_CHARS = ZKnowledgeTableImportRequest.shape.data.maxLength ?? Number.POSITIVE_INFINITY;
const TABLE_ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TEMPLATE_FILE_NAME = '知识条目导入模板.csv';

interface ImportExportPageProps {
  /** Only administrators import (the server refuses anyone else). */
  canEdit: boolean;
  onSessionExpired: () => void;
}

/** 知识库 → 导入导出: the knowledge base as the three JSONL files of its exchange format, or its entries as a spreadsheet. */
export function ImportExportPage({ canEdit, onSessionExpired }: ImportExportPageProps) {
  return (
    <Flex vertical gap={16}>
      <ExportCard />
      {canEdit ? (
        <ImportCard onSessionExpired={onSessionExpired} />
      ) : (
        <Card title="导入" size="small">
          <Alert type="info" showIcon title="导入知识库须由系统管理员进行。" data-testid="kb-import-readonly" />
        </Card>
      )}
    </Flex>
  );
}

/** A download link of the header-only template, made in the browser (no server round trip). */
function useTemplateUrl(): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const next = URL.createObjectURL(new Blob([templateCsv()], { type: 'text/csv;charset=utf-8' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, []);
  return url;
}

function ExportCard() {
  const templateUrl = useTemplateUrl();
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
      <Typography.Paragraph type="secondary" style={{ margin: '16px 0 8px' }}>
        知识条目也可导出为电子表格，在 Excel 中查看和编辑后再导入；下载导入模板可从空白表格开始。
      </Typography.Paragraph>
      <Flex gap={8} wrap>
        <Button href={exportUrl('kb', 'xlsx')} download="kb.xlsx" data-testid="kb-export-xlsx">
          导出 Excel（.xlsx）
        </Button>
        <Button href={exportUrl('kb', 'csv')} download="kb.csv" data-testid="kb-export-csv">
          导出 CSV
        </Button>
        <Button type="link" href={templateUrl} download={TEMPLATE_FILE_NAME} data-testid="kb-import-template">
          下载导入模板
        </Button>
      </Flex>
    </Card>
  );
}

/** Reads the chosen spreadsheet as the request carries it; a Chinese message when it cannot be sent. */
async function readTable(file: File): Promise<{ format: 'csv' | 'xlsx'; data: string } | string> {
  const format = tableFormatOf(file.name);
  if (!format) return '请选择 .csv 或 .xlsx 文件（旧版 .xls 请先在 Excel 中另存为 .xlsx）。';
  const bytes = await file.arrayBuffer();
  const data = format === 'csv' ? decodeCsv(bytes) : base64OfBytes(bytes);
  if (!data.trim()) return `${file.name} 是空的。`;
  if (data.length > MAX_TABLE_CHARS) return `${file.name} 过大，请拆分后分批导入（不超过 20 MB）。`;
  return { format, data };
}

function ImportCard({ onSessionExpired }: { onSessionExpired: () => void }) {
  const idPrefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [mode, setMode] = useState<ImportMode>('jsonl');
  const [picked, setPicked] = useState<Picked>({});
  const [table, setTable] = useState<File | null>(null);
  const [asDraft, setAsDraft] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<{ report: TImportReport; mode: ImportMode; asDraft: boolean } | null>(null);

  const clear = () => {
    setReport(null);
    setError(null);
  };
  const reset = () => {
    formRef.current?.reset();
    setPicked({});
    setTable(null);
    clear();
  };

  const importJsonl = async (): Promise<TImportReport | string> => {
    if (!KNOWLEDGE_FILES.some((file) => picked[file.key])) return '请至少选择一个要导入的文件。';
    const body: TKnowledgeImportRequest = { kb: '', topics: '', documents: '', asDraft };
    for (const file of KNOWLEDGE_FILES) {
      const chosen = picked[file.key];
      if (!chosen) continue;
      const text = await chosen.text();
      if (text.length > MAX_CHARS[file.key]) return `${file.fileName} 过大，请拆分后分批导入。`;
      body[file.key] = text;
    }
    return importKnowledge(body);
  };

  const importSpreadsheet = async (): Promise<TImportReport | string> => {
    if (!table) return '请选择要导入的表格文件（.csv 或 .xlsx）。';
    const read = await readTable(table);
    if (typeof read === 'string') return read;
    return importKnowledgeTable({ ...read, asDraft });
  };

  const submit = async () => {
    setSubmitting(true);
    clear();
    try {
      const result = mode === 'jsonl' ? await importJsonl() : await importSpreadsheet();
      if (typeof result === 'string') setError(result);
      else setReport({ report: result, mode, asDraft });
    } catch (e) {
      setError(adminErrorMessage(e, '导入失败，请稍后再试。', onSessionExpired));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title="导入" size="small">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        导入按编号新增或更新记录；只要有一行有错误，整批都不会导入。
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
          <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
            <legend style={{ marginBottom: 8 }}>导入方式</legend>
            <Radio.Group
              value={mode}
              onChange={(event) => {
                // the other way's file inputs are gone, and so are their choices
                setMode(event.target.value as ImportMode);
                setPicked({});
                setTable(null);
                clear();
              }}
              options={[
                { value: 'jsonl', label: 'JSONL 文件（知识条目、专题、政策文件）' },
                { value: 'table', label: '电子表格（CSV 或 Excel .xlsx，仅知识条目）' },
              ]}
              data-testid="kb-import-mode"
            />
          </fieldset>
          {mode === 'jsonl' ? (
            <>
              <Typography.Text type="secondary">UTF-8 编码，每行一条记录；可只选其中的部分文件。</Typography.Text>
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
                        clear();
                      }}
                    />
                  </Flex>
                );
              })}
            </>
          ) : (
            <>
              <Typography.Text type="secondary">
                第一行为列名（与导出的表格或导入模板相同），其中{REQUIRED_TABLE_HEADERS.join('、')}
                必填；一个单元格中有多个值时每行一个；专题可填名称或编号；纳税人类型填一般纳税人、小规模纳税人或自然人；状态填已发布或草稿。Excel
                文件只读取第一个工作表。
              </Typography.Text>
              <Flex align="center" gap={12} wrap>
                <label htmlFor={`${idPrefix}-table`} style={{ minWidth: 180 }}>
                  表格文件（.csv 或 .xlsx）
                </label>
                <input
                  id={`${idPrefix}-table`}
                  type="file"
                  accept={TABLE_ACCEPT}
                  data-testid="kb-import-table"
                  onChange={(event) => {
                    setTable(event.target.files?.[0] ?? null);
                    clear();
                  }}
                />
              </Flex>
            </>
          )}
          <Checkbox checked={asDraft} onChange={(e) => setAsDraft(e.target.checked)} data-testid="kb-import-as-draft">
            导入为草稿（发布后才生效）
          </Checkbox>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={submitting} data-testid="kb-import-submit">
              导入
            </Button>
            <Button disabled={submitting} onClick={reset}>
              重新选择
            </Button>
          </Flex>
        </Flex>
      </form>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 16 }} />}
      {report && <ImportReport {...report} />}
    </Card>
  );
}
