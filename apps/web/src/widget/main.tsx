import { XProvider } from '@ant-design/x';
import xZhCN from '@ant-design/x/locale/zh_CN';
import { Alert, Flex } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { BUTTON_CONFIG, baseTheme } from '../shared/i18n/theme.ts';
import { mount } from '../shared/ui/mount.tsx';
import { readHostOrigin } from './host/host-bridge.ts';
import { ToastProvider } from './ui/toast.tsx';
import { WidgetApp } from './WidgetApp.tsx';
import './widget.css';

// Only inside the loader's iframe: the host origin comes from it, and so does the sign-on token.
const hostOrigin = window.parent !== window ? readHostOrigin() : null;

mount(
  <XProvider locale={{ ...zhCN, ...xZhCN }} theme={baseTheme} button={BUTTON_CONFIG}>
    <ToastProvider>
      {hostOrigin ? (
        <WidgetApp hostOrigin={hostOrigin} />
      ) : (
        <Flex align="center" justify="center" style={{ height: '100%', padding: 24 }}>
          <Alert
            type="info"
            showIcon
            title="请从电子税务局页面打开征纳互动"
            description="登录电子税务局后，点击页面右下角的征纳互动图标即可咨询。"
          />
        </Flex>
      )}
    </ToastProvider>
  </XProvider>,
);
