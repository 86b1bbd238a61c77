import { MongoClient, type Db, type ObjectId } from 'mongodb';
import { onTestFinished } from 'vitest';
import { startMongoWireServer, type MongoWireServer, type MongoWireServerOptions } from '../support/mongo-wire-server.js';

/**
 * A schemaless document for these tests: without it the driver's typings assume `_id: ObjectId`
 * and typed update operators, while these tests use numeric and string ids on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDoc = { _id?: ObjectId | string | number; [field: string]: any };

export interface ConnectedServer {
  server: MongoWireServer;
  client: MongoClient;
  db: Db;
  /** Another MongoClient on the same server (closed with the test). */
  connect(): Promise<MongoClient>;
}

/**
 * A fresh test server on a free port with a connected official driver client; both are closed
 * when the calling test finishes, whatever its outcome.
 */
export async function startConnectedServer(options: MongoWireServerOptions = {}, dbName = 'wire_test'): Promise<ConnectedServer> {
  const server = await startMongoWireServer(options);
  const clients: MongoClient[] = [];
  onTestFinished(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.stop();
  });
  const connect = async () => {
    const client = new MongoClient(`${server.url}/${dbName}?directConnection=true`, { serverSelectionTimeoutMS: 5_000 });
    clients.push(client);
    await client.connect();
    return client;
  };
  const client = await connect();
  return { server, client, db: client.db(), connect };
}
