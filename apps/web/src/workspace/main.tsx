import { AppProvider } from '../shared/i18n/AppProvider.tsx';
import { mount } from '../shared/ui/mount.tsx';
import { WorkspaceApp } from './WorkspaceApp.tsx';

mount(
  <AppProvider>
    <WorkspaceApp />
  </AppProvider>,
);
