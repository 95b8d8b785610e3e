/** The slice of mongodb-memory-server-core the fallback uses (it is an optional dependency). */
interface MemoryServer {
  getUri(): string;
  stop(options?: { doCleanup?: boolean }): Promise<boolean>;
}
interface MemoryServerModule {
  MongoMemoryServer: {
    create(options?: { instance?: { dbPath?: string; port?: number } }): Promise<MemoryServer>;
  };
}

/**
 * Starts mongod through mongodb-memory-server, which downloads MongoDB on first use;
 * only machines with internet access get this far.
 */
export async function startMemoryServer(options: {
  dataDir?: string;
  port?: number;
}): Promise<{ uri: string; stop: () => Promise<void> }> {
  // A variable specifier keeps the optional package out of the compile-time graph.
  const moduleName = 'mongodb-memory-server-core';
  const { MongoMemoryServer } = (await import(moduleName)) as MemoryServerModule;
  // It console.warns a full stack when the download fails; the launcher reports that in one line.
  const warn = console.warn;
  console.warn = () => undefined;
  let server: MemoryServer;
  try {
    server = await MongoMemoryServer.create({
      instance: { dbPath: options.dataDir, port: options.port || undefined },
    });
  } finally {
    console.warn = warn;
  }
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop({ doCleanup: !options.dataDir });
    },
  };
}
