import { Flex, Spin } from 'antd';

/** Centered loading state while a page finds out who is logged in. */
export function FullPageSpin({ tip = '正在加载…' }: { tip?: string }) {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '60vh' }} role="status" aria-live="polite">
      <Spin size="large" description={tip} />
    </Flex>
  );
}
