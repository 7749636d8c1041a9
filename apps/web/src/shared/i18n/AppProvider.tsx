import { App, ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import '../ui/global.css';

dayjs.locale('zh-cn');

/** Tax-bureau blue; the portal adds its red header on top of it. */
export const baseTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1456c7',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Segoe UI', Roboto, sans-serif",
  },
};

/**
 * antd puts a space between two CJK characters in a button ("登 录"); that changes the accessible name, so it
 * is turned off everywhere.
 */
export const BUTTON_CONFIG = { autoInsertSpace: false } as const;

/** Chinese locale and theme for every face (antd zh_CN, dayjs zh-cn) plus antd's App context for message/modal. */
export function AppProvider({ children, theme = baseTheme }: { children: ReactNode; theme?: ThemeConfig }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={BUTTON_CONFIG}>
      <App>{children}</App>
    </ConfigProvider>
  );
}
