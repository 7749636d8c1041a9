import { XProvider } from '@ant-design/x';
import xZhCN from '@ant-design/x/locale/zh_CN';
import { App, Result } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { BUTTON_CONFIG, baseTheme } from '../shared/i18n/AppProvider.tsx';
import { mount } from '../shared/ui/mount.tsx';
import { readHostOrigin } from './host/host-bridge.ts';
import { WidgetApp } from './WidgetApp.tsx';
import './widget.css';

// Only inside the loader's iframe: the host origin comes from it, and so does the sign-on token.
const hostOrigin = window.parent !== window ? readHostOrigin() : null;

mount(
  <XProvider locale={{ ...zhCN, ...xZhCN }} theme={baseTheme} button={BUTTON_CONFIG}>
    <App style={{ height: '100%' }}>
      {hostOrigin ? (
        <WidgetApp hostOrigin={hostOrigin} />
      ) : (
        <Result
          status="info"
          title="请从电子税务局页面打开征纳互动"
          subTitle="登录电子税务局后，点击页面右下角的征纳互动图标即可咨询。"
        />
      )}
    </App>
  </XProvider>,
);
