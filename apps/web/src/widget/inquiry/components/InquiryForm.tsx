import {
  RECEIVE_BY_LABELS,
  type TInquiry,
  type TInquiryOptions,
  type TReceiveBy,
  ZInquirySubmit,
  ZMobile,
} from '@zhengna/contracts';
import { Alert, Button, Flex, Form, Input, Radio, Select, TreeSelect, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../../shared/api/api-error.ts';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { errorSummary } from '../../../shared/ui/form-errors.ts';
import { officeTree } from '../../../shared/ui/office-tree.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { PanelState } from '../../panels/components/PanelState.tsx';
import { useLoad } from '../../panels/hooks/use-load.ts';
import { usePanelServices } from '../../panels/panel-services.ts';
import { fetchInquiryOptions, submitInquiry, uploadInquiryFile } from '../api/inquiry-api.ts';
import { browserStorage, clearDraft, loadDraft, newClientKey, saveDraft } from '../inquiry-draft.ts';
import {
  contentTooLong,
  defaultValues,
  type InquiryFormValues,
  inquiryFieldErrors,
  toSubmitBody,
} from '../inquiry-form.ts';
import { type StartCaseUpload, useInquiryFiles } from '../use-inquiry-files.ts';
import { InquiryFilesField } from './InquiryFilesField.tsx';

const S = ZInquirySubmit.shape;
const RECEIVE_BY = (Object.keys(RECEIVE_BY_LABELS) as TReceiveBy[]).map((value) => ({
  value,
  label: RECEIVE_BY_LABELS[value],
}));

/** 我要留言: loads the offices, types and limits, then shows the form. */
export function InquiryForm({ taxpayerId, onShowMine }: { taxpayerId: string; onShowMine: () => void }) {
  const { withAuth } = usePanelServices();
  const { state, reload } = useLoad(() => withAuth(fetchInquiryOptions), '留言服务暂时无法使用，请稍后再试。');
  // 再写一条 starts a fresh form (its own form store, files and clientKey)
  const [round, setRound] = useState(0);
  return (
    <PanelState state={state} empty="暂无可留言的机构" isEmpty={(o) => o.offices.length === 0} onRetry={reload}>
      {(options) => (
        <InquiryFormBody
          key={round}
          options={options}
          taxpayerId={taxpayerId}
          onShowMine={onShowMine}
          onWriteAnother={() => setRound((n) => n + 1)}
        />
      )}
    </PanelState>
  );
}

interface BodyProps {
  options: TInquiryOptions;
  taxpayerId: string;
  onShowMine: () => void;
  onWriteAnother: () => void;
}

function InquiryFormBody({ options, taxpayerId, onShowMine, onWriteAnother }: BodyProps) {
  const { withAuth, conversationId } = usePanelServices();
  const [form] = Form.useForm<InquiryFormValues>();
  const storage = useMemo(browserStorage, []);
  const [draft] = useState(() => loadDraft(storage, taxpayerId));
  const clientKey = useRef(draft?.clientKey ?? newClientKey());
  const [submitting, setSubmitting] = useState(false);
  const inFlight = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [filesError, setFilesError] = useState<string | null>(null);
  const [sent, setSent] = useState<TInquiry | null>(null);
  const [summary, setSummary] = useState<string[]>([]);
  const treeData = useMemo(() => officeTree(options.offices), [options.offices]);

  const initialValues = useMemo<InquiryFormValues>(() => {
    const base = defaultValues(options.defaultOfficeId, options.types[0]?.id);
    const saved = { ...base, ...draft?.values };
    // a draft naming an office or type that is gone falls back to the defaults
    if (!options.offices.some((o) => o.id === saved.taxOfficeId)) saved.taxOfficeId = base.taxOfficeId;
    if (!options.types.some((t) => t.id === saved.type)) saved.type = base.type;
    return saved;
  }, [options, draft]);

  const startUpload = useCallback<StartCaseUpload>(
    (file, onProgress) => {
      let abort = () => {};
      const promise = withAuth((token) => {
        const handle = uploadInquiryFile(token, file, onProgress);
        abort = handle.abort;
        return handle.promise;
      });
      return { promise, abort: () => abort() };
    },
    [withAuth],
  );
  const files = useInquiryFiles(startUpload, draft?.files ?? []);

  const persist = useCallback(() => {
    saveDraft(storage, taxpayerId, {
      clientKey: clientKey.current,
      values: form.getFieldsValue(true) as InquiryFormValues,
      files: files.done,
    });
  }, [storage, taxpayerId, form, files.done]);
  // uploaded files are part of the draft too
  useEffect(() => {
    if (!sent) persist();
  }, [persist, sent]);

  const max = options.contentMaxLength;
  const receiveBy = Form.useWatch('receiveBy', form);
  const needsPhone = !options.maskedPhone && (receiveBy === 'sms' || receiveBy === 'both');

  const onFinish = async (values: InquiryFormValues) => {
    if (inFlight.current) return;
    if (files.uploading) {
      setFilesError('附件还在上传，请稍候再提交。');
      return;
    }
    inFlight.current = true;
    setSummary([]);
    setSubmitting(true);
    setError(null);
    setFilesError(null);
    try {
      const body = toSubmitBody(values, files.done, clientKey.current, conversationId);
      const inquiry = await withAuth((token) => submitInquiry(token, body));
      clearDraft(storage, taxpayerId);
      clientKey.current = newClientKey();
      setSent(inquiry);
    } catch (e) {
      const fields = e instanceof ApiError ? inquiryFieldErrors(e.fields) : {};
      const { files: fileError, _: general, ...byField } = fields;
      const named = Object.entries(byField) as [keyof InquiryFormValues, string][];
      form.setFields(named.map(([name, message]) => ({ name, errors: [message] })));
      setSummary([...named.map(([, message]) => message), ...(fileError ? [fileError] : [])]);
      if (fileError) setFilesError(fileError);
      if (general || (named.length === 0 && !fileError)) setError(general ?? errorMessage(e, '提交失败，请稍后再试。'));
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  };

  if (sent) {
    return (
      <Flex vertical gap={8} data-testid="inquiry-sent">
        <Alert
          type="success"
          showIcon
          role="status"
          title="留言已提交"
          description={`已提交至${sent.taxOfficeName}，我们会尽快答复。答复后将通过${RECEIVE_BY_LABELS[sent.receiveBy]}通知您。`}
        />
        <Flex gap={8}>
          <Button type="primary" onClick={onShowMine} data-testid="inquiry-show-mine">
            查看我的留言
          </Button>
          <Button onClick={onWriteAnother}>再写一条</Button>
        </Flex>
      </Flex>
    );
  }

  return (
    <Form<InquiryFormValues>
      form={form}
      layout="vertical"
      size="small"
      initialValues={initialValues}
      onValuesChange={persist}
      onFinish={(v) => void onFinish(v)}
      onFinishFailed={({ errorFields }) => setSummary(errorSummary(errorFields))}
      onFieldsChange={() => summary.length > 0 && setSummary(errorSummary(form.getFieldsError()))}
      scrollToFirstError={{ focus: true }}
      requiredMark
      data-testid="inquiry-form"
    >
      <Form.Item name="taxOfficeId" label="留言机构" rules={[{ required: true, message: '请选择留言机构' }]}>
        <TreeSelect
          treeData={treeData}
          showSearch={{ treeNodeFilterProp: 'title' }}
          treeDefaultExpandAll
          placeholder="请选择税务机关"
          data-testid="inquiry-office"
        />
      </Form.Item>
      <Form.Item name="type" label="留言类型" rules={[{ required: true, message: '请选择留言类型' }]}>
        <Select
          options={options.types.map((t) => ({ value: t.id, label: t.name }))}
          placeholder="请选择留言类型"
          data-testid="inquiry-type"
        />
      </Form.Item>
      <InquiryFilesField files={files} error={filesError} />
      <Form.Item name="remind" label="是否需要提醒服务" extra="选择“需要”后，留言有答复时将另行提醒您。">
        <Radio.Group
          aria-label="是否需要提醒服务"
          options={[
            { value: true, label: '需要' },
            { value: false, label: '不需要' },
          ]}
          data-testid="inquiry-remind"
        />
      </Form.Item>
      <Form.Item name="receiveBy" label="结果接收方式" rules={[{ required: true, message: '请选择结果接收方式' }]}>
        <Radio.Group aria-label="结果接收方式" options={RECEIVE_BY} data-testid="inquiry-receive-by" />
      </Form.Item>
      <Form.Item
        name="content"
        label="留言内容"
        rules={[
          { required: true, whitespace: true, message: '请填写留言内容' },
          zodRule(S.content),
          { max, message: contentTooLong(max) },
        ]}
      >
        <Input.TextArea
          autoSize={{ minRows: 4, maxRows: 10 }}
          count={{ show: true, max }}
          placeholder={`请详细描述您的问题（至少 5 个字，最多 ${max} 个字）`}
          data-testid="inquiry-content"
        />
      </Form.Item>
      <Form.Item
        name="phone"
        label="手机号码"
        extra={
          options.maskedPhone
            ? `留空则使用您登记的手机号 ${options.maskedPhone}`
            : '您尚未登记手机号，如需短信通知请填写。'
        }
        rules={[{ required: needsPhone, message: '选择短信接收时请填写手机号码' }, zodRule(ZMobile)]}
      >
        <Input
          inputMode="numeric"
          autoComplete="tel"
          maxLength={11}
          placeholder={options.maskedPhone || '请输入 11 位手机号码'}
          data-testid="inquiry-phone"
        />
      </Form.Item>
      <FormErrorSummary errors={summary} testId="inquiry-error-summary" />
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={error}
          style={{ marginBottom: 8 }}
          data-testid="inquiry-error"
        />
      )}
      <Flex gap={8} align="center">
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="inquiry-submit">
          提交留言
        </Button>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          草稿会自动保存
        </Typography.Text>
      </Flex>
    </Form>
  );
}
