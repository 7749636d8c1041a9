import { TAXPAYER_TYPE_LABELS, type TPortalMe } from '@zhengna/contracts';
import { Card, Col, List, Row, Typography } from 'antd';
import { PORTAL_PATHS } from '../../portal-paths.ts';

const NOTICES = [
  '关于进一步优化增值税发票开具服务的公告',
  '2026 年度个人所得税综合所得汇算清缴操作指引',
  '数电发票常见问题解答（第三期）',
  '小规模纳税人减免增值税政策执行口径',
];

export function HomePage({ me }: { me: TPortalMe }) {
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        您好，{me.current.name}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {TAXPAYER_TYPE_LABELS[me.current.type]} · 纳税人识别号 {me.current.taxpayerNo} · 主管税务机关{' '}
        {me.current.taxOfficeName}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title="常用功能">
            <Row gutter={[12, 12]}>
              <Col span={12}>
                <a href={PORTAL_PATHS.account}>
                  <Card hoverable size="small">
                    税务数字账户
                  </Card>
                </a>
              </Col>
              <Col span={12}>
                <a href={PORTAL_PATHS.invoice}>
                  <Card hoverable size="small">
                    开票业务
                  </Card>
                </a>
              </Col>
            </Row>
            <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
              办税遇到问题？点击页面右下角的“征纳互动”图标，智能助理和人工客服为您解答。
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title="通知公告">
            <List size="small" dataSource={NOTICES} renderItem={(item) => <List.Item>{item}</List.Item>} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
