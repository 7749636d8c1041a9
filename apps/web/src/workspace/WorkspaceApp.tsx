import { Result } from 'antd';
import { StaffLoginForm } from '../shared/staff/StaffLoginForm.tsx';
import { useStaffSession } from '../shared/staff/use-staff-session.ts';
import { FullPageSpin } from '../shared/ui/FullPageSpin.tsx';
import { Workspace } from './layout/components/Workspace.tsx';

export function WorkspaceApp() {
  const { session, signedIn, signOut, expired } = useStaffSession();
  switch (session.status) {
    case 'loading':
      return <FullPageSpin />;
    case 'error':
      return <Result status="warning" title="工作台加载失败" subTitle={session.message} />;
    case 'anonymous':
      return <StaffLoginForm title="征纳互动坐席工作台" notice={session.notice} onSignedIn={signedIn} />;
    case 'authenticated':
      return <Workspace key={session.me.staffId} me={session.me} onLogout={signOut} onSessionExpired={expired} />;
  }
}
