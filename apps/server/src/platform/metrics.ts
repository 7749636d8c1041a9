/** prom-client registry for /metrics: default process metrics plus the product's own counters. */
import client from 'prom-client';

export function createMetrics(nodeId: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ node: nodeId });
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new client.Counter({
      name: 'zhengna_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    messagesStored: new client.Counter({
      name: 'zhengna_messages_stored_total',
      help: 'Messages stored, by sender type',
      labelNames: ['sender'] as const,
      registers: [registry],
    }),
    resyncRequests: new client.Counter({
      name: 'zhengna_realtime_resync_requests_total',
      help: 'Times this node told sockets to resync (sync:required) after its Redis link came back, by scope',
      labelNames: ['scope'] as const,
      registers: [registry],
    }),
    slowSocketDisconnects: new client.Counter({
      name: 'zhengna_socket_slow_disconnects_total',
      help: 'Sockets disconnected because their client stopped reading and too much waited to be sent to it',
      registers: [registry],
    }),
    messageBatchSize: new client.Histogram({
      name: 'zhengna_message_batch_size',
      help: 'Messages written per database transaction',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250],
      registers: [registry],
    }),
    assignDecision: new client.Histogram({
      name: 'zhengna_handoff_assign_decision_seconds',
      help: 'Duration of one assignment transaction (queue head + agent chosen and committed), by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    socketsConnected: new client.Gauge({
      name: 'zhengna_sockets_connected',
      help: 'Open realtime connections on this node',
      registers: [registry],
    }),
    callsTotal: new client.Counter({
      name: 'zhengna_calls_total',
      help: 'Calls and remote assistance sessions that reached a final state, by kind and outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    callDuration: new client.Histogram({
      name: 'zhengna_call_duration_seconds',
      help: 'Duration of calls that connected, from connection to end, by kind',
      labelNames: ['kind'] as const,
      buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600],
      registers: [registry],
    }),
    speechStreamsActive: new client.Gauge({
      name: 'zhengna_speech_streams_active',
      help: 'Voice input streams being recognised on this node',
      registers: [registry],
    }),
    speechStreamsTotal: new client.Counter({
      name: 'zhengna_speech_streams_total',
      help: 'Voice input streams by recogniser and how they ended (stopped, cancelled, limit, idle, failed, refused …)',
      labelNames: ['driver', 'outcome'] as const,
      registers: [registry],
    }),
    speechAudioSeconds: new client.Counter({
      name: 'zhengna_speech_audio_seconds_total',
      help: 'Seconds of voice input audio taken for recognition',
      registers: [registry],
    }),
    speechPartialLatency: new client.Histogram({
      name: 'zhengna_speech_partial_latency_seconds',
      help: 'Time from the arrival of an audio frame to the first live (partial) result that covers it',
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5],
      registers: [registry],
    }),
    auditWriteFailures: new client.Counter({
      name: 'zhengna_audit_write_failures_total',
      help: 'Audit log entries that could not be written (the action itself went ahead)',
      registers: [registry],
    }),
    socketEvents: new client.Counter({
      name: 'zhengna_socket_events_total',
      help: 'Client socket events by name and result',
      labelNames: ['event', 'result'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
