import type { TableProps } from 'antd';
import { Table, Typography } from 'antd';
import type { ReactNode } from 'react';

/**
 * A titled table of figures; the title also names the table for screen readers. A chart of the same figures goes
 * between the title and the table: the chart is for the eye, the table for screen readers and exact numbers.
 */
export function FigureTable<T extends object>({
  heading,
  chart,
  ...table
}: { heading: string; chart?: ReactNode } & Omit<TableProps<T>, 'title'>) {
  return (
    <section style={{ marginBottom: 16 }}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {heading}
      </Typography.Title>
      {chart}
      <Table<T> size="small" pagination={false} aria-label={heading} {...table} />
    </section>
  );
}
