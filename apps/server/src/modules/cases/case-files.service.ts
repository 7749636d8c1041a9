/**
 * Files of 留言 and 工单, with the chat's upload rules (type by magic bytes, 10 MB, images re-encoded). A taxpayer
 * uploads first and binds on submit; an unbound file is its uploader's alone, a bound one its case's.
 */
import type { TCaseFile } from '@zhengna/contracts';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import type { FileStore } from '../../platform/files.ts';
import { cleanFileName, detectAllowedType, reencodeImage } from '../conversation/attachment-rules.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import { type CaseFileRow, caseFilesRepo, toCaseFile } from './case-files.repo.ts';
import { casesPolicy } from './cases.policy.ts';
import { casesRepo } from './cases.repo.ts';

const NOT_FOUND = () => new AppError('NOT_FOUND', '文件不存在。');

export function createCaseFilesService(deps: { db: Db; files: FileStore }) {
  const { db, files } = deps;
  return {
    async upload(actor: TaxpayerActor, file: { data: Buffer; fileName: string }): Promise<TCaseFile> {
      const { mime, ext } = await detectAllowedType(file.data);
      const data = mime.startsWith('image/') ? await reencodeImage(file.data, mime) : file.data;
      const storageKey = await files.put(data);
      const row = await caseFilesRepo.insert(db, {
        taxpayerId: actor.taxpayerId,
        uploaderType: 'taxpayer',
        uploaderId: actor.portalUserId,
        storageKey,
        fileName: cleanFileName(file.fileName, ext),
        mime,
        size: data.length,
      });
      return toCaseFile(row);
    },

    /** The taxpayer's own: one they uploaded and have not bound yet, or one of their enterprise's cases. */
    async forTaxpayer(actor: TaxpayerActor, id: string): Promise<CaseFileRow> {
      const found = await caseFilesRepo.withCases(db, id);
      if (!found) throw NOT_FOUND();
      const { file, inquiry, workOrder, appointment } = found;
      const unboundOwn =
        !file.inquiryId &&
        !file.workOrderId &&
        !file.appointmentId &&
        file.uploaderType === 'taxpayer' &&
        file.uploaderId === actor.portalUserId &&
        file.taxpayerId === actor.taxpayerId;
      const ofOwnCase =
        (inquiry && casesPolicy.taxpayerOwns(actor, inquiry)) ||
        (workOrder && casesPolicy.taxpayerOwns(actor, workOrder)) ||
        (appointment && casesPolicy.taxpayerOwns(actor, appointment));
      if (!unboundOwn && !ofOwnCase) throw NOT_FOUND();
      return file;
    },

    /** Staff: a file of a case they may act on. */
    async forStaff(actor: StaffActor, id: string): Promise<CaseFileRow> {
      const found = await caseFilesRepo.withCases(db, id);
      if (!found || (!found.inquiry && !found.workOrder && !found.appointment)) throw NOT_FOUND();
      const scope = await casesRepo.staffScope(db, actor);
      const ok =
        (found.inquiry && casesPolicy.staffMayAct(scope, found.inquiry)) ||
        (found.workOrder && casesPolicy.staffMayAct(scope, found.workOrder)) ||
        (found.appointment && casesPolicy.staffMayAct(scope, found.appointment));
      if (!ok) throw NOT_FOUND();
      return found.file;
    },

    open: (row: CaseFileRow) => files.get(row.storageKey),
  };
}

export type CaseFilesService = ReturnType<typeof createCaseFilesService>;
