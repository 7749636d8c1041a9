import { Button, Flex, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import { checkNewKeyword } from '../settings-form.ts';

interface KeywordTagsProps {
  id?: string;
  value?: string[];
  onChange?: (next: string[]) => void;
  disabled?: boolean;
}

/** 转人工关键词 as tags: type one and press Enter (or 添加); each tag can be removed. A form control (value/onChange). */
export function KeywordTags({ id, value = [], onChange, disabled }: KeywordTagsProps) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = () => {
    const checked = checkNewKeyword(draft, value);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    onChange?.([...value, checked.keyword]);
    setDraft('');
    setError(null);
  };

  return (
    <Flex vertical gap={8}>
      <Flex wrap gap={6} data-testid="handoff-keywords" role="list" aria-label="转人工关键词">
        {value.map((k) => (
          <Tag
            key={k}
            role="listitem"
            closable={disabled ? false : { 'aria-label': `删除关键词 ${k}` }}
            onClose={(e) => {
              e.preventDefault();
              onChange?.(value.filter((x) => x !== k));
            }}
            data-testid="handoff-keyword"
            style={{ marginInlineEnd: 0 }}
          >
            {k}
          </Tag>
        ))}
        {value.length === 0 && <Typography.Text type="secondary">暂无关键词</Typography.Text>}
      </Flex>
      {!disabled && (
        <Flex gap={8} style={{ maxWidth: 360 }}>
          <Input
            id={id}
            value={draft}
            maxLength={20}
            placeholder="输入关键词，如“转人工”"
            aria-label="新关键词"
            status={error ? 'error' : undefined}
            onChange={(e) => {
              setDraft(e.target.value);
              setError(null);
            }}
            onPressEnter={(e) => {
              e.preventDefault();
              add();
            }}
            data-testid="handoff-keyword-input"
          />
          <Button onClick={add} data-testid="handoff-keyword-add">
            添加
          </Button>
        </Flex>
      )}
      {error && (
        <Typography.Text type="danger" role="alert" data-testid="handoff-keyword-error">
          {error}
        </Typography.Text>
      )}
    </Flex>
  );
}
