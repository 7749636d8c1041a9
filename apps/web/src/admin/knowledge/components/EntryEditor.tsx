import type { TEntryContent, TEntryDetail } from '@zhengna/contracts';
import { Alert, App, Button, Collapse, Drawer, Flex, Form, Spin, Tabs } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { isVersionConflict } from '../../settings/settings-form.ts';
import {
  createEntry,
  entryAction,
  fetchDocumentOptions,
  fetchEntry,
  fetchTopics,
  rollbackEntry,
  saveEntry,
  type TKnowledgeDocumentOption,
  type TKnowledgeTopic,
} from '../api/knowledge-api.ts';
import {
  detailStatusOf,
  type EntryFormValues,
  editableContentOf,
  emptyEntryValues,
  entryFieldErrors,
  entryIdError,
  toEntryContent,
  valuesOfContent,
} from '../entry-form.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { EntryActionDialog, type EntryDialogAction } from './EntryActionDialog.tsx';
import { EntryContentForm } from './EntryContentForm.tsx';
import { EntryContentView } from './EntryContentView.tsx';
import { EntryHistory } from './EntryHistory.tsx';
import { EntryStatusNotice } from './EntryStatusNotice.tsx';

export interface EntryEditorProps {
  /** The entry to open; null creates a new one. */
  entryId: string | null;
  /** A new entry's 标准问题, and the 未解决问题 it answers (which then leaves that list). */
  prefill?: { question: string; fromUnansweredId?: string };
  /** Supervisors read; only administrators change entries. */
  canEdit: boolean;
  onClose: () => void;
  /** After every change the server made (the lists refresh). */
  onChanged: (detail: TEntryDetail) => void;
  onSessionExpired: () => void;
}

type Busy = 'load' | 'save' | 'publish' | 'unpublish' | 'discard' | 'rollback' | null;

/**
 * One 知识条目 in a drawer: its content (the draft when there is one), 保存草稿 / 发布 / 放弃修改 / 下线, and its
 * 变更历史 with 回滚. Every change sends the version it started from; someone else's change in between is refused
 * and 刷新 reloads the entry.
 */
export function EntryEditor({ entryId, prefill, canEdit, onClose, onChanged, onSessionExpired }: EntryEditorProps) {
  const { modal, message } = App.useApp();
  const [form] = Form.useForm<EntryFormValues>();
  const [initialValues] = useState(() => emptyEntryValues({ question: prefill?.question }));
  const [detail, setDetail] = useState<TEntryDetail | null>(null);
  const [topics, setTopics] = useState<TKnowledgeTopic[]>([]);
  const [documents, setDocuments] = useState<TKnowledgeDocumentOption[]>([]);
  const [optionsError, setOptionsError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(entryId ? 'load' : null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [summary, setSummary] = useState<string[]>([]);
  const [dialog, setDialog] = useState<EntryDialogAction | null>(null);
  const [tab, setTab] = useState('content');
  const id = detail?.id ?? entryId;
  const isNew = id === null;

  const show = useCallback(
    (next: TEntryDetail) => {
      setDetail(next);
      form.resetFields();
      form.setFieldsValue(valuesOfContent(editableContentOf(next)));
      setDirty(false);
      setSummary([]);
    },
    [form],
  );

  const load = useCallback(
    async (target: string) => {
      setBusy('load');
      setLoadError(null);
      setConflict(null);
      setError(null);
      try {
        show(await fetchEntry(target));
      } catch (e) {
        setLoadError(adminErrorMessage(e, '知识条目加载失败，请稍后再试。', onSessionExpired));
      } finally {
        setBusy(null);
      }
    },
    [show, onSessionExpired],
  );

  useEffect(() => {
    if (entryId) void load(entryId);
  }, [entryId, load]);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([fetchTopics(controller.signal), fetchDocumentOptions(controller.signal)]).then(
      ([t, d]) => {
        setTopics(t);
        setDocuments(d);
      },
      (e: unknown) => {
        if (!controller.signal.aborted)
          setOptionsError(adminErrorMessage(e, '专题和政策文件列表加载失败，请稍后再试。', onSessionExpired));
      },
    );
    return () => controller.abort();
  }, [onSessionExpired]);

  const topicName = useCallback((topic: string) => topics.find((t) => t.id === topic)?.name ?? topic, [topics]);

  /** The form's content, or null with its problems shown beside the fields and in one announced summary. */
  const checkedContent = (): TEntryContent | null => {
    const values = form.getFieldsValue(true) as EntryFormValues;
    const parsed = toEntryContent(values);
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...(isNew ? { id: entryIdError(values.id) } : {}) };
    const fields = Object.keys(values) as (keyof EntryFormValues)[];
    form.setFields(fields.map((name) => ({ name, errors: errors[name] ? [errors[name]] : [] })));
    const messages = [...new Set(Object.values(errors).filter((m): m is string => Boolean(m)))];
    setSummary(messages);
    return messages.length === 0 && parsed.ok ? parsed.content : null;
  };

  /** Runs one change; a refused version becomes the conflict notice, field errors go beside their fields. */
  const run = async (kind: Exclude<Busy, null | 'load'>, step: () => Promise<TEntryDetail | null>) => {
    setBusy(kind);
    setError(null);
    setConflict(null);
    try {
      const next = await step();
      if (next) {
        show(next);
        onChanged(next);
        return next;
      }
    } catch (e) {
      const text = adminErrorMessage(e, '操作失败，请稍后再试。', onSessionExpired);
      if (isVersionConflict(e)) setConflict(text);
      else {
        if (e instanceof ApiError && e.fields) {
          const found = entryFieldErrors(e.fields);
          form.setFields(
            (Object.keys(found) as (keyof typeof found)[])
              .filter((name) => name !== '_')
              .map((name) => ({ name: name as keyof EntryFormValues, errors: [found[name] ?? ''] })),
          );
        }
        setError(text);
      }
    } finally {
      setBusy(null);
    }
    return null;
  };

  /** Creates the entry (a draft) or saves the form: into the draft of a published entry, else into its content. */
  const persist = async (content: TEntryContent): Promise<TEntryDetail> => {
    if (!detail) {
      const newId = (form.getFieldValue('id') as string | undefined)?.trim();
      return createEntry({ id: newId || undefined, content, fromUnansweredId: prefill?.fromUnansweredId });
    }
    return saveEntry(detail.id, { version: detail.version, content });
  };

  const saveDraft = async () => {
    const content = checkedContent();
    if (!content) return;
    if (await run('save', () => persist(content))) void message.success('草稿已保存，发布后才会生效。');
  };

  const confirmAction = async (action: EntryDialogAction, note: string) => {
    setDialog(null);
    if (action.kind === 'publish') {
      const content = isNew || dirty ? checkedContent() : null;
      if ((isNew || dirty) && !content) return;
      const done = await run('publish', async () => {
        let current = detail;
        if (content) {
          current = await persist(content);
          // saved even if publishing fails next: show it and let the lists know
          show(current);
          onChanged(current);
        }
        return current ? entryAction(current.id, 'publish', { version: current.version, note }) : null;
      });
      if (done) void message.success('已发布，机器人将使用新的内容回答。');
      return;
    }
    if (!detail) return;
    const { version } = detail;
    if (action.kind === 'unpublish') {
      if (await run('unpublish', () => entryAction(detail.id, 'unpublish', { version, note })))
        void message.success('已下线，机器人不再使用该条目。');
    } else if (action.kind === 'discard') {
      if (await run('discard', () => entryAction(detail.id, 'discard-draft', { version, note })))
        void message.success('已放弃未发布的修改。');
    } else if (await run('rollback', () => rollbackEntry(detail.id, { version, note, revision: action.revision }))) {
      setTab('content');
      void message.success(`已回滚到第 ${action.revision} 版并发布。`);
    }
  };

  const openPublish = () => {
    if ((isNew || dirty) && !checkedContent()) return;
    setDialog({ kind: 'publish' });
  };

  const close = () => {
    if (!dirty || !canEdit) {
      onClose();
      return;
    }
    modal.confirm({
      title: '放弃未保存的修改？',
      content: '关闭后，本次尚未保存的修改将丢失。',
      okText: '不保存并关闭',
      cancelText: '继续编辑',
      okButtonProps: { danger: true },
      onOk: onClose,
    });
  };

  const status = detail ? detailStatusOf(detail) : null;
  const working = busy !== null;
  const canPublish = isNew || dirty || status === 'draft' || status === 'changed';
  const title = isNew ? '新建知识条目' : `知识条目 ${id}`;

  const footer = canEdit && !loadError && (
    <Flex gap={8} wrap justify="flex-end">
      {status === 'changed' && (
        <Button
          danger
          disabled={working}
          loading={busy === 'discard'}
          onClick={() => setDialog({ kind: 'discard' })}
          data-testid="entry-discard"
        >
          放弃修改
        </Button>
      )}
      {detail?.status === 'published' && (
        <Button
          danger
          disabled={working}
          loading={busy === 'unpublish'}
          onClick={() => setDialog({ kind: 'unpublish' })}
          data-testid="entry-unpublish"
        >
          下线
        </Button>
      )}
      <Button
        disabled={working || (!isNew && !dirty)}
        loading={busy === 'save'}
        onClick={() => void saveDraft()}
        data-testid="entry-save"
      >
        保存草稿
      </Button>
      <Button
        type="primary"
        disabled={working || !canPublish}
        loading={busy === 'publish'}
        onClick={openPublish}
        data-testid="entry-publish"
      >
        发布
      </Button>
    </Flex>
  );

  const content = (
    <Flex vertical gap={12}>
      {!canEdit && (
        <Alert type="info" showIcon title="您可以查看知识条目；修改须由系统管理员进行。" data-testid="entry-readonly" />
      )}
      {optionsError && <Alert type="warning" showIcon role="alert" title={optionsError} />}
      <EntryStatusNotice detail={detail} isNew={isNew} dirty={dirty && canEdit} />
      {detail && status === 'changed' && (
        <Collapse
          size="small"
          items={[
            {
              key: 'published',
              label: '查看已发布的内容（机器人当前使用）',
              children: <EntryContentView content={detail.content} topicName={topicName(detail.content.topic)} />,
            },
          ]}
        />
      )}
      <FormErrorSummary errors={summary} testId="entry-error-summary" />
      <EntryContentForm
        form={form}
        initialValues={initialValues}
        isNew={isNew}
        disabled={!canEdit || working}
        topics={topics}
        documents={documents}
        onEdited={() => setDirty(true)}
      />
    </Flex>
  );

  return (
    <Drawer
      open
      title={title}
      size={760}
      onClose={close}
      footer={footer || undefined}
      closable={{ 'aria-label': '关闭' }}
      data-testid="entry-editor"
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={conflict}
          description="刷新会载入他人修改后的内容，您尚未保存的修改将丢失。"
          action={
            <Button onClick={() => id && void load(id)} loading={busy === 'load'} data-testid="entry-refresh">
              刷新
            </Button>
          }
          style={{ marginBottom: 12 }}
          data-testid="entry-conflict"
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={error}
          style={{ marginBottom: 12 }}
          data-testid="entry-error"
        />
      )}
      {loadError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={loadError}
          action={id && <Button onClick={() => void load(id)}>重试</Button>}
        />
      ) : (
        // the form stays mounted while loading and after a new entry is created, so its instance keeps its values
        <Spin spinning={busy === 'load' && !detail} description="正在加载…">
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              { key: 'content', label: '内容', children: content, forceRender: true },
              {
                key: 'history',
                label: '变更历史',
                disabled: !detail,
                children: detail && (
                  <EntryHistory
                    detail={detail}
                    canEdit={canEdit}
                    busy={working}
                    topicName={topicName}
                    onRollback={(revision) => setDialog({ kind: 'rollback', revision })}
                    onSessionExpired={onSessionExpired}
                  />
                ),
              },
            ]}
          />
        </Spin>
      )}
      {dialog && (
        <EntryActionDialog
          action={dialog}
          unsaved={dirty}
          onCancel={() => setDialog(null)}
          onConfirm={(note) => void confirmAction(dialog, note)}
        />
      )}
    </Drawer>
  );
}
