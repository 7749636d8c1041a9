import { AppProvider } from '../shared/i18n/AppProvider.tsx';
import { mount } from '../shared/ui/mount.tsx';
import { AdminApp } from './AdminApp.tsx';

mount(
  <AppProvider>
    <AdminApp />
  </AppProvider>,
);
