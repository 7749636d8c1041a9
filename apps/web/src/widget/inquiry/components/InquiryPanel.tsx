import { FormPanel } from '../../ui/FormPanel.tsx';
import { InquiryForm } from './InquiryForm.tsx';
import { MyInquiries } from './MyInquiries.tsx';

/**
 * 留言 (3.5), in the side-panel area and loaded only when 留言 is pressed: the form (我要留言) and the taxpayer's own
 * messages with their status, reply and work-order progress (我的留言). Default export for React.lazy.
 */
export default function InquiryPanel({ id, taxpayerId }: { id: string; taxpayerId: string }) {
  return (
    <FormPanel
      id={id}
      title="留言"
      testId="inquiry"
      newLabel="我要留言"
      mineLabel="我的留言"
      renderNew={(showMine) => <InquiryForm taxpayerId={taxpayerId} onShowMine={showMine} />}
      renderMine={() => <MyInquiries />}
    />
  );
}
