import { TAXPAYER_TYPE_LABELS } from '@zhengna/contracts';
import { Checkbox, Form, type FormInstance, type FormRule, Input, Select } from 'antd';
import { useMemo } from 'react';
import type { TKnowledgeDocumentOption, TKnowledgeTopic } from '../api/knowledge-api.ts';
import { type EntryField, type EntryFormValues, entryIdError, toEntryContent } from '../entry-form.ts';

const TAXPAYER_TYPE_OPTIONS = Object.entries(TAXPAYER_TYPE_LABELS).map(([value, label]) => ({ value, label }));
const TAG_SEPARATORS = [',', '，', '、', ';', '；'];

/** A field's message as the contract checks it (the whole form is checked; only this field's problem is shown). */
const contentRule =
  (name: EntryField): FormRule =>
  (form) => ({
    validator: async () => {
      const message =
        name === 'id'
          ? entryIdError(form.getFieldValue('id'))
          : (() => {
              const parsed = toEntryContent(form.getFieldsValue(true));
              return parsed.ok ? undefined : parsed.errors[name];
            })();
      if (message) throw new Error(message);
    },
  });

interface EntryContentFormProps {
  form: FormInstance<EntryFormValues>;
  initialValues: EntryFormValues;
  isNew: boolean;
  disabled: boolean;
  topics: readonly TKnowledgeTopic[];
  documents: readonly TKnowledgeDocumentOption[];
  onEdited: () => void;
}

/** The fields of ZEntryContent (plus 编号 for a new entry), each checked by the contract's own rules. */
export function EntryContentForm({
  form,
  initialValues,
  isNew,
  disabled,
  topics,
  documents,
  onEdited,
}: EntryContentFormProps) {
  const topicOptions = useMemo(() => topics.map((t) => ({ value: t.id, label: t.name })), [topics]);
  const documentOptions = useMemo(
    () => documents.map((d) => ({ value: d.id, label: `${d.title}（${d.id}）` })),
    [documents],
  );

  const tags = (name: 'industries' | 'regions' | 'keywords', label: string, placeholder: string) => (
    <Form.Item name={name} label={label} rules={[contentRule(name)]} extra="输入后按回车添加，可添加多个。">
      <Select
        mode="tags"
        tokenSeparators={TAG_SEPARATORS}
        placeholder={placeholder}
        open={false}
        suffixIcon={null}
        data-testid={`entry-${name}`}
      />
    </Form.Item>
  );

  return (
    <Form<EntryFormValues>
      form={form}
      name="knowledge-entry"
      layout="vertical"
      initialValues={initialValues}
      disabled={disabled}
      onValuesChange={onEdited}
      data-testid="entry-form"
    >
      {isNew && (
        <Form.Item
          name="id"
          label="编号（可选）"
          extra="留空则自动生成；只能包含字母、数字、下划线和连字符。"
          rules={[contentRule('id')]}
        >
          <Input maxLength={64} placeholder="如 KB-fapiao-101" data-testid="entry-id" />
        </Form.Item>
      )}
      <Form.Item name="topic" label="专题" required rules={[contentRule('topic')]}>
        <Select
          options={topicOptions}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="请选择专题"
          data-testid="entry-topic"
        />
      </Form.Item>
      <Form.Item name="question" label="标准问题" required rules={[contentRule('question')]}>
        <Input maxLength={500} placeholder="纳税人最常见的问法" data-testid="entry-question" />
      </Form.Item>
      <Form.Item
        name="similar"
        label="相似问题"
        extra="每行一个，可不填。相同的问题只保留一个。"
        rules={[contentRule('similar')]}
      >
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} data-testid="entry-similar" />
      </Form.Item>
      <Form.Item name="answer" label="答案" required extra="纯文本，换行会保留。" rules={[contentRule('answer')]}>
        <Input.TextArea
          autoSize={{ minRows: 6, maxRows: 20 }}
          maxLength={20_000}
          showCount
          data-testid="entry-answer"
        />
      </Form.Item>
      <Form.Item name="documents" label="相关文档" rules={[contentRule('documents')]}>
        <Select
          mode="multiple"
          options={documentOptions}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="输入标题或编号搜索政策文件"
          data-testid="entry-documents"
        />
      </Form.Item>
      <Form.Item
        name="taxpayerTypes"
        label="适用纳税人类型"
        extra="都不选表示适用于全部纳税人。"
        rules={[contentRule('taxpayerTypes')]}
      >
        {/* a <label for> does not name a group of checkboxes */}
        <Checkbox.Group
          options={TAXPAYER_TYPE_OPTIONS}
          aria-label="适用纳税人类型"
          data-testid="entry-taxpayer-types"
        />
      </Form.Item>
      {tags('industries', '行业', '不填表示全部行业，如 批发业')}
      {tags('regions', '地区', '不填表示全部地区，如 济南市')}
      {tags('keywords', '关键词', '帮助机器人匹配的词，如 发票')}
    </Form>
  );
}
