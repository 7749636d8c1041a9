/**
 * Stands in for nginx in front of several nodes WITHOUT sticky sessions: a plain TCP round-robin over the backends.
 * Each new client connection goes to the next backend; a backend whose connect fails (a dead node) is skipped for
 * the next one, as nginx's `proxy_next_upstream error` does. When either side of a piped connection closes, the
 * other is closed too, so clients of a killed node see their connections drop and reconnect — to a live node.
 */
import net from 'node:net';

export type TcpBalancer = {
  url: string;
  port: number;
  /** Connections handed to each backend so far (by backend port). */
  routed: Map<number, number>;
  close: () => Promise<void>;
};

export async function startTcpBalancer(backendPorts: number[]): Promise<TcpBalancer> {
  let next = 0;
  const routed = new Map<number, number>(backendPorts.map((p) => [p, 0]));
  const open = new Set<net.Socket>();

  const connectUpstream = (tried: number, onReady: (up: net.Socket, port: number) => void, onFail: () => void) => {
    if (tried >= backendPorts.length) return onFail();
    const port = backendPorts[next % backendPorts.length] as number;
    next += 1;
    const up = net.connect(port, '127.0.0.1');
    const failed = () => {
      up.destroy();
      connectUpstream(tried + 1, onReady, onFail);
    };
    up.once('error', failed);
    up.once('connect', () => {
      up.off('error', failed);
      onReady(up, port);
    });
  };

  const server = net.createServer((client) => {
    open.add(client);
    client.pause();
    client.on('error', () => client.destroy());
    client.on('close', () => open.delete(client));
    connectUpstream(
      0,
      (up, port) => {
        if (client.destroyed) return void up.destroy();
        routed.set(port, (routed.get(port) ?? 0) + 1);
        open.add(up);
        up.on('close', () => {
          open.delete(up);
          client.destroy();
        });
        up.on('error', () => up.destroy());
        client.on('close', () => up.destroy());
        client.pipe(up);
        up.pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routed,
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
