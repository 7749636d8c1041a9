/**
 * Composition root: config → platform → modules → HTTP + realtime. `startApp` is what main.ts, the integration tests
 * and the benchmarks run, so all of them exercise the same wiring.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyError, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { seedDemo } from './db/seed.ts';
import { installGuards, type RouteGuardEntry } from './http/guard.ts';
import { webRoutes } from './http/web.routes.ts';
import { analyticsRoutes } from './modules/analytics/analytics.routes.ts';
import { createAnalyticsService } from './modules/analytics/analytics.service.ts';
import { rollupAnalytics } from './modules/analytics/analytics-rollup.ts';
import { appointmentRoutes } from './modules/appointment/appointment.routes.ts';
import { createAppointmentService } from './modules/appointment/appointment.service.ts';
import { createAppointmentAdminService } from './modules/appointment/appointment-admin.service.ts';
import { createAppointmentStaffService } from './modules/appointment/appointment-staff.service.ts';
import { assistantRoutes } from './modules/assistant/assistant.routes.ts';
import { createAssistantService } from './modules/assistant/assistant.service.ts';
import { installAuditCapture } from './modules/audit/audit.capture.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { callsRoutes } from './modules/calls/calls.routes.ts';
import { createCallsService } from './modules/calls/calls.service.ts';
import { cannedRepliesRoutes } from './modules/canned-replies/canned-replies.routes.ts';
import { createCannedRepliesService } from './modules/canned-replies/canned-replies.service.ts';
import { caseFilesRoutes } from './modules/cases/case-files.routes.ts';
import { createCaseFilesService } from './modules/cases/case-files.service.ts';
import { createCaseNotifier } from './modules/cases/case-notify.ts';
import { createCaseDeadlines } from './modules/cases/deadlines.ts';
import { conversationRoutes } from './modules/conversation/conversation.routes.ts';
import { createConversationService } from './modules/conversation/conversation.service.ts';
import { favoritesRoutes } from './modules/favorites/favorites.routes.ts';
import { createFavoritesService } from './modules/favorites/favorites.service.ts';
import { handoffRoutes } from './modules/handoff/handoff.routes.ts';
import { createHandoffService } from './modules/handoff/handoff.service.ts';
import { skillGroupsRoutes } from './modules/handoff/skill-groups.routes.ts';
import { createSkillGroupsService } from './modules/handoff/skill-groups.service.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import { createIdentityService } from './modules/identity/identity.service.ts';
import { loadSecrets } from './modules/identity/secrets.ts';
import { inboxRoutes } from './modules/inbox/inbox.routes.ts';
import { createInboxService } from './modules/inbox/inbox.service.ts';
import { inquiryRoutes } from './modules/inquiry/inquiry.routes.ts';
import { createInquiryService } from './modules/inquiry/inquiry.service.ts';
import { knowledgeRoutes } from './modules/knowledge/knowledge.routes.ts';
import { createKnowledgeService, seedKnowledge } from './modules/knowledge/knowledge.service.ts';
import { createKnowledgeCuration } from './modules/knowledge/knowledge-curation.service.ts';
import { createKnowledgeEntries } from './modules/knowledge/knowledge-entries.service.ts';
import { KnowledgeIndex } from './modules/knowledge/knowledge-index.ts';
import { opsRoutes } from './modules/ops/ops.routes.ts';
import { organizationRoutes } from './modules/organization/organization.routes.ts';
import { createOrganizationService } from './modules/organization/organization.service.ts';
import { pushRoutes } from './modules/push/push.routes.ts';
import { createPushService } from './modules/push/push.service.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { createSettingsService } from './modules/settings/settings.service.ts';
import { shortcutsRoutes } from './modules/shortcuts/shortcuts.routes.ts';
import { createShortcutsService, seedShortcuts } from './modules/shortcuts/shortcuts.service.ts';
import { smsRoutes } from './modules/sms/sms.routes.ts';
import { createSmsService } from './modules/sms/sms.service.ts';
import { createSpeechRecognizer } from './modules/speech/drivers/index.ts';
import { createSpeechService } from './modules/speech/speech.service.ts';
import { workOrderRoutes } from './modules/work-order/work-order.routes.ts';
import { createWorkOrderService } from './modules/work-order/work-order.service.ts';
import { AppError, rootCause, toAppError } from './platform/app-error.ts';
import { EventBus } from './platform/bus.ts';
import { createClusterBus } from './platform/cluster-bus.ts';
import { openDatabase } from './platform/db.ts';
import { FileNotFoundError, openFileStore } from './platform/files.ts';
import { startJobs } from './platform/jobs.ts';
import { createLogger } from './platform/logger.ts';
import { createMetrics } from './platform/metrics.ts';
import { createAliyunSmsSender, createOutboxSmsSender } from './platform/sms.ts';
import { startRealtime } from './realtime/gateway.ts';
import { relayInboxBatches } from './realtime/inbox-batches.ts';

export type StartOptions = { logger?: Logger; jobs?: boolean };

export async function startApp(config: Config, options: StartOptions = {}) {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, nodeId: config.NODE_ID });
  const metrics = createMetrics(config.NODE_ID);
  const bus = new EventBus((err, event) => logger.error({ err, event }, 'event handler failed'));

  // files first: an unreachable object store or an unwritable folder stops the start with what to fix
  const files = await openFileStore(
    config.FILE_STORE === 's3'
      ? {
          driver: 's3',
          endpoint: config.S3_ENDPOINT ?? '',
          region: config.S3_REGION,
          bucket: config.S3_BUCKET ?? '',
          accessKeyId: config.S3_ACCESS_KEY_ID,
          secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          forcePathStyle: config.S3_FORCE_PATH_STYLE,
        }
      : {
          driver: 'disk',
          dir: config.FILES_DIR
            ? path.resolve(config.FILES_DIR)
            : config.DATA_DIR === 'memory://'
              ? mkdtempSync(path.join(os.tmpdir(), 'zhengna-files-'))
              : path.resolve(config.DATA_DIR, 'files'),
        },
  );
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    timeouts: { connectMs: config.DATABASE_CONNECT_TIMEOUT_MS, queryMs: config.DATABASE_QUERY_TIMEOUT_MS },
  });
  await database.withStartupLock(async (db) => {
    if (config.SEED_DEMO) await seedDemo(db);
    if (config.SEED_KB) await seedKnowledge(db);
    await seedShortcuts(db);
  });
  const { db } = database;
  const secrets = await loadSecrets(db);

  // 审计日志: staff reads of personal data and every change, append-only (issue #10)
  const audit = createAuditService({ db, logger, onWriteFailure: () => metrics.auditWriteFailures.inc() });
  const identity = createIdentityService({
    db,
    secrets,
    bus,
    // settings are created further down; this runs per request, long after
    security: () => settings.security(),
    policy: {
      staffIdleMs: config.STAFF_IDLE_MINUTES * 60_000,
      staffAbsoluteMs: config.STAFF_ABSOLUTE_HOURS * 3600_000,
      taxpayerIdleMs: config.TAXPAYER_IDLE_MINUTES * 60_000,
      taxpayerAbsoluteMs: config.TAXPAYER_ABSOLUTE_HOURS * 3600_000,
    },
  });
  const cluster = await createClusterBus({ redisUrl: config.REDIS_URL, logger });
  const index = new KnowledgeIndex(db, logger);
  await index.rebuild();
  // another node (or this one) published a change: rebuild, keep answering from the old index meanwhile
  const rebuildIndex = () => {
    index.rebuild().catch((err) => logger.error({ err }, 'knowledge index rebuild failed'));
  };
  cluster.on('knowledge.changed', rebuildIndex);
  // a change published while this node was cut off from Redis never reached it
  cluster.on('cluster.resumed', rebuildIndex);
  // PostgreSQL: id ranges delivered side by side on several pool connections; PGlite has one connection
  const push = createPushService({ db, cluster, logger, workers: database.kind === 'postgres' ? 4 : 1 });
  const knowledge = createKnowledgeService({
    db,
    index,
    cluster,
    pushedDocuments: (who) => push.recommendedDocuments(who),
  });
  const knowledgeEntries = createKnowledgeEntries({ db, cluster });
  const knowledgeCuration = createKnowledgeCuration({ db, cluster });
  const favorites = createFavoritesService({ db, index });
  const inbox = createInboxService({ db, bus });
  const shortcuts = createShortcutsService({ db });
  const conversations = createConversationService({
    db,
    bus,
    files,
    onBatch: (n) => metrics.messageBatchSize.observe(n),
  });
  bus.on('message.created', ({ message, redelivered }) => {
    if (!redelivered) metrics.messagesStored.inc({ sender: message.senderType });
  });
  const settings = createSettingsService({ db, cluster });
  const handoff = createHandoffService({ db, bus, conversations, settings, logger });
  handoff.onDecision((ms, outcome) => metrics.assignDecision.observe({ outcome }, ms / 1000));
  // 音视频 and 远程协助: calls live only as long as the agent holds the conversation
  const calls = createCallsService({
    db,
    bus,
    conversations,
    logger,
    timeouts: { ringSeconds: config.CALL_RING_SECONDS, connectSeconds: config.CALL_CONNECT_SECONDS },
    onFinal: (call) => {
      metrics.callsTotal.inc({ kind: call.kind, outcome: call.state });
      if (call.connectedAt) metrics.callDuration.observe({ kind: call.kind }, call.durationSeconds);
    },
  });
  handoff.onAssignmentEnd((conversationId, opts) => calls.assignmentEnded(conversationId, opts));
  const assistant = createAssistantService({ db, bus, index, conversations, logger, handoff, settings });
  if (config.BOT_ENABLED) assistant.start();
  // 留言, 工单 and what they send (我的消息, SMS)
  const sms = createSmsService({
    db,
    settings,
    logger,
    sender:
      config.SMS_DRIVER === 'aliyun'
        ? createAliyunSmsSender({
            accessKeyId: config.SMS_ALIYUN_ACCESS_KEY_ID,
            accessKeySecret: config.SMS_ALIYUN_ACCESS_KEY_SECRET,
            signName: config.SMS_ALIYUN_SIGN_NAME,
            endpoint: config.SMS_ALIYUN_ENDPOINT,
            regionId: config.SMS_ALIYUN_REGION,
          })
        : createOutboxSmsSender(),
  });
  const notifyTaxpayer = createCaseNotifier({ inbox, sms, logger });
  const workOrders = createWorkOrderService({ db, bus, settings, notifyTaxpayer, logger });
  const inquiries = createInquiryService({ db, bus, settings, conversations, workOrders, notifyTaxpayer, logger });
  const caseFiles = createCaseFilesService({ db, files });
  const caseDeadlines = createCaseDeadlines({ inquiries, workOrders });
  // 预约: booking, the staff's day, and the sweep (reminders, 失约)
  const appointments = createAppointmentService({ db, settings, notifyTaxpayer, logger });
  const appointmentStaff = createAppointmentStaffService({ db, bus, settings, conversations, notifyTaxpayer, logger });
  bus.on('message.created', ({ message }) => {
    if (message.senderType !== 'taxpayer') return;
    appointments
      .attendByMessage(message.conversationId, new Date(message.createdAt))
      .catch((err) => logger.warn({ err }, 'appointment attendance not recorded'));
  });

  // 语音输入: the recogniser (engine processes, a cloud API, or none) and the streams' rules
  const recognizer = createSpeechRecognizer(config, { logger });
  const speech = createSpeechService({ recognizer, logger, maxStreams: config.SPEECH_MAX_STREAMS, metrics });

  const isAllowedOrigin = (origin: string, host: string | undefined) => {
    if (config.allowedOrigins.includes(origin)) return true;
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  };

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    trustProxy: config.TRUST_PROXY,
    // one log line per request is noise at chat volumes; errors are logged by the error handler
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  // cookies are parsed in an onRequest hook, which must run before the guard's
  await app.register(fastifyCookie);
  const routeGuards: RouteGuardEntry[] = installGuards(app, { identity, isAllowedOrigin });
  installAuditCapture(app, { audit });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = mapError(err);
    if (e.code === 'INTERNAL') req.log.error({ err }, 'request failed');
    // PostgreSQL (or another service it needs) down or hung: one line, no stack (every request says it meanwhile)
    else if (e.code === 'SERVICE_UNAVAILABLE') req.log.warn({ cause: rootCause(err) }, 'service unavailable');
    // the database names a file the store does not hold (deleted by hand, restored without its files)
    if (err instanceof FileNotFoundError) req.log.warn({ key: err.key }, 'stored file missing');
    return reply.code(e.status).send(e.toBody());
  });
  app.setNotFoundHandler({}, (_req, reply) => reply.code(404).send(new AppError('NOT_FOUND').toBody()));
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpRequests.inc({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) });
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'self'", ...config.allowedOrigins],
        frameSrc: ["'self'"],
      },
    },
    // the chat is embedded by portals on other origins
    crossOriginEmbedderPolicy: false,
    frameguard: false,
  });
  await app.register(fastifyRateLimit, { global: false, keyGenerator: (req) => req.ip });
  await app.register(fastifyMultipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 5 } });

  identityRoutes(app, { identity, cookieSecure: config.COOKIE_SECURE });
  conversationRoutes(app, { conversations, files });
  knowledgeRoutes(app, { knowledge, entries: knowledgeEntries, curation: knowledgeCuration });
  assistantRoutes(app, { assistant });
  favoritesRoutes(app, { favorites });
  inboxRoutes(app, { inbox });
  pushRoutes(app, { push });
  shortcutsRoutes(app, { shortcuts });
  handoffRoutes(app, { handoff, assistant });
  settingsRoutes(app, { settings });
  skillGroupsRoutes(app, { skillGroups: createSkillGroupsService({ db }) });
  organizationRoutes(app, {
    organization: createOrganizationService({ db, identity, security: () => settings.security() }),
  });
  cannedRepliesRoutes(app, { cannedReplies: createCannedRepliesService({ db }) });
  inquiryRoutes(app, { inquiries });
  workOrderRoutes(app, { workOrders });
  caseFilesRoutes(app, { caseFiles });
  appointmentRoutes(app, {
    appointments,
    appointmentStaff,
    appointmentAdmin: createAppointmentAdminService({ db }),
    caseFiles,
    settings,
  });
  smsRoutes(app, { sms });
  auditRoutes(app, { audit });
  analyticsRoutes(app, { analytics: createAnalyticsService({ db }) });
  callsRoutes(app, {
    ice: {
      turnUrls: config.turnUrls,
      stunUrls: config.stunUrls,
      secret: config.TURN_SECRET,
      ttlSeconds: config.TURN_TTL_SECONDS,
      relayOnly: config.RTC_RELAY_ONLY,
    },
    calls,
  });

  let ready = false;
  let closing = false;
  let filesDown = false;
  let realtime: Awaited<ReturnType<typeof startRealtime>> | undefined;
  opsRoutes(app, {
    metrics,
    ready: async () => {
      // asked side by side: a probe waits for the slowest answer, not the sum of them. Each gives its error or null.
      const failure = (check: Promise<unknown> | undefined) =>
        Promise.resolve(check).then(
          () => null,
          (err: unknown) => err ?? new Error('down'),
        );
      const [databaseError, realtimeError, filesError] = await Promise.all([
        failure(database.ping()),
        failure(realtime?.ping()),
        failure(files.ping()),
      ]);
      const checks: Record<string, string> = {
        database: databaseError ? 'down' : 'ok',
        realtime: realtimeError ? 'down' : 'ok',
      };
      const ok = ready && !closing && Object.values(checks).every((v) => v === 'ok');
      // reported, not required: chat serves without voice input
      checks.speech = recognizer ? (recognizer.ready() ? 'ok' : 'down') : 'off';
      // reported, not required either: chat serves without uploads and downloads, and a store that is down for
      // every node must not take every node out of the balancer
      checks.files = filesError ? 'down' : 'ok';
      // once per outage, not on every probe of the balancer
      if (filesError && !filesDown) logger.warn({ err: filesError, store: files.location }, 'file store not ready');
      filesDown = checks.files === 'down';
      return { ok, checks };
    },
  });
  await webRoutes(app, { dist: config.WEB_DIST });

  await app.listen({ port: config.PORT, host: config.HOST });
  realtime = await startRealtime({
    httpServer: app.server,
    identity,
    conversations,
    calls,
    speech,
    bus,
    logger,
    metrics,
    redisUrl: config.REDIS_URL,
    isAllowedOrigin,
    rate: { perSecond: 20, burst: 40 },
    sessionRecheckMs: config.SOCKET_SESSION_RECHECK_SECONDS * 1000,
    sendBufferLimitBytes: config.SOCKET_SEND_BUFFER_LIMIT_KB * 1024,
    audit,
    trustProxy: config.TRUST_PROXY,
  });
  relayInboxBatches({ cluster, io: realtime.io, inbox, logger });

  // pg-boss creates its schema and queues with DDL that deadlocks when two nodes do it at once
  const jobs =
    options.jobs === false
      ? undefined
      : await database.withClusterLock(async () => {
          const j = await startJobs({ sql: database.sql, logger, kind: database.kind });
          await j.every('identity.purge-expired', '17 * * * *', () => identity.purgeExpired());
          // overflow to fallback groups, and agents who came free
          await j.every('handoff.sweep', '* * * * *', () => handoff.sweep());
          await j.every('conversation.idle', '* * * * *', () =>
            handoff.closeIdle({ warnMinutes: config.IDLE_WARN_MINUTES, closeMinutes: config.IDLE_CLOSE_MINUTES }),
          );
          // 留言 and 工单 deadlines: reminders and escalations
          await j.every('cases.deadlines', '* * * * *', async () => {
            await caseDeadlines.sweep();
          });
          await j.every('appointments.sweep', '* * * * *', async () => void (await appointmentStaff.sweep()));
          // calls a dead node left ringing, connecting, or in an assignment that has ended
          await j.every('calls.sweep', '* * * * *', async () => void (await calls.sweep()));
          await push.attachJobs(j);
          // 03:41 China time: entries past the retention period (≥ six months; the trigger refuses younger ones)
          await j.every(
            'audit.purge',
            '41 19 * * *',
            async () => void (await audit.purge(config.AUDIT_RETENTION_DAYS)),
          );
          await j.every('push.due', '* * * * *', async () => void (await push.sweepDue()));
          // 统计分析: complete past days into the rollup tables, the last two again for late events
          await j.every('analytics.rollup', '*/15 * * * *', async () => void (await rollupAnalytics(db)));
          return j;
        });

  ready = true;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, shape: config.shape, files: files.location }, 'Zhengna is up');

  return {
    app,
    io: realtime.io,
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    database,
    identity,
    conversations,
    knowledge,
    index,
    assistant,
    favorites,
    inbox,
    push,
    shortcuts,
    handoff,
    settings,
    sms,
    inquiries,
    workOrders,
    caseDeadlines,
    appointments,
    appointmentStaff,
    calls,
    speech,
    /** The voice-input recogniser, or null when SPEECH_DRIVER=none (tests reach the engine processes through it). */
    recognizer,
    metrics,
    cluster,
    bus,
    audit,
    routeGuards,
    socketEventGuards: realtime.eventNames,
    /**
     * Graceful shutdown: stop taking work, close sockets so clients reconnect elsewhere, finish in-flight writes,
     * then release the database.
     */
    async close() {
      if (closing) return;
      closing = true;
      // this node's call timers stop; the other nodes' sweep expires what they would have
      calls.close();
      await realtime?.close();
      await speech.close();
      await recognizer?.close();
      await app.close();
      await assistant.idle();
      handoff.stop();
      await conversations.writer.drain();
      await push.idle();
      await cluster.close();
      await jobs?.stop().catch((err) => logger.warn({ err }, 'jobs did not stop cleanly'));
      await database.close();
      files.close();
    },
  };
}

export type RunningApp = Awaited<ReturnType<typeof startApp>>;

function mapError(err: FastifyError | AppError): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof FileNotFoundError) return new AppError('NOT_FOUND', '文件不存在。');
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BAD_REQUEST', '请求内容不是有效的 JSON。');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('BAD_REQUEST', '不支持的请求内容类型。');
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('FILE_TOO_LARGE');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('VALIDATION_FAILED', '请以表单方式上传文件。');
  }
  if (err.statusCode === 429) return new AppError('RATE_LIMITED');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new AppError('BAD_REQUEST');
  return toAppError(err); // the database unreachable: 503; anything else: 500
}
