/**
 * @module errors
 * One list of error codes for the whole product. The server maps a code to an HTTP status and a socket error;
 * the Chinese text is what a person sees, so it says what happened and what to do.
 */
import { z } from 'zod';

export const ERRORS = {
  BAD_REQUEST: { status: 400, message: '请求格式不正确，请检查后重试。' },
  VALIDATION_FAILED: { status: 400, message: '提交的内容不符合要求。' },
  MESSAGE_TOO_LONG: { status: 400, message: '消息不能超过 5000 字，请分段发送。' },
  MESSAGE_EMPTY: { status: 400, message: '不能发送空白消息。' },
  UNAUTHENTICATED: { status: 401, message: '登录已失效，请重新登录。' },
  INVALID_CREDENTIALS: { status: 401, message: '账号或密码不正确。' },
  ACCOUNT_LOCKED: { status: 423, message: '密码连续输入错误次数过多，账号已临时锁定，请 15 分钟后再试。' },
  SSO_TOKEN_INVALID: { status: 401, message: '身份凭证无效，请从电子税务局页面重新打开征纳互动。' },
  SSO_TOKEN_EXPIRED: { status: 401, message: '身份凭证已过期，请从电子税务局页面重新打开征纳互动。' },
  SSO_TOKEN_REPLAYED: { status: 401, message: '身份凭证已被使用，请从电子税务局页面重新打开征纳互动。' },
  PASSWORD_EXPIRED: { status: 403, message: '密码已过期，请先修改密码后再继续使用。' },
  TOTP_REQUIRED: { status: 403, message: '管理员须先启用双因素认证（动态验证码），请完成绑定后再继续使用。' },
  TOTP_INVALID: { status: 401, message: '动态验证码不正确或已使用，请等待验证器显示新的验证码后重试。' },
  TOTP_CHALLENGE_INVALID: { status: 401, message: '验证已超时或无效，请重新输入用户名和密码登录。' },
  FORBIDDEN: { status: 403, message: '您没有权限进行此操作。' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: '来源不受信任，连接已拒绝。' },
  NOT_FOUND: { status: 404, message: '要找的内容不存在或已被删除。' },
  CONVERSATION_CLOSED: { status: 409, message: '该会话已结束，请发起新的会话。' },
  VERSION_CONFLICT: { status: 409, message: '该设置已被他人修改，请刷新后再修改。' },
  SLOT_FULL: { status: 409, message: '该时段已约满，请选择其他时段。' },
  ALREADY_BOOKED: { status: 409, message: '您已预约该时段，无需重复预约。' },
  CALL_BUSY: { status: 409, message: '当前会话已有进行中的通话或协助，请先结束后再发起。' },
  CALL_STATE_CHANGED: { status: 409, message: '通话状态已变化（可能已被接听、拒绝或结束），请以最新状态为准。' },
  CALL_NOT_LIVE: { status: 409, message: '只有正在为您服务的坐席和您本人可以进行通话或远程协助。' },
  SPEECH_DISABLED: {
    status: 503,
    message: '本站暂未开通语音输入，请直接输入文字，或点击“转人工”联系人工客服。',
  },
  SPEECH_BUSY: { status: 503, message: '语音识别繁忙，请稍后再试，或直接输入文字。' },
  SPEECH_IN_PROGRESS: { status: 409, message: '已有一段语音正在识别，请先结束后再开始新的语音输入。' },
  SPEECH_TOO_LONG: { status: 413, message: '单次语音输入最长 60 秒，请分段说。' },
  SPEECH_BAD_AUDIO: { status: 400, message: '语音数据格式不正确，请刷新页面后重试。' },
  FILE_TOO_LARGE: { status: 413, message: '文件过大，单个文件不能超过 10 MB。' },
  FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    message: '不支持该文件类型，仅支持图片（JPG、PNG、GIF、WebP）、PDF 和 Office 文档。',
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大。' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试。' },
  UNKNOWN_EVENT: { status: 400, message: '不支持的操作。' },
  PROTOCOL_MISMATCH: { status: 400, message: '客户端版本过旧，请刷新页面。' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂时不可用，请稍后再试。' },
  INTERNAL: { status: 500, message: '系统繁忙，请稍后再试。' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ZErrorCode = z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]);

/** The body of every failed HTTP response and the `error` of every failed socket ack. */
export const ZErrorBody = z.object({
  code: ZErrorCode,
  message: z.string(),
  /** Per-field problems, Chinese text, keyed by the field's path ("body", "phone"). */
  fields: z.record(z.string(), z.string()).optional(),
});
export type TErrorBody = z.infer<typeof ZErrorBody>;
