import { App, ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { BUTTON_CONFIG, baseTheme } from './theme.ts';

export { BUTTON_CONFIG, baseTheme } from './theme.ts';

/** Chinese locale and theme for every face (antd zh_CN, dayjs zh-cn) plus antd's App context for message/modal. */
export function AppProvider({ children, theme = baseTheme }: { children: ReactNode; theme?: ThemeConfig }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={BUTTON_CONFIG}>
      <App>{children}</App>
    </ConfigProvider>
  );
}
