import { Alert, App, Button, Flex, Input, Spin, Typography } from 'antd';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { isVersionConflict } from '../../settings/settings-form.ts';
import { fetchSynonyms, saveSynonyms } from '../api/knowledge-api.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { parseSynonymLines, synonymLines } from '../synonym-lines.ts';

/** Past this many, the list of problems ends with how many more there are (a pasted list can have thousands). */
const SHOWN_ERRORS = 10;

interface SynonymsPageProps {
  /** Supervisors read; only administrators save the synonyms. */
  canEdit: boolean;
  onSessionExpired: () => void;
}

/** What the server holds: the text as loaded and the version to send back with a save. */
interface Loaded {
  text: string;
  version: string;
}

/**
 * 知识库 → 同义词: the bureau's synonym groups, one per line, added to the bot's built-in dictionary. The whole list
 * is saved at once with the version it was loaded at; someone else's save in between is refused and 刷新 reloads.
 */
export function SynonymsPage({ canEdit, onSessionExpired }: SynonymsPageProps) {
  const ids = useId();
  const { modal, message } = App.useApp();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [text, setText] = useState('');
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  /** Problems are shown from the first 保存 on, and then follow the edits as they are fixed. */
  const [checked, setChecked] = useState(false);

  const parsed = useMemo(() => parseSynonymLines(text), [text]);
  const errors = checked ? parsed.errors : [];
  const dirty = loaded !== null && text !== loaded.text;

  const show = useCallback((groups: string[][], version: string) => {
    const next = synonymLines(groups);
    setLoaded({ text: next, version });
    setText(next);
    setChecked(false);
  }, []);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      setLoadError(null);
      setSaveError(null);
      setConflict(null);
      try {
        const { groups, version } = await fetchSynonyms(signal);
        show(groups, version);
      } catch (e) {
        if (!signal?.aborted) setLoadError(adminErrorMessage(e, '同义词加载失败，请稍后再试。', onSessionExpired));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [show, onSessionExpired],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const save = async () => {
    if (!loaded) return;
    setChecked(true);
    setSaveError(null);
    setConflict(null);
    if (parsed.errors.length > 0) return;
    setSaving(true);
    try {
      const saved = await saveSynonyms({ groups: parsed.groups, version: loaded.version });
      show(saved.groups, saved.version);
      void message.success('同义词已保存，机器人将按新的同义词理解问题。');
    } catch (e) {
      const shown = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      if (isVersionConflict(e)) setConflict(shown);
      else setSaveError(shown);
    } finally {
      setSaving(false);
    }
  };

  /** 恢复 drops the edits: asked first when there are any. */
  const restore = () => {
    if (!dirty) {
      void load();
      return;
    }
    modal.confirm({
      title: '放弃未保存的修改？',
      content: '恢复会重新载入已保存的同义词，本次尚未保存的修改将丢失。',
      okText: '放弃修改并恢复',
      cancelText: '继续编辑',
      okButtonProps: { danger: true },
      onOk: () => void load(),
    });
  };

  const errorsId = `${ids}-errors`;
  const hintId = `${ids}-hint`;
  const busy = loading || saving;

  return (
    <Flex vertical gap={12} style={{ maxWidth: 880 }}>
      <div id={hintId}>
        <Typography.Paragraph style={{ marginBottom: 4 }}>
          每行一组同义词：机器人会把同一行里的词当作同一个词来理解，每行的第一个词是标准说法。词与词之间用空格、逗号或顿号（、）分隔。
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          例如写“增值税专用发票、专票、增票”，机器人会把“专票”“增票”都当作“增值税专用发票”来查找答案。这些同义词补充在机器人内置的词典之上，保存后立即生效，各组会按统一顺序重新排列。
        </Typography.Paragraph>
      </div>
      {!canEdit && (
        <Alert
          type="info"
          showIcon
          title="您可以查看同义词；修改须由系统管理员进行。"
          data-testid="synonyms-readonly"
        />
      )}
      {loadError && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={loadError}
          action={<Button onClick={() => void load()}>重试</Button>}
          data-testid="synonyms-load-error"
        />
      )}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={conflict}
          description="刷新会载入他人保存后的同义词，您尚未保存的修改将丢失。"
          action={
            <Button onClick={() => void load()} loading={loading} data-testid="synonyms-refresh">
              刷新
            </Button>
          }
          data-testid="synonyms-conflict"
        />
      )}
      {saveError && <Alert type="error" showIcon role="alert" title={saveError} data-testid="synonyms-save-error" />}
      {errors.length > 0 && (
        <Alert
          id={errorsId}
          type="error"
          showIcon
          role="alert"
          title={`有 ${errors.length} 处需要修改后才能保存：`}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {errors.slice(0, SHOWN_ERRORS).map((e) => (
                <li key={e}>{e}</li>
              ))}
              {errors.length > SHOWN_ERRORS && <li>还有 {errors.length - SHOWN_ERRORS} 处未列出</li>}
            </ul>
          }
          data-testid="synonyms-errors"
        />
      )}
      <Spin spinning={loading} description="正在加载…">
        <Flex vertical gap={4}>
          <Flex justify="space-between" align="baseline" gap={12}>
            <label htmlFor={`${ids}-text`}>同义词组，每行一组</label>
            <Typography.Text type="secondary" data-testid="synonyms-count">
              共 {parsed.groups.length} 组{dirty ? '（有未保存的修改）' : ''}
            </Typography.Text>
          </Flex>
          <Input.TextArea
            id={`${ids}-text`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            // supervisors can still select and copy; a disabled field could not be read that way
            readOnly={!canEdit || busy}
            autoSize={{ minRows: 14, maxRows: 32 }}
            spellCheck={false}
            placeholder={canEdit ? '增值税专用发票、专票、增票' : undefined}
            aria-describedby={errors.length > 0 ? `${hintId} ${errorsId}` : hintId}
            aria-invalid={errors.length > 0 || undefined}
            status={errors.length > 0 ? 'error' : undefined}
            style={{ fontFamily: 'inherit' }}
            data-testid="synonyms-text"
          />
        </Flex>
      </Spin>
      <Flex gap={8} justify="flex-end">
        <Button onClick={canEdit ? restore : () => void load()} disabled={saving} data-testid="synonyms-restore">
          {canEdit ? '恢复' : '刷新'}
        </Button>
        {canEdit && (
          <Button
            type="primary"
            onClick={() => void save()}
            loading={saving}
            disabled={loading || loadError !== null || !dirty}
            data-testid="synonyms-save"
          >
            保存
          </Button>
        )}
      </Flex>
    </Flex>
  );
}
