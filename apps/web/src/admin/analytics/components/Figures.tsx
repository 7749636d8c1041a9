import { Card, Col, Row, Statistic } from 'antd';
import type { ReactNode } from 'react';

/** A section's headline figures as cards. */
export function Figures({ items }: { items: { title: string; value: ReactNode }[] }) {
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
      {items.map((x) => (
        <Col key={x.title} xs={12} sm={8} lg={6} xl={4}>
          <Card size="small">
            <Statistic title={x.title} value={x.value as string | number} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
