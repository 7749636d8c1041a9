import { AppProvider } from '../../shared/i18n/AppProvider.tsx';
import { mount } from '../../shared/ui/mount.tsx';
import { InvoicePage } from '../invoice/components/InvoicePage.tsx';
import { AuthenticatedPortalPage } from '../layout/components/AuthenticatedPortalPage.tsx';

mount(
  <AppProvider>
    <AuthenticatedPortalPage active="invoice">{(me) => <InvoicePage me={me} />}</AuthenticatedPortalPage>
  </AppProvider>,
);
