import { STAFF_ROLE_LABELS, type TStaffMe } from '@zhengna/contracts';
import { Breadcrumb, Button, Flex, Layout, Menu, type MenuProps, Result, Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { AccountSecurityPage } from '../../account/components/AccountSecurityPage.tsx';
import { AnalyticsPage } from '../../analytics/components/AnalyticsPage.tsx';
import { AppointmentServicesPage } from '../../appointments/components/AppointmentServicesPage.tsx';
import { AppointmentSettingsPage } from '../../appointments/components/AppointmentSettingsPage.tsx';
import { AuditLogPage } from '../../audit/components/AuditLogPage.tsx';
import { CaseSettingsPage } from '../../cases/components/CaseSettingsPage.tsx';
import { SmsOutboxPage } from '../../cases/components/SmsOutboxPage.tsx';
import { EntriesPage } from '../../knowledge/components/EntriesPage.tsx';
import { ImportExportPage } from '../../knowledge/components/ImportExportPage.tsx';
import { SynonymsPage } from '../../knowledge/components/SynonymsPage.tsx';
import { TestConsolePage } from '../../knowledge/components/TestConsolePage.tsx';
import { TopicsPage } from '../../knowledge/components/TopicsPage.tsx';
import { UnansweredPage } from '../../knowledge/components/UnansweredPage.tsx';
import { AgentsPage } from '../../organization/components/AgentsPage.tsx';
import { SkillGroupsPage } from '../../organization/components/SkillGroupsPage.tsx';
import { StaffAccountsPage } from '../../organization/components/StaffAccountsPage.tsx';
import { TaxOfficesPage } from '../../organization/components/TaxOfficesPage.tsx';
import { PushPage } from '../../push/components/PushPage.tsx';
import { HandoffRulesPage } from '../../settings/components/HandoffRulesPage.tsx';
import { SecurityPolicyPage } from '../../settings/components/SecurityPolicyPage.tsx';
import { ServiceHoursPage } from '../../settings/components/ServiceHoursPage.tsx';
import { ShortcutCatalogPage } from '../../settings/components/ShortcutCatalogPage.tsx';
import {
  ADMIN_SECTIONS,
  canEditGroups,
  canEditKnowledge,
  canEditOrganization,
  canEditSettings,
  DEFAULT_PAGE_KEY,
  pagesFor,
  resolvePage,
} from '../admin-sections.ts';
import { useAdminRoute } from '../use-admin-route.ts';

interface AdminShellProps {
  me: TStaffMe;
  onLogout: () => void;
  onSessionExpired: () => void;
}

/** 征纳互动管理端: side menu (sections and their pages) and the open page. */
export function AdminShell({ me, onLogout, onSessionExpired }: AdminShellProps) {
  const [key, navigate] = useAdminRoute(DEFAULT_PAGE_KEY);
  const current = resolvePage(key, me.role);

  const menuItems = useMemo<MenuProps['items']>(() => {
    const allowed = new Set(pagesFor(me.role).map((p) => p.page.key));
    return ADMIN_SECTIONS.flatMap((section) => {
      if (!section.pages) return allowed.has(section.key) ? [{ key: section.key, label: section.label }] : [];
      const children = section.pages.filter((p) => allowed.has(p.key)).map((p) => ({ key: p.key, label: p.label }));
      return children.length > 0 ? [{ key: section.key, label: section.label, children }] : [];
    });
  }, [me.role]);

  const pages: Record<string, ReactNode> = {
    'knowledge/entries': <EntriesPage canEdit={canEditKnowledge(me.role)} onSessionExpired={onSessionExpired} />,
    'knowledge/topics': <TopicsPage canEdit={canEditKnowledge(me.role)} onSessionExpired={onSessionExpired} />,
    'knowledge/synonyms': <SynonymsPage canEdit={canEditKnowledge(me.role)} onSessionExpired={onSessionExpired} />,
    'knowledge/test': <TestConsolePage onSessionExpired={onSessionExpired} />,
    'knowledge/unanswered': <UnansweredPage canEdit={canEditKnowledge(me.role)} onSessionExpired={onSessionExpired} />,
    'knowledge/transfer': <ImportExportPage canEdit={canEditKnowledge(me.role)} onSessionExpired={onSessionExpired} />,
    'settings/handoff': <HandoffRulesPage canEdit={canEditSettings(me.role)} onSessionExpired={onSessionExpired} />,
    'settings/hours': <ServiceHoursPage canEdit={canEditSettings(me.role)} onSessionExpired={onSessionExpired} />,
    'settings/shortcuts': <ShortcutCatalogPage onSessionExpired={onSessionExpired} />,
    'settings/cases': <CaseSettingsPage canEdit={canEditSettings(me.role)} onSessionExpired={onSessionExpired} />,
    'appointments/services': (
      <AppointmentServicesPage canEdit={canEditSettings(me.role)} onSessionExpired={onSessionExpired} />
    ),
    'appointments/settings': (
      <AppointmentSettingsPage canEdit={canEditSettings(me.role)} onSessionExpired={onSessionExpired} />
    ),
    'sms/outbox': <SmsOutboxPage onSessionExpired={onSessionExpired} />,
    'organization/groups': <SkillGroupsPage canEdit={canEditGroups(me.role)} onSessionExpired={onSessionExpired} />,
    'organization/agents': <AgentsPage canForceLogout={me.role === 'admin'} onSessionExpired={onSessionExpired} />,
    'organization/staff': (
      <StaffAccountsPage
        canEdit={canEditOrganization(me.role)}
        myStaffId={me.staffId}
        onSessionExpired={onSessionExpired}
      />
    ),
    'organization/offices': (
      <TaxOfficesPage canEdit={canEditOrganization(me.role)} onSessionExpired={onSessionExpired} />
    ),
    'organization/security': (
      <SecurityPolicyPage canEdit={canEditSettings(me.role)} onSessionExpired={onSessionExpired} />
    ),
    'push/campaigns': <PushPage onSessionExpired={onSessionExpired} />,
    analytics: <AnalyticsPage onSessionExpired={onSessionExpired} />,
    audit: <AuditLogPage onSessionExpired={onSessionExpired} />,
    account: <AccountSecurityPage onSessionExpired={onSessionExpired} />,
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ background: '#1456c7', paddingInline: 16 }}>
        <Flex align="center" gap={12} style={{ height: '100%' }}>
          <Typography.Title level={1} style={{ color: '#fff', fontSize: 18, margin: 0 }}>
            征纳互动管理端
          </Typography.Title>
          <Typography.Text style={{ color: '#fff', marginLeft: 'auto' }}>
            {me.name}（{STAFF_ROLE_LABELS[me.role]}）
          </Typography.Text>
          <Button size="small" onClick={onLogout} data-testid="admin-logout">
            退出登录
          </Button>
        </Flex>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" breakpoint="md" collapsedWidth={0}>
          <nav aria-label="管理端菜单">
            <Menu
              mode="inline"
              selectedKeys={current ? [current.page.key] : []}
              defaultOpenKeys={current ? [current.section.key] : []}
              onClick={({ key: next }) => navigate(next)}
              items={menuItems}
              style={{ height: '100%' }}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          {current ? (
            <main>
              {current.section.pages && (
                <Breadcrumb items={[{ title: current.section.label }, { title: current.page.label }]} />
              )}
              <Typography.Title level={2} style={{ fontSize: 20, margin: '8px 0 16px' }}>
                {current.page.label}
              </Typography.Title>
              {pages[current.page.key] ?? (
                <Result status="info" title="建设中" subTitle={`${current.page.label}功能正在建设中，敬请期待。`} />
              )}
            </main>
          ) : (
            <Result status="403" title="您没有可用的管理功能" />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
