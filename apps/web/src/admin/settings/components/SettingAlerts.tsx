import { Alert, Button } from 'antd';

interface SettingAlertsProps {
  loadError: string | null;
  saveError: string | null;
  conflict: string | null;
  canEdit: boolean;
  onReload: () => void;
}

/** Read-only notice, failures, and the version conflict with its 重新加载 (which drops the unsaved changes). */
export function SettingAlerts({ loadError, saveError, conflict, canEdit, onReload }: SettingAlertsProps) {
  return (
    <>
      {!canEdit && (
        <Alert
          type="info"
          showIcon
          title="您可以查看这些设置；修改须由系统管理员进行。"
          data-testid="settings-readonly"
        />
      )}
      {loadError && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={loadError}
          action={<Button onClick={onReload}>重试</Button>}
          data-testid="settings-load-error"
        />
      )}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={conflict}
          description="重新加载会放弃您尚未保存的修改，显示他人保存后的设置。"
          action={
            <Button onClick={onReload} data-testid="settings-reload">
              重新加载
            </Button>
          }
          data-testid="settings-conflict"
        />
      )}
      {saveError && <Alert type="error" showIcon role="alert" title={saveError} data-testid="settings-save-error" />}
    </>
  );
}
