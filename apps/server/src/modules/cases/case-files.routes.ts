/** HTTP for the files of 留言 and 工单: the taxpayer's upload, and downloads for whoever may see the case. */
import { ZCaseIdParam } from '@zhengna/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import { AppError } from '../../platform/app-error.ts';
import { isInlineImage, MAX_FILE_BYTES } from '../conversation/attachment-rules.ts';
import type { CaseFileRow } from './case-files.repo.ts';
import type { CaseFilesService } from './case-files.service.ts';

export function caseFilesRoutes(app: FastifyInstance, deps: { caseFiles: CaseFilesService }) {
  const { caseFiles } = deps;

  app.post(
    '/api/chat/inquiries/files',
    { config: { guard: 'taxpayer', rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (req) => {
      const part = await req.file({ limits: { fileSize: MAX_FILE_BYTES, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件。');
      const data = await part.toBuffer();
      if (part.file.truncated) throw new AppError('FILE_TOO_LARGE');
      return caseFiles.upload(actorOf(req, 'taxpayer'), { data, fileName: part.filename });
    },
  );

  // same headers as chat attachments: never sniffed, never run, downloaded unless an image
  const send = async (reply: FastifyReply, row: CaseFileRow) =>
    reply
      .header('Content-Type', row.mime)
      .header('Content-Length', row.size)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, max-age=3600')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header(
        'Content-Disposition',
        `${isInlineImage(row.mime) ? 'inline' : 'attachment'}; filename="file"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
      )
      .send(await caseFiles.open(row));

  app.get('/api/chat/case-files/:id', { config: { guard: 'taxpayer' } }, async (req, reply) =>
    send(reply, await caseFiles.forTaxpayer(actorOf(req, 'taxpayer'), parse(ZCaseIdParam, req.params).id)),
  );
  app.get('/api/workspace/case-files/:id', { config: { guard: 'agent' } }, async (req, reply) =>
    send(reply, await caseFiles.forStaff(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id)),
  );
}
