import type { TPortalMe } from '@zhengna/contracts';
import { App, Result } from 'antd';
import type { ReactNode } from 'react';
import { FullPageSpin } from '../../../shared/ui/FullPageSpin.tsx';
import { logoutPortal } from '../../api/portal-api.ts';
import { usePortalMe } from '../../hooks/use-portal-me.ts';
import { PORTAL_PATHS, type PortalPageKey } from '../../portal-paths.ts';
import { PortalFooter } from './PortalFooter.tsx';
import { PortalHeader } from './PortalHeader.tsx';

interface AuthenticatedPortalPageProps {
  active: PortalPageKey;
  children: (me: TPortalMe) => ReactNode;
}

/** A portal page that needs a logged-in taxpayer: header with the enterprise, switcher and logout; footer. */
export function AuthenticatedPortalPage({ active, children }: AuthenticatedPortalPageProps) {
  const { state } = usePortalMe();
  const { message } = App.useApp();

  const logout = async () => {
    try {
      await logoutPortal();
    } catch {
      void message.warning('退出时网络异常，已返回登录页。');
    }
    location.assign(PORTAL_PATHS.login);
  };

  return (
    <>
      <PortalHeader me={state.status === 'ready' ? state.me : undefined} active={active} onLogout={logout} />
      <main style={{ maxWidth: 1200, margin: '0 auto', padding: '24px 16px', minHeight: '60vh' }}>
        {state.status === 'loading' && <FullPageSpin />}
        {state.status === 'error' && <Result status="warning" title="页面加载失败" subTitle={state.message} />}
        {state.status === 'ready' && children(state.me)}
      </main>
      <PortalFooter />
    </>
  );
}
