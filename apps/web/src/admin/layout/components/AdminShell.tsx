import { STAFF_ROLE_LABELS, type TStaffMe } from '@zhengna/contracts';
import { Button, Flex, Layout, Menu, Result, Typography } from 'antd';
import { useState } from 'react';
import { ADMIN_SECTIONS, type AdminSectionKey } from '../admin-sections.ts';

interface AdminShellProps {
  me: TStaffMe;
  onLogout: () => void;
}

/** 征纳互动管理端: side menu and, for now, placeholders. */
export function AdminShell({ me, onLogout }: AdminShellProps) {
  const [section, setSection] = useState<AdminSectionKey>('knowledge');
  const current = ADMIN_SECTIONS.find((s) => s.key === section) ?? ADMIN_SECTIONS[0];
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
              selectedKeys={[section]}
              onClick={({ key }) => setSection(key as AdminSectionKey)}
              items={ADMIN_SECTIONS.map((s) => ({ key: s.key, label: s.label }))}
              style={{ height: '100%' }}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
            {current.label}
          </Typography.Title>
          <Result status="info" title="建设中" subTitle={`${current.label}功能正在建设中，敬请期待。`} />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
