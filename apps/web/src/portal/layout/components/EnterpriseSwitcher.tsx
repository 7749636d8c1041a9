import type { TPortalMe } from '@zhengna/contracts';
import { App, Select } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { switchEnterprise } from '../../api/portal-api.ts';

/** For a person acting for several enterprises. Reloads the page so everything (the chat too) follows. */
export function EnterpriseSwitcher({ me }: { me: TPortalMe }) {
  const { message } = App.useApp();
  const [switching, setSwitching] = useState(false);

  const change = async (taxpayerId: string) => {
    if (taxpayerId === me.current.taxpayerId) return;
    setSwitching(true);
    try {
      await switchEnterprise(taxpayerId);
      location.reload();
    } catch (error) {
      setSwitching(false);
      void message.error(errorMessage(error, '切换企业失败，请稍后再试。'));
    }
  };

  return (
    <Select
      aria-label="切换企业"
      data-testid="enterprise-switcher"
      value={me.current.taxpayerId}
      loading={switching}
      disabled={switching}
      onChange={change}
      style={{ minWidth: 220, maxWidth: 320 }}
      options={me.enterprises.map((enterprise) => ({
        value: enterprise.taxpayerId,
        label: enterprise.name,
        title: `${enterprise.name}（${enterprise.taxpayerNo}）`,
      }))}
      popupMatchSelectWidth={false}
    />
  );
}
