import { AppProvider } from '../../shared/i18n/AppProvider.tsx';
import { mount } from '../../shared/ui/mount.tsx';
import { HomePage } from '../home/components/HomePage.tsx';
import { AuthenticatedPortalPage } from '../layout/components/AuthenticatedPortalPage.tsx';

mount(
  <AppProvider>
    <AuthenticatedPortalPage active="home">{(me) => <HomePage me={me} />}</AuthenticatedPortalPage>
  </AppProvider>,
);
