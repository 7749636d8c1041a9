import type { ThemeConfig } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import '../ui/global.css';

dayjs.locale('zh-cn');

/**
 * Theme and Chinese defaults without any component, so a face that sets up its own providers (the widget) does not
 * pull antd's App (modal, notification) into its first load through AppProvider's module.
 */

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
