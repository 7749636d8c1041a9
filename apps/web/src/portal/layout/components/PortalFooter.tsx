import { Typography } from 'antd';

export function PortalFooter() {
  return (
    <footer style={{ background: '#2b2f36', color: 'rgba(255,255,255,.75)', padding: '24px 16px', marginTop: 40 }}>
      <div style={{ maxWidth: 1200, margin: '0 auto', textAlign: 'center', lineHeight: 2 }}>
        <Typography.Text style={{ color: 'inherit', display: 'block' }}>
          主办单位：国家税务总局山东省税务局　纳税服务热线：12366
        </Typography.Text>
        <Typography.Text style={{ color: 'inherit', display: 'block', fontSize: 12 }}>
          本网站为征纳互动演示环境，页面数据均为模拟数据。
        </Typography.Text>
      </div>
    </footer>
  );
}
