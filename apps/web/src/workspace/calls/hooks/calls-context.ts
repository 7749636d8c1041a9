/** The workspace's one call controller and its live calls, for every component that shows or starts a call. */
import type { TCall } from '@zhengna/contracts';
import { createContext, useContext } from 'react';
import type { CallController } from '../../../shared/rtc/call-controller.ts';

export type CallsContextValue = {
  /** Null until the realtime client exists. */
  controller: CallController | null;
  /** The agent's calls that are not over, in any conversation. */
  live: readonly TCall[];
};

export const CallsContext = createContext<CallsContextValue>({ controller: null, live: [] });

export function useCalls(): CallsContextValue {
  return useContext(CallsContext);
}
