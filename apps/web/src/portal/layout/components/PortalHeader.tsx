import type { TPortalMe } from '@zhengna/contracts';
import { Button, Flex, Space, Typography } from 'antd';
import '../portal.css';
import { BUREAU_NAME, PORTAL_PATHS, type PortalPageKey } from '../../portal-paths.ts';
import { EnterpriseSwitcher } from './EnterpriseSwitcher.tsx';

const NAV: { key: PortalPageKey; label: string }[] = [
  { key: 'home', label: '首页' },
  { key: 'account', label: '税务数字账户' },
  { key: 'invoice', label: '开票业务' },
];

interface PortalHeaderProps {
  me?: TPortalMe;
  active?: PortalPageKey;
  onLogout?: () => void;
}

/** Red government banner, then the blue navigation bar with the user area. */
export function PortalHeader({ me, active, onLogout }: PortalHeaderProps) {
  return (
    <header>
      <div style={{ background: 'linear-gradient(90deg, #b3121a, #d7261e)', color: '#fff' }}>
        <Flex align="center" gap={12} style={{ maxWidth: 1200, margin: '0 auto', padding: '14px 16px' }} wrap>
          <span
            aria-hidden="true"
            style={{
              width: 40,
              height: 40,
              borderRadius: '50%',
              background: '#f5c542',
              color: '#b3121a',
              fontWeight: 700,
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              fontSize: 20,
            }}
          >
            税
          </span>
          <Typography.Title level={1} style={{ color: '#fff', fontSize: 22, margin: 0, letterSpacing: 1 }}>
            {BUREAU_NAME}
          </Typography.Title>
          <Typography.Text style={{ color: 'rgba(255,255,255,.85)', marginLeft: 'auto' }}>演示系统</Typography.Text>
        </Flex>
      </div>
      {me && (
        <nav aria-label="主导航" className="zn-portal-nav" style={{ background: '#1456c7' }}>
          <Flex
            align="center"
            gap={8}
            wrap
            style={{ maxWidth: 1200, margin: '0 auto', padding: '0 16px', minHeight: 48 }}
          >
            {NAV.map((item) => (
              <a
                key={item.key}
                href={PORTAL_PATHS[item.key]}
                aria-current={active === item.key ? 'page' : undefined}
                style={{
                  color: '#fff',
                  padding: '12px 16px',
                  textDecoration: 'none',
                  fontWeight: active === item.key ? 700 : 400,
                  background: active === item.key ? 'rgba(255,255,255,.18)' : undefined,
                }}
              >
                {item.label}
              </a>
            ))}
            <Space style={{ marginLeft: 'auto', color: '#fff', padding: '6px 0' }} wrap>
              {me.enterprises.length > 1 ? (
                <EnterpriseSwitcher me={me} />
              ) : (
                <span data-testid="portal-enterprise-name">{me.current.name}</span>
              )}
              <span>
                {me.personName}（{me.phone}）
              </span>
              <Button size="small" onClick={onLogout} data-testid="portal-logout">
                退出
              </Button>
            </Space>
          </Flex>
        </nav>
      )}
    </header>
  );
}
