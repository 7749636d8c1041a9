import { TAXPAYER_TYPE_LABELS, type TPortalMe } from '@zhengna/contracts';
import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { AccountTile } from './AccountTile.tsx';

const TILES = [
  { title: '发票查询统计', description: '查询、统计本单位开具和取得的发票' },
  { title: '发票归集', description: '归集取得的数电发票及纸质发票信息' },
  { title: '用途确认', description: '抵扣类勾选、不抵扣勾选与统计确认' },
  { title: '发票下载', description: '按条件批量下载发票版式文件' },
  { title: '红字信息确认单', description: '查询与处理红字发票确认信息' },
  { title: '税务事项通知', description: '查看税务机关送达的事项通知' },
];

/** 税务数字账户: the enterprise's profile and the account's function tiles. */
export function AccountPage({ me }: { me: TPortalMe }) {
  const profile = me.current;
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        税务数字账户
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          title={profile.name}
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'no', label: '纳税人识别号', children: profile.taxpayerNo },
            { key: 'type', label: '纳税人类型', children: TAXPAYER_TYPE_LABELS[profile.type] },
            { key: 'industry', label: '行业', children: profile.industry },
            { key: 'region', label: '所属地区', children: profile.region },
            { key: 'office', label: '主管税务机关', children: profile.taxOfficeName },
            { key: 'credit', label: '纳税信用级别', children: profile.creditGrade },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        {TILES.map((tile) => (
          <Col key={tile.title} xs={24} sm={12} lg={8}>
            <AccountTile {...tile} />
          </Col>
        ))}
      </Row>
    </>
  );
}
