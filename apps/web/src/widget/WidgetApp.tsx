import { Alert, Flex, Spin } from 'antd';
import { useEffect } from 'react';
import { ChatWindow } from './chat/components/ChatWindow.tsx';
import { useChatSession } from './session/use-chat-session.ts';

/** The chat inside the loader's iframe. */
export function WidgetApp({ hostOrigin }: { hostOrigin: string }) {
  const { state, withAuth, requestReauth, close } = useChatSession(hostOrigin);

  // Escape closes the panel even while focus is inside the iframe (the host page cannot see those keys).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) close();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [close]);

  if (state.status === 'ready') {
    return (
      <ChatWindow
        key={state.conversation.id}
        session={state.session}
        conversation={state.conversation}
        firstPage={state.firstPage}
        hostOrigin={hostOrigin}
        withAuth={withAuth}
        onUnauthenticated={requestReauth}
        onClose={close}
      />
    );
  }
  if (state.status === 'error') {
    return (
      <Flex align="center" justify="center" style={{ height: '100%', padding: 24 }}>
        <Alert type="warning" showIcon title="征纳互动暂时无法使用" description={state.message} />
      </Flex>
    );
  }
  return (
    <Flex align="center" justify="center" style={{ height: '100%' }} role="status">
      <Spin description="正在连接征纳互动…" />
    </Flex>
  );
}
