/**
 * A seeded mutation fuzzer for the SOAP and REST APIs and the SSO endpoints beside them (STS,
 * LoginByToken, lookup service, `SIGN` logins, OAuth token service, token exchange, bearer JWTs),
 * in-process through fastify's `inject`. Two simulators: an open one (any login is an
 * administrator) and one with users, roles and permissions (test/support/access.ts) and OAuth
 * clients, where privileges are enforced; the SSO cases and a share of the SOAP and REST ones go
 * to the latter. Every answer must be in its API's form (forms.ts), with no internal error, within
 * the hang timeout and without a crash; no forged credential may get in; every so often each
 * inventory must still agree with itself over SOAP and REST.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { oauthSchema, type Topology } from '../../models/inventory/topology.js';
import { allRoutes } from '../../simulator/rest/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { createLogger } from '../../simulator/logger.js';
import { selfSigned } from '../../simulator/tls.js';
import { accessTopology, accessUsers } from '../support/access.js';
import { http } from '../support/control.js';
import { tokenRequest } from '../support/sts.js';
import { folderForm, lookupForm, oauthForm, vapiForm, vimForm, wsTrustForm, type FormCheck, type OAuthEndpoint } from './forms.js';
import { Dice, edgeTexts, mutateBytes, mutateElements, randomJson } from './mutate.js';
import { loginRequest, soapSeeds, type Ids } from './soap-corpus.js';
import { bearerJwt, exchangeForm, forgedTokens, loginByTokenCase, lookupRequest, oauthCall, signedRequests, signHeader, stsRequest, type FuzzRequest, type SsoMaterial } from './sso-corpus.js';

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Stop early after this long, whatever `cases` says. */
  maxSeconds?: number;
  /** A call taking longer than this is a hang. */
  hangMs?: number;
  /** A call taking longer than this is slow (a token check, a parse that should be quick). */
  slowMs?: number;
  /** How many failures to describe in the report. */
  examples?: number;
}

export const caseKinds = ['soap', 'rest', 'folder', 'sts', 'loginByToken', 'sign', 'oauth', 'exchange', 'bearer', 'lookup'] as const;
export type CaseKind = (typeof caseKinds)[number];

/** How often each kind comes up, out of 100. */
const kindWeights: Record<CaseKind, number> = { soap: 44, rest: 27, folder: 3, sts: 8, loginByToken: 4, sign: 3, oauth: 4, exchange: 2, bearer: 3, lookup: 2 };

export interface FuzzReport {
  seed: number;
  cases: number;
  /** Per kind: cases, those answered with success (mutations that got past every check), and the seconds they took. */
  kinds: Record<CaseKind, { cases: number; successes: number; seconds: number }>;
  /** Cases sent to the simulator with users, roles and permissions. */
  enforcedCases: number;
  internalErrors: number;
  hangs: number;
  slow: number;
  crashes: number;
  nonApiForm: number;
  /** Requests built to be refused (forged, tampered or wrapped tokens, bombs) that got in. */
  forgeriesAccepted: number;
  invariantChecks: number;
  invariantBreaks: number;
  /** The longest a case took, in ms. */
  slowestMs: number;
  seconds: number;
  /** The first few failures, to reproduce them. */
  examples: string[];
}

type Finding = 'internalErrors' | 'hangs' | 'slow' | 'crashes' | 'nonApiForm' | 'forgeriesAccepted' | 'invariantBreaks';

const invariantEvery = 250;
const reloginEvery = 100;
/** SAML tokens are minted again this often, OAuth tokens more often (refresh tokens rotate, revocation cases revoke them). */
const samlRefreshEvery = 1000;
const oauthRefreshEvery = 250;
const oauthClients = { backup: { id: 'backup', secret: 's3cret+/=' }, portal: { id: 'portal', secret: 'portal-secret' } };

/** One simulator under fuzzing and a client's state against it. */
interface Target {
  sim: Simulator;
  enforced: boolean;
  ids: Ids;
  seeds: string[];
  cookie: string;
  token: string;
  /** Who the SOAP and REST cases log in as (on the enforced simulator, a different user each time). */
  users: readonly { username: string; password: string }[];
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const run = new FuzzRun(options);
  return run.run();
}

/** The enforced simulator's world: the access suites' users, roles and permissions, and OAuth clients. */
function enforcedTopology(): Topology {
  return {
    ...accessTopology(),
    oauth: oauthSchema.parse({ clients: [{ ...oauthClients.backup, user: accessUsers.operator.username, scopes: ['openid', 'vcenter'] }, oauthClients.portal] }),
  };
}

class FuzzRun {
  private readonly dice: Dice;
  private readonly report: FuzzReport;
  private open!: Target;
  private enforced!: Target;
  private sso!: SsoMaterial;
  private readonly routes = allRoutes();
  private readonly kindTable = caseKinds.flatMap((kind) => Array<CaseKind>(kindWeights[kind]).fill(kind));
  private internalLogs = 0;

  constructor(private readonly options: FuzzOptions) {
    this.dice = new Dice(options.seed);
    const kinds = Object.fromEntries(caseKinds.map((k) => [k, { cases: 0, successes: 0, seconds: 0 }])) as FuzzReport['kinds'];
    this.report = {
      seed: options.seed, cases: 0, kinds, enforcedCases: 0, internalErrors: 0, hangs: 0, slow: 0, crashes: 0, nonApiForm: 0,
      forgeriesAccepted: 0, invariantChecks: 0, invariantBreaks: 0, slowestMs: 0, seconds: 0, examples: [],
    };
  }

  async run(): Promise<FuzzReport> {
    const started = performance.now();
    const deadline = started + (this.options.maxSeconds ?? Infinity) * 1000;
    const restoreConsole = this.watchInternalErrors();
    const onCrash = (error: unknown) => this.found('crashes', `uncaught: ${String(error)}`);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const logger = this.errorLog();
    const [open, enforced] = await Promise.all([
      createSimulator({ seed: this.options.seed, tls: false, logger }),
      createSimulator({ seed: this.options.seed, tls: false, logger, topology: enforcedTopology() }),
    ]);
    try {
      this.open = target(open, false, [{ username: 'user', password: 'pass' }]);
      this.enforced = target(enforced, true, Object.values(accessUsers));
      for (let i = 0; i < this.options.cases && performance.now() < deadline; i++) {
        if (i % samlRefreshEvery === 0) this.sso = await this.ssoMaterial();
        else if (i % oauthRefreshEvery === 0) this.sso.oauth = await this.oauthTokens();
        if (i % reloginEvery === 0) await Promise.all([this.login(this.open), this.login(this.enforced)]);
        const kind = this.dice.pick(this.kindTable);
        const caseStarted = performance.now();
        await this.runCase(kind);
        this.report.kinds[kind].cases++;
        this.report.kinds[kind].seconds += (performance.now() - caseStarted) / 1000;
        this.report.cases++;
        if ((i + 1) % invariantEvery === 0) await this.checkInvariants(this.dice.chance(0.5) ? this.open : this.enforced);
      }
      await this.checkInvariants(this.open);
      await this.checkInvariants(this.enforced);
    } finally {
      await Promise.all([open.close(), enforced.close()]);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      restoreConsole();
    }
    this.report.internalErrors += this.internalLogs;
    for (const kind of caseKinds) this.report.kinds[kind].seconds = Math.round(this.report.kinds[kind].seconds * 10) / 10;
    this.report.seconds = (performance.now() - started) / 1000;
    return this.report;
  }

  private runCase(kind: CaseKind): Promise<void> {
    switch (kind) {
      case 'soap':
        return this.soapCase(this.pickTarget());
      case 'rest':
        return this.restCase(this.pickTarget());
      case 'folder':
        return this.folderCase(this.pickTarget());
      case 'sts':
        return this.stsCase();
      case 'loginByToken':
        return this.loginByTokenCase();
      case 'sign':
        return this.signCase();
      case 'oauth':
        return this.oauthCase();
      case 'exchange':
        return this.exchangeCase();
      case 'bearer':
        return this.bearerCase();
      default:
        return this.lookupCase();
    }
  }

  /** A quarter of the SOAP, REST and /folder cases meet enforcement. */
  private pickTarget(): Target {
    if (!this.dice.chance(0.25)) return this.open;
    this.report.enforcedCases++;
    return this.enforced;
  }

  /** The server logs each internal error (never shown to clients) at error level: count them. */
  private errorLog() {
    return createLogger({
      level: 'error',
      destination: {
        write: (line: string) => {
          this.internalLogs++;
          if (this.report.examples.length < 10) this.report.examples.push(`logged: ${line.slice(0, 600)}`);
        },
      },
    });
  }

  /** Anything still printed with console.error by the server counts as well. */
  private watchInternalErrors(): () => void {
    const original = console.error;
    console.error = (...args: unknown[]) => {
      if (String(args[0]).includes('internal error') || String(args[0]).includes('cannot encode') || String(args[0]).startsWith('serving')) {
        this.internalLogs++;
        if (this.report.examples.length < 10) this.report.examples.push(`logged: ${args.map(String).join(' ').slice(0, 400)}`);
      } else original(...args);
    };
    return () => (console.error = original);
  }

  private async login(t: Target, user = this.dice.pick(t.users)): Promise<void> {
    const body = loginRequest.replace('<userName>user</userName><password>pass</password>', `<userName>${user.username}</userName><password>${user.password}</password>`);
    const soap = await t.sim.app.inject({ method: 'POST', url: '/sdk', payload: body });
    t.cookie = String(soap.headers['set-cookie'] ?? '').split(';')[0]!;
    const rest = await t.sim.app.inject({ method: 'POST', url: '/api/session', headers: { authorization: 'Basic ' + Buffer.from(`${user.username}:${user.password}`).toString('base64') } });
    t.token = rest.json() as string;
  }

  /** Fresh tokens of the reader (STS) and of the OAuth clients, from the enforced simulator. */
  private async ssoMaterial(): Promise<SsoMaterial> {
    const app = this.enforced.sim.app;
    const reader = accessUsers.reader;
    const sts = (body: string) => app.inject({ method: 'POST', url: '/sts/STSService', payload: body }).then((r) => /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(r.body)![0]);
    const holder = this.sso?.holder ?? selfSigned('fuzz-holder', 'rsa');
    // Any key but the STS's will do for forgeries: the holder's saves making another RSA key.
    const attacker = holder;
    const bearer = await sts(tokenRequest(reader));
    const holderOfKey = await sts(signedRequests({ reader, holder, holderOfKey: '' }).issueHolderOfKey);
    const tokens = { reader, readerSubject: 'reader@VSPHERE.LOCAL', bearer, holderOfKey, holder, attacker };
    return { ...tokens, oauth: await this.oauthTokens(), forged: forgedTokens(tokens), signed: signedRequests(tokens) };
  }

  /** The reader's access and refresh tokens, through the password grant of the client 'portal'. */
  private async oauthTokens(): Promise<SsoMaterial['oauth']> {
    const reader = accessUsers.reader;
    const form = new URLSearchParams({ grant_type: 'password', username: reader.username, password: reader.password, client_id: oauthClients.portal.id, client_secret: oauthClients.portal.secret });
    const granted = await this.enforced.sim.app.inject({ method: 'POST', url: '/acs/t/CUSTOMER/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    const { access_token: access, refresh_token: refresh } = granted.json() as { access_token: string; refresh_token: string };
    return { tenant: 'CUSTOMER', client: oauthClients.backup, passwordClient: oauthClients.portal, access, refresh };
  }

  private async soapCase(t: Target): Promise<void> {
    let body = this.dice.pick(t.seeds);
    // Mostly one mutation, so many requests get past the parser into the models; sometimes none or a few.
    const mutations = this.dice.chance(0.1) ? 0 : this.dice.chance(0.7) ? 1 : 2 + this.dice.below(2);
    for (let n = mutations; n > 0; n--) body = this.dice.chance(0.5) ? mutateElements(this.dice, body) : mutateBytes(this.dice, body);
    const headers: Record<string, string> = { 'content-type': 'text/xml' };
    if (this.dice.chance(0.9)) headers.cookie = t.cookie;
    if (this.dice.chance(0.3)) headers.soapaction = `urn:vim25/${this.dice.pick(['6.5', '6.7', '7.0', '7.0.3.0', '99', 'x'])}`;
    const reply = await this.send(t, { method: 'POST', url: this.dice.chance(0.95) ? '/sdk' : '/sdk/vimService.wsdl', payload: body, headers }, body);
    if (reply) this.judge('soap', reply, reply.statusCode === 200, vimForm(reply), body);
  }

  private async restCase(t: Target): Promise<void> {
    const route = this.dice.pick(this.routes);
    const flavour = typeof route.path === 'string' ? this.dice.pick(['api', 'rest'] as const) : route.path.api !== undefined ? 'api' : 'rest';
    const template = typeof route.path === 'string' ? route.path : route.path[flavour]!;
    const path = template.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(this.paramValue(t.ids, name)));
    const query = route.action ? `?${flavour === 'api' ? 'action' : '~action'}=${this.dice.chance(0.9) ? route.action : this.dice.pick(edgeTexts)}` : '';
    const url = `/${flavour}${path}${query}${this.dice.chance(0.2) ? `${query ? '&' : '?'}${this.dice.pick(['names', 'vms', 'hosts', 'power_states', 'x'])}=${encodeURIComponent(this.dice.pick(edgeTexts))}` : ''}`;
    const headers: Record<string, string> = {};
    if (this.dice.chance(0.9)) headers['vmware-api-session-id'] = this.dice.chance(0.95) ? t.token : this.dice.pick(edgeTexts);
    if (this.dice.chance(0.1)) headers.authorization = this.dice.pick(['Basic dXNlcjpwYXNz', 'Basic !!', 'Bearer x', '']);
    let payload: string | undefined;
    if (route.method !== 'GET' && this.dice.chance(0.9)) {
      headers['content-type'] = this.dice.chance(0.9) ? 'application/json' : this.dice.pick(['text/plain', 'application/xml', '']);
      payload = JSON.stringify(flavour === 'rest' && this.dice.chance(0.5) ? { spec: randomJson(this.dice) } : randomJson(this.dice));
      if (this.dice.chance(0.2)) payload = mutateBytes(this.dice, payload);
    }
    const label = `${route.method} ${url} ${payload?.slice(0, 200) ?? ''}`;
    const reply = await this.send(t, { method: route.method, url, payload, headers }, label);
    if (reply) this.judge('rest', reply, reply.statusCode < 400, vapiForm(reply, flavour), label);
  }

  /** Datastore files over HTTP: the paths and parameters of /folder mutated, with the caller's cookie, Basic credentials or nothing. */
  private async folderCase(t: Target): Promise<void> {
    const paths = ['', 'DC0_H0_VM0/DC0_H0_VM0.vmx', 'DC0_H0_VM0/', 'fuzz/file.txt', 'fuzz/../x', '%2e%2e/%2e%2e/etc/passwd', '//', 'a'.repeat(2000)];
    let path = this.dice.pick(paths);
    if (this.dice.chance(0.3)) path = mutateBytes(this.dice, path);
    const query = this.dice.pick(['?dcPath=DC0&dsName=LocalDS_0', '?dcPath=DC0', '?dsName=LocalDS_0', '', `?dcPath=${encodeURIComponent(this.dice.pick(edgeTexts))}&dsName=LocalDS_0`, '?dcPath=DC0&dsName=LocalDS_0&dsName=x']);
    const method = this.dice.pick(['GET', 'GET', 'GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const);
    const headers: Record<string, string> = {};
    const auth = this.dice.below(10);
    if (auth < 8) headers.cookie = t.cookie;
    else if (auth === 8) headers.authorization = this.dice.pick(['Basic dXNlcjpwYXNz', `Basic ${Buffer.from(`${accessUsers.reader.username}:${accessUsers.reader.password}`).toString('base64')}`, 'Basic !!', 'Bearer x']);
    const url = `/folder/${encodeURI(path).replace(/\?/g, '%3F')}${query}`;
    // A path whose dot segments climb out of /folder is another route's (clients resolve them before sending).
    if (!new URL(url, 'http://sim').pathname.startsWith('/folder')) return;
    const label = `${method} ${url.slice(0, 300)}`;
    const reply = method === 'PUT' || method === 'POST' ? await this.upload(t, method, url, headers, this.dice.pick(['', 'x', 'x'.repeat(100_000)]), label) : await this.send(t, { method, url, headers }, label);
    if (reply) this.judge('folder', reply as LightMyRequestResponse, reply.statusCode < 400, folderForm(reply), label);
  }

  /** An upload over real HTTP: inject cannot stream a body to the passthrough parser of /folder (it waits forever). */
  private async upload(t: Target, method: string, url: string, headers: Record<string, string>, body: string, label: string) {
    const started = performance.now();
    try {
      const reply = await http(`${t.sim.url.replace(/\/sdk$/, '')}${url}`, { method, headers, body, timeoutMs: this.options.hangMs ?? 5000 });
      this.timed(performance.now() - started, label);
      return { statusCode: reply.status, headers: reply.headers, body: reply.text };
    } catch (error) {
      return void this.found((error as { code?: string }).code === 'TIMEOUT' ? 'hangs' : 'crashes', `${String(error)} <- ${label}`);
    }
  }

  private async stsCase(): Promise<void> {
    const request = stsRequest(this.dice, this.sso);
    const reply = await this.send(this.enforced, { method: 'POST', url: this.dice.chance(0.5) ? '/sts/STSService' : '/sts/STSService/vsphere.local', payload: request.body, headers: { 'content-type': 'text/xml; charset=utf-8' } }, request.body);
    if (!reply) return;
    this.judge('sts', reply, reply.statusCode === 200, wsTrustForm(reply), request.body);
    // A forgery gets no token (issued or renewed) and no "valid" status.
    if (request.forged && reply.statusCode === 200 && /status\/valid<|<saml2:Assertion/.test(reply.body)) {
      this.found('forgeriesAccepted', `STS: ${reply.body.slice(0, 200)} <- ${request.body.slice(0, 600)}`);
    }
  }

  private async loginByTokenCase(): Promise<void> {
    const request = loginByTokenCase(this.dice, this.sso);
    const reply = await this.send(this.enforced, { method: 'POST', url: '/sdk', payload: request.body, headers: { 'content-type': 'text/xml' } }, request.body);
    if (!reply) return;
    this.judge('loginByToken', reply, reply.statusCode === 200, vimForm(reply), request.body);
    if (request.forged && reply.statusCode === 200) this.found('forgeriesAccepted', `LoginByToken: ${reply.body.slice(0, 300)} <- ${request.body.slice(0, 600)}`);
  }

  private async signCase(): Promise<void> {
    const request = signHeader(this.dice, this.sso);
    const url = this.dice.chance(0.8) ? '/api/session' : '/rest/com/vmware/cis/session';
    const reply = await this.send(this.enforced, { method: 'POST', url, headers: { authorization: request.body } }, request.body);
    if (!reply) return;
    this.judge('sign', reply, reply.statusCode < 400, vapiForm(reply, url.startsWith('/api') ? 'api' : 'rest'), request.body.slice(0, 300));
    if (request.forged && reply.statusCode < 400) this.found('forgeriesAccepted', `SIGN: ${reply.body.slice(0, 200)} <- ${request.body.slice(0, 300)}`);
  }

  private async oauthCase(): Promise<void> {
    const call = oauthCall(this.dice, this.sso);
    const endpoint = /\/(token|revoke|jwks)$/.exec(call.url)?.[1] as OAuthEndpoint | undefined;
    const label = `${call.method} ${call.url} ${JSON.stringify(call.headers).slice(0, 200)} ${call.body?.slice(0, 300) ?? ''}`;
    const reply = await this.send(this.enforced, { method: call.method, url: call.url, headers: call.headers, payload: call.body }, label);
    if (reply) this.judge('oauth', reply, reply.statusCode === 200, oauthForm(reply, endpoint ?? 'discovery'), label);
  }

  private async exchangeCase(): Promise<void> {
    const form = await exchangeForm(this.dice, this.sso);
    const reply = await this.send(this.enforced, { method: 'POST', url: '/api/vcenter/authentication/token', headers: { 'content-type': form.contentType }, payload: form.body }, form.body);
    if (!reply) return;
    this.judge('exchange', reply, reply.statusCode === 200, oauthForm(reply, 'exchange'), form.body.slice(0, 400));
    if (form.forged && reply.statusCode === 200) this.found('forgeriesAccepted', `token exchange <- ${form.body.slice(0, 400)}`);
  }

  private async bearerCase(): Promise<void> {
    const jwt: FuzzRequest = await bearerJwt(this.dice, this.sso);
    const url = this.dice.pick(['/api/vcenter/vm', '/api/session', `/api/vcenter/vm/${this.enforced.ids.vm}`, '/rest/vcenter/host', '/api/vcenter/datacenter']);
    const method = url === '/api/session' && this.dice.chance(0.5) ? 'POST' : 'GET';
    const label = `${method} ${url} Bearer ${jwt.body.slice(0, 300)}`;
    const reply = await this.send(this.enforced, { method, url, headers: { authorization: `${this.dice.chance(0.9) ? 'Bearer' : this.dice.pick(['bearer', 'BEARER', 'Bearer  ', 'Token'])} ${jwt.body}` } }, label);
    if (!reply) return;
    this.judge('bearer', reply, reply.statusCode < 400, vapiForm(reply, url.startsWith('/api') ? 'api' : 'rest'), label);
    if (jwt.forged && reply.statusCode < 400) this.found('forgeriesAccepted', label);
  }

  private async lookupCase(): Promise<void> {
    const request = lookupRequest(this.dice);
    const reply = await this.send(this.enforced, { method: 'POST', url: '/lookupservice/sdk', payload: request.body, headers: { 'content-type': 'text/xml' } }, request.body);
    if (reply) this.judge('lookup', reply, reply.statusCode === 200, lookupForm(reply), request.body);
  }

  private judge(kind: CaseKind, reply: LightMyRequestResponse, success: boolean, check: FormCheck, request: string): void {
    if (success) this.report.kinds[kind].successes++;
    // A DTD is refused whatever else the request holds; an external entity never shows a file.
    if ((success && request.includes('<!DOCTYPE')) || /root:x?:0:0/.test(reply.body)) this.found('forgeriesAccepted', `${kind} DTD ${reply.statusCode}: ${reply.body.slice(0, 200)} <- ${request.slice(0, 400)}`);
    if (check.problem) this.found('nonApiForm', `${kind} ${reply.statusCode} ${check.problem}: ${reply.body.slice(0, 200)} <- ${request.slice(0, 400)}`);
    if (check.internal) this.found('internalErrors', `${kind} <- ${request.slice(0, 400)}`);
  }

  private paramValue(ids: Ids, name: string): string {
    if (this.dice.chance(0.15)) return this.dice.pick(edgeTexts) || 'x';
    const known: Record<string, string[]> = {
      vm: [ids.vm, ids.vm2], host: [ids.host], datastore: [ids.datastore], folder: [ids.vmFolder],
      datacenter: [ids.datacenter], pool: [ids.pool], cluster: ['domain-c1', 'x'], disk: ['2000', '2001'], nic: ['4000'], cdrom: ['3000'],
    };
    return this.dice.pick(known[name] ?? ['x', 'task-1', 'urn:vmomi:InventoryServiceTag:1:GLOBAL']);
  }

  /** Injects `request`; a throw is a crash, no answer within the hang timeout a hang. */
  private async send(t: Target, request: InjectOptions, label: string): Promise<LightMyRequestResponse | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), this.options.hangMs ?? 5000)));
    const started = performance.now();
    try {
      const reply = await Promise.race([t.sim.app.inject(request), hang]);
      if (reply === 'hang') return void this.found('hangs', label.slice(0, 400));
      this.timed(performance.now() - started, label);
      return reply;
    } catch (error) {
      return void this.found('crashes', `${String(error)} <- ${label.slice(0, 400)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private timed(ms: number, label: string): void {
    this.report.slowestMs = Math.max(this.report.slowestMs, Math.round(ms));
    if (ms > (this.options.slowMs ?? 1000)) this.found('slow', `${Math.round(ms)} ms <- ${label.slice(0, 400)}`);
  }

  /** The inventory agrees with itself: the registry, a SOAP retrieval and the REST list name the same VMs; parents list their children. */
  private async checkInvariants(t: Target): Promise<void> {
    this.report.invariantChecks++;
    // As an administrator, who sees every VM.
    await this.login(t, t.users[0]);
    const registry = new Set(t.sim.vc.registry.ofType('VirtualMachine').map((vm) => vm.self.value));
    const soap = await this.soapVmIds(t);
    if (!sameSet(registry, soap)) this.found('invariantBreaks', `${t.enforced ? 'enforced' : 'open'}: SOAP lists ${soap.size} VMs, the registry ${registry.size} (${difference(registry, soap)})`);
    if (registry.size <= 4000) {
      // REST lists templates under vm-template, not among the VMs.
      const vms = new Set(t.sim.vc.registry.ofType<VirtualMachine>('VirtualMachine').filter((vm) => (vm.config as { template?: boolean } | undefined)?.template !== true).map((vm) => vm.self.value));
      const rest = await t.sim.app.inject({ method: 'GET', url: '/api/vcenter/vm', headers: { 'vmware-api-session-id': t.token } });
      const listed = new Set((rest.json() as { vm: string }[]).map((v) => v.vm));
      if (!sameSet(vms, listed)) this.found('invariantBreaks', `${t.enforced ? 'enforced' : 'open'}: REST lists ${listed.size} VMs, the registry ${vms.size} besides templates (${difference(vms, listed)})`);
    }
    for (const entity of t.sim.vc.registry.ofType<ManagedEntity>('ManagedEntity')) {
      if (!entity.parent) continue;
      const parent = t.sim.vc.registry.get(entity.parent) as { childEntity?: { value: string }[] } | undefined;
      if (!parent) this.found('invariantBreaks', `${entity.self.value}'s parent ${entity.parent.value} is gone`);
      else if (entity.parent.type === 'Folder' && !parent.childEntity?.some((c) => c.value === entity.self.value)) {
        this.found('invariantBreaks', `${entity.self.value} is not among the children of its folder ${entity.parent.value}`);
      }
    }
  }

  private async soapVmIds(t: Target): Promise<Set<string>> {
    const envelope = (body: string) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
    const post = (body: string) => t.sim.app.inject({ method: 'POST', url: '/sdk', payload: envelope(body), headers: { cookie: t.cookie } });
    const view = /<returnval type="ContainerView">([^<]+)</.exec((await post('<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>')).body)?.[1];
    const spec = `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet>`;
    const body = (await post(`<RetrieveProperties xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this>${spec}</RetrieveProperties>`)).body;
    await post(`<DestroyView xmlns="urn:vim25"><_this type="ContainerView">${view}</_this></DestroyView>`);
    return new Set([...body.matchAll(/<obj type="VirtualMachine">([^<]+)</g)].map((m) => m[1]!));
  }

  private found(kind: Finding, example: string): void {
    this.report[kind]++;
    if (this.report.examples.length < (this.options.examples ?? 10)) this.report.examples.push(`${kind}: ${example}`);
  }
}

/** What one set has and the other has not, both ways. */
function difference(a: Set<string>, b: Set<string>): string {
  return `only in the registry: ${[...a].filter((x) => !b.has(x)).join(' ')}; only listed: ${[...b].filter((x) => !a.has(x)).join(' ')}`;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function inventoryIds(sim: Simulator): Ids {
  const { registry } = sim.vc;
  const named = (type: string, name: string) => registry.ofType<ManagedEntity>(type).find((e) => e.name === name)!.self.value;
  return {
    vm: named('VirtualMachine', 'DC0_H0_VM0'),
    vm2: named('VirtualMachine', 'DC0_C0_RP0_VM1'),
    host: named('HostSystem', 'DC0_C0_H1'),
    folder: 'group-d1',
    vmFolder: named('Folder', 'vm'),
    pool: registry.ofType<ManagedEntity>('ResourcePool')[0]!.self.value,
    datastore: named('Datastore', 'LocalDS_0'),
    datacenter: named('Datacenter', 'DC0'),
  };
}

function target(sim: Simulator, enforced: boolean, users: Target['users']): Target {
  const ids = inventoryIds(sim);
  return { sim, enforced, ids, seeds: soapSeeds(ids), cookie: '', token: '', users };
}
