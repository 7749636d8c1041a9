import { Button, Result } from 'antd';
import { StaffLoginForm } from '../shared/staff/StaffLoginForm.tsx';
import { useStaffSession } from '../shared/staff/use-staff-session.ts';
import { FullPageSpin } from '../shared/ui/FullPageSpin.tsx';
import { AdminShell } from './layout/components/AdminShell.tsx';

const ADMIN_ROLES = new Set(['admin', 'supervisor']);

export function AdminApp() {
  const { session, signedIn, signOut, expired } = useStaffSession();
  switch (session.status) {
    case 'loading':
      return <FullPageSpin />;
    case 'error':
      return <Result status="warning" title="管理端加载失败" subTitle={session.message} />;
    case 'anonymous':
      return <StaffLoginForm title="征纳互动管理端" notice={session.notice} onSignedIn={signedIn} />;
    case 'authenticated':
      if (!ADMIN_ROLES.has(session.me.role)) {
        return (
          <Result
            status="403"
            title="您没有管理端权限"
            subTitle="管理端仅对管理员和班长开放，如需使用请联系系统管理员。"
            extra={<Button onClick={signOut}>退出登录</Button>}
          />
        );
      }
      return <AdminShell me={session.me} onLogout={signOut} onSessionExpired={expired} />;
  }
}
