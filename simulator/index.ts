import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { topologyFromFlags, type Topology } from '../models/inventory/index.js';
import type { MoRef } from '../models/moref.js';
import { VCenter, type VCenterOptions } from '../models/vcenter.js';
import { buildApp, type AppOptions } from './app.js';
import { tlsMaterial } from './tls.js';

export interface SimulatorOptions extends Omit<VCenterOptions, 'topology'>, Omit<AppOptions, 'tls'> {
  /** Defaults to vcsim's VPX model. */
  topology?: Topology;
  /** `host:port`; port 0 picks a free one. Defaults to 127.0.0.1:0. */
  listen?: string;
  /** HTTPS (the default) with a self-signed certificate made at start, or the given files. */
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

export interface Simulator {
  /** The SDK URL, `https://127.0.0.1:<port>/sdk`. */
  url: string;
  /** The URL with credentials in it, as GOVC_URL wants it. */
  urlWithCredentials: string;
  username: string;
  password: string;
  vc: VCenter;
  app: FastifyInstance;
  /** Changes any property in-process; property collectors see it. */
  setProperty(ref: MoRef, path: string, value: unknown): void;
  close(): Promise<void>;
}

/** Starts one isolated simulator instance; many can run in one process. */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const vc = new VCenter({ ...options, topology: options.topology ?? topologyFromFlags({}) });
  const useTls = options.tls ?? true;
  const app = await buildApp(vc, { ...options, tls: useTls ? tlsMaterial(options.tlsCert, options.tlsKey) : undefined });
  const { host, port } = parseListen(options.listen ?? '127.0.0.1:0');
  await app.listen({ host, port });
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `${useTls ? 'https' : 'http'}://${shownHost}:${address.port}`;
  const firstUser = vc.options.topology.users?.[0];
  const username = options.username ?? firstUser?.username ?? 'user';
  const password = options.password ?? firstUser?.password ?? 'pass';
  const auth = `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`;
  return {
    url: `${base}/sdk`,
    urlWithCredentials: `${base.replace('://', `://${auth}`)}/sdk`,
    username,
    password,
    vc,
    app,
    setProperty: (ref, path, value) => vc.setProperty(ref, path, value),
    close: () => app.close(),
  };
}

export function parseListen(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = colon <= 0 ? '127.0.0.1' : listen.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(colon < 0 ? listen : listen.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid listen address '${listen}'`);
  return { host, port };
}

export { VCenter } from '../models/vcenter.js';
export { MoRef } from '../models/moref.js';
export { topologyFromFlags, loadTopologyFile, type Topology } from '../models/inventory/index.js';
