import type { TPortalMe } from '@zhengna/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Divider,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { amountInWords } from '../utils/amount-in-words.ts';

interface InvoiceLine {
  name?: string;
  spec?: string;
  unit?: string;
  quantity?: number;
  price?: number;
  taxRate?: number;
}

interface InvoiceValues {
  invoiceType: string;
  buyerName: string;
  buyerTaxpayerNo: string;
  buyerAddress?: string;
  buyerBank?: string;
  lines: InvoiceLine[];
  remark?: string;
}

const TAX_RATES = [0.13, 0.09, 0.06, 0.05, 0.03, 0.01, 0];
const DEMO_NOTICE = '演示页面，不会真实开票';

function lineAmount(line: InvoiceLine | undefined): number {
  return round2((line?.quantity ?? 0) * (line?.price ?? 0));
}
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
const yuan = (value: number) => `¥${value.toFixed(2)}`;

/** 开票业务: a mock-up of the 蓝字发票开具 form (数电发票). Nothing is submitted. */
export function InvoicePage({ me }: { me: TPortalMe }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<InvoiceValues>();
  const lines = Form.useWatch('lines', form) ?? [];
  const amount = round2(lines.reduce((sum, line) => sum + lineAmount(line), 0));
  const tax = round2(lines.reduce((sum, line) => sum + lineAmount(line) * (line?.taxRate ?? 0), 0));
  const total = round2(amount + tax);

  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        蓝字发票开具
      </Typography.Title>
      <Alert type="info" showIcon title={`${DEMO_NOTICE}。`} style={{ marginBottom: 16 }} />
      <Form<InvoiceValues>
        form={form}
        layout="vertical"
        aria-label="蓝字发票开具"
        initialValues={{ invoiceType: 'special', lines: [{ quantity: 1, taxRate: 0.13 }] }}
        onFinish={() => void message.info(DEMO_NOTICE)}
        scrollToFirstError
      >
        <Card title="发票信息" size="small" style={{ marginBottom: 16 }}>
          <Form.Item label="票种" name="invoiceType" style={{ maxWidth: 360 }}>
            <Select
              options={[
                { value: 'special', label: '数电发票（增值税专用发票）' },
                { value: 'normal', label: '数电发票（普通发票）' },
              ]}
            />
          </Form.Item>
        </Card>

        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card title="购买方信息" size="small" style={{ marginBottom: 16 }}>
              <Form.Item label="名称" name="buyerName" rules={[{ required: true, message: '请输入购买方名称' }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item
                label="统一社会信用代码/纳税人识别号"
                name="buyerTaxpayerNo"
                rules={[
                  { required: true, message: '请输入购买方统一社会信用代码/纳税人识别号' },
                  { pattern: /^[0-9A-Za-z]{15,20}$/, message: '请输入 15 至 20 位的统一社会信用代码或纳税人识别号' },
                ]}
              >
                <Input maxLength={20} />
              </Form.Item>
              <Form.Item label="地址、电话" name="buyerAddress">
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item label="开户行及账号" name="buyerBank">
                <Input maxLength={200} />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title="销售方信息" size="small" style={{ marginBottom: 16 }}>
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: 'name', label: '名称', children: me.current.name },
                  { key: 'no', label: '统一社会信用代码/纳税人识别号', children: me.current.taxpayerNo },
                  { key: 'office', label: '主管税务机关', children: me.current.taxOfficeName },
                ]}
              />
            </Card>
          </Col>
        </Row>

        <Card title="开票信息" size="small" style={{ marginBottom: 16 }}>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => {
                  const line = lines[field.name];
                  const lineTax = round2(lineAmount(line) * (line?.taxRate ?? 0));
                  return (
                    <fieldset
                      key={field.key}
                      aria-label={`第 ${index + 1} 行项目`}
                      style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}
                    >
                      <Row gutter={8} align="bottom">
                        <Col xs={24} md={6}>
                          <Form.Item
                            label="项目名称"
                            name={[field.name, 'name']}
                            rules={[{ required: true, message: '请输入项目名称' }]}
                          >
                            <Input placeholder="如：*信息技术服务*软件开发" maxLength={100} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={3}>
                          <Form.Item label="规格型号" name={[field.name, 'spec']}>
                            <Input maxLength={40} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={2}>
                          <Form.Item label="单位" name={[field.name, 'unit']}>
                            <Input maxLength={10} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={3}>
                          <Form.Item
                            label="数量"
                            name={[field.name, 'quantity']}
                            rules={[{ required: true, message: '请输入数量' }]}
                          >
                            <InputNumber min={0} style={{ width: '100%' }} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={3}>
                          <Form.Item
                            label="单价（不含税）"
                            name={[field.name, 'price']}
                            rules={[{ required: true, message: '请输入单价' }]}
                          >
                            <InputNumber min={0} precision={2} style={{ width: '100%' }} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={3}>
                          <Form.Item label="税率/征收率" name={[field.name, 'taxRate']}>
                            <Select
                              options={TAX_RATES.map((rate) => ({
                                value: rate,
                                label: rate === 0 ? '免税' : `${Math.round(rate * 100)}%`,
                              }))}
                            />
                          </Form.Item>
                        </Col>
                        <Col xs={12} md={4}>
                          <Form.Item label="金额 / 税额">
                            <Typography.Text>
                              {yuan(lineAmount(line))} / {yuan(lineTax)}
                            </Typography.Text>
                          </Form.Item>
                        </Col>
                      </Row>
                      {fields.length > 1 && (
                        <Button
                          type="link"
                          danger
                          onClick={() => remove(field.name)}
                          aria-label={`删除第 ${index + 1} 行`}
                        >
                          删除本行
                        </Button>
                      )}
                      <Divider style={{ margin: '8px 0 16px' }} />
                    </fieldset>
                  );
                })}
                <Button onClick={() => add({ quantity: 1, taxRate: 0.13 })}>增加一行</Button>
              </>
            )}
          </Form.List>
          <Descriptions
            style={{ marginTop: 16 }}
            column={{ xs: 1, md: 3 }}
            size="small"
            bordered
            items={[
              { key: 'amount', label: '合计金额', children: yuan(amount) },
              { key: 'tax', label: '合计税额', children: yuan(tax) },
              { key: 'total', label: '价税合计（小写）', children: yuan(total) },
              { key: 'words', label: '价税合计（大写）', span: 'filled', children: amountInWords(total) },
            ]}
          />
        </Card>

        <Card title="备注" size="small" style={{ marginBottom: 16 }}>
          <Form.Item name="remark" noStyle>
            <Input.TextArea rows={3} maxLength={200} aria-label="备注" />
          </Form.Item>
        </Card>

        <Space>
          <Button type="primary" htmlType="submit">
            发票开具
          </Button>
          <Button onClick={() => form.resetFields()}>重置</Button>
        </Space>
      </Form>
    </>
  );
}
