import { message } from 'antd';
import { createContext, type ReactNode, useContext } from 'react';

type MessageApi = ReturnType<typeof message.useMessage>[0];

const ToastContext = createContext<MessageApi | null>(null);

/**
 * Short notices (已清屏 …) for the widget. antd's <App> would give the same through App.useApp(), but it also brings
 * the modal and notification machinery into the widget's first load (~9 KB gzip) for nothing.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [api, holder] = message.useMessage();
  return (
    <ToastContext value={api}>
      {holder}
      {children}
    </ToastContext>
  );
}

export function useToast(): MessageApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('ToastProvider missing');
  return api;
}
