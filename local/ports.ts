// Free ports on 127.0.0.1, shared by npm start and the test stack.
import net from 'node:net';

export const isAddressInUse = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';

/** Whether nothing listens on 127.0.0.1:`port`. */
export const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => (isAddressInUse(error) ? resolve(false) : reject(error)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** `preferred` when given and nothing listens on it, else a port the system picks. */
export const freePort = async (preferred?: number): Promise<number> => {
  if (preferred !== undefined && (await portIsFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
};
