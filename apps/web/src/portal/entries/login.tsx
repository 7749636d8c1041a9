import { AppProvider } from '../../shared/i18n/AppProvider.tsx';
import { mount } from '../../shared/ui/mount.tsx';
import { LoginPage } from '../login/components/LoginPage.tsx';

mount(
  <AppProvider>
    <LoginPage />
  </AppProvider>,
);
