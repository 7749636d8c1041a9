import { Alert, App, Button, Descriptions, Flex, Modal, Typography } from 'antd';
import type { TStaffAccount } from '../api/accounts-api.ts';

export interface TemporaryPassword {
  /** 账号已创建 or 密码已重置. */
  title: string;
  account: TStaffAccount;
  password: string;
}

interface TemporaryPasswordDialogProps {
  /** What to show; null: closed. The password exists only here: closing the dialog forgets it. */
  shown: TemporaryPassword | null;
  onClose: () => void;
}

/** The temporary password of a new or reset account, shown this once, with 复制. */
export function TemporaryPasswordDialog({ shown, onClose }: TemporaryPasswordDialogProps) {
  const { message } = App.useApp();

  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.password);
      message.success('临时密码已复制');
    } catch {
      message.warning('无法访问剪贴板，请选中密码后手动复制。');
    }
  };

  return (
    <Modal
      open={shown !== null}
      title={shown?.title ?? '临时密码'}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose} data-testid="temporary-password-done">
          我已记下，关闭
        </Button>
      }
      maskClosable={false}
      destroyOnHidden
      data-testid="temporary-password-dialog"
    >
      {shown && (
        <Flex vertical gap={12}>
          <Alert
            type="warning"
            showIcon
            title="临时密码只显示这一次，关闭后无法再次查看。请通过安全的渠道告知本人；首次登录时须修改密码。"
          />
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'name', label: '姓名', children: shown.account.name },
              { key: 'username', label: '用户名', children: shown.account.username },
            ]}
          />
          <Flex align="center" gap={8}>
            <Typography.Text id="temporary-password-label">临时密码：</Typography.Text>
            <Typography.Text
              code
              strong
              style={{ fontSize: 18, userSelect: 'all' }}
              aria-labelledby="temporary-password-label"
              data-testid="temporary-password"
            >
              {shown.password}
            </Typography.Text>
            <Button onClick={() => void copy()} data-testid="temporary-password-copy">
              复制
            </Button>
          </Flex>
        </Flex>
      )}
    </Modal>
  );
}
