import { AppProvider } from '../../shared/i18n/AppProvider.tsx';
import { mount } from '../../shared/ui/mount.tsx';
import { AccountPage } from '../account/components/AccountPage.tsx';
import { AuthenticatedPortalPage } from '../layout/components/AuthenticatedPortalPage.tsx';

mount(
  <AppProvider>
    <AuthenticatedPortalPage active="account">{(me) => <AccountPage me={me} />}</AuthenticatedPortalPage>
  </AppProvider>,
);
