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
    socketEvents: new client.Counter({
      name: 'zhengna_socket_events_total',
      help: 'Client socket events by name and result',
      labelNames: ['event', 'result'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
